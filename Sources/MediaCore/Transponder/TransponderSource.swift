/// What a transponder republishes: a file, stdin, a recording, a live RTMS stream.
public struct TransponderSource: Sendable, Equatable {
    /// Shown by `ls`: an absolute path, `stdin`, `meeting M / stream S`.
    public var description: String
    /// What makes two sources the same one (a canonical path, a stream id), with its kind in front so a file
    /// and a recording with one path differ: `file:/srv/clip.flv`, `stdin`, `rtms:<stream id>`.
    public var identity: String

    public init(description: String, identity: String) {
        self.description = description
        self.identity = identity
    }

    /// A file, named by its canonical (absolute, symlinks resolved) path.
    public static func file(canonicalPath: String) -> TransponderSource {
        TransponderSource(description: canonicalPath, identity: "file:" + canonicalPath)
    }

    /// One stream of a recording being replayed (`rtms replay`): the recording's canonical path as given, the
    /// canonical path of the stream's first file (the same stream whichever way the recording was named) and
    /// its stream id.
    public static func recording(canonicalPath: String, firstFile: String, streamID: String) -> TransponderSource {
        TransponderSource(description: "\(canonicalPath) (stream \(streamID))", identity: "recording:\(firstFile)#\(streamID)")
    }

    /// A live RTMS stream (`rtms listen`): one identity per stream id, whichever meeting names it.
    public static func rtmsStream(meetingUUID: String?, streamID: String) -> TransponderSource {
        TransponderSource(description: "meeting \(meetingUUID ?? "?") / stream \(streamID)", identity: "rtms:" + streamID)
    }

    /// Standard input: one identity for every stdin, so two `push -` to one URL are one transponder too.
    public static let standardInput = TransponderSource(description: "stdin", identity: "stdin")
}
