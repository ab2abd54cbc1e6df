import MediaCore

/// What the publishing side of a transponder implements to answer control requests (`TransponderControlServer`
/// calls it; one method per `TransponderRequest`). Each returns once the change is in effect; the server then
/// answers with `status()`.
public protocol TransponderControllable: Sendable {
    /// The numbers `ls` shows.
    func status() -> TransponderSnapshot
    /// Stops publishing (a clean unpublish) and returns once the publish has ended.
    func stop() async
    func mute() throws
    func unmute() throws
    /// Mixes the WAV file at `path` (absolute) into the outgoing audio.
    func sound(path: String, loop: Bool) async throws
    func soundOff() throws
}

extension MediaError {
    /// The answer of a transponder that copies compressed audio (`rtmp push`) to mute, unmute, sound and
    /// sound_off: exit status 69 at the caller.
    public static func audioUnsupported(_ request: String) -> MediaError {
        MediaError(
            .peerRefused,
            "unsupported: this transponder copies compressed audio, so it cannot \(request); mute and sound need a transponder that encodes its audio (rtms replay --push, rtms listen --push)"
        )
    }
}
