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

    /// Standard input: one identity for every stdin, so two `push -` to one URL are one transponder too.
    public static let standardInput = TransponderSource(description: "stdin", identity: "stdin")
}
