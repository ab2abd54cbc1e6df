/// The websocket paths of the emulated RTMS server: `/signaling`, where every client starts, and
/// `/media/<session>/<type>` for the media connections of one client session (`<type>` is a key of the signaling
/// response's `server_urls`: "audio", "video", "deskshare", "transcript", "chat" or "all"). The session token in
/// the media URLs is what lets many clients of the same stream each get their own playback.
public enum RTMSServerPath: Sendable, Equatable {
    case signaling
    case media(session: String, types: RTMSMediaType)

    public static let signalingPath = "/signaling"
    public static let mediaPrefix = "/media/"

    /// Parses a request path (a query string is ignored); nil for any other path.
    public init?(path: String) {
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        if bare == Self.signalingPath {
            self = .signaling
            return
        }
        guard bare.hasPrefix(Self.mediaPrefix) else { return nil }
        let parts = bare.dropFirst(Self.mediaPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let types = RTMSMediaType(key: String(parts[1])) else { return nil }
        self = .media(session: String(parts[0]), types: types)
    }

    /// The path, e.g. "/media/s3/audio".
    public var path: String {
        switch self {
        case .signaling: return Self.signalingPath
        case .media(let session, let types): return Self.mediaPrefix + session + "/" + (types.key ?? "all")
        }
    }

    /// `base` ("ws://127.0.0.1:8765") followed by the path.
    public func url(base: String) -> String { base + path }
}
