import MediaCore

extension RTMSRecordedStream {
    /// Reads every file of the stream into a playback script. Damage does not stop the load: what was read before
    /// it is played, and the damage is returned for the caller to report.
    public func playbackScript() async throws -> (script: RTMSPlaybackScript, damage: [(file: String, damage: RTMSRecordingDamage)]) {
        var builder = RTMSPlaybackScriptBuilder(descriptor: header.descriptor)
        var damage: [(String, RTMSRecordingDamage)] = []
        for file in files {
            var reader = try RTMSRecordingFileReader(path: file)
            while let record = try await reader.next() { builder.add(record) }
            if let d = reader.damage { damage.append((file, d)) }
        }
        return (builder.build(), damage)
    }
}
