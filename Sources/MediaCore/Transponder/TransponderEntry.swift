/// One transponder in the registry: the entry file `<id>.json` its process writes into the runtime directory
/// when it starts and removes when it ends. Everything `ls` shows that does not change while it runs; the
/// numbers that do change come from the process over the control socket (`TransponderSnapshot`).
///
/// Nothing secret is in it: the URL is redacted and the stream name is only a digest (`TransponderDestination`).
public struct TransponderEntry: Sendable, Equatable {
    /// The `version` field; an entry with another version is skipped by `ls` (written by another mediactl).
    public static let formatVersion: Int64 = 1

    public var id: TransponderID
    public var pid: Int32
    /// The command that runs it: `rtmp push`, `rtms replay`, `rtms listen`.
    public var command: String
    /// `TransponderSource.description`.
    public var source: String
    public var destination: TransponderDestination
    public var key: TransponderKey
    /// Wall-clock start, milliseconds since 1970-01-01 UTC.
    public var startedAtMilliseconds: Int64
    /// The control socket's file name in the runtime directory: `<id>.sock`.
    public var socketName: String
    /// True when the transponder encodes its audio and so can mute and mix in sound; false when it copies
    /// compressed audio (`rtmp push`).
    public var editsAudio: Bool

    public init(
        id: TransponderID, pid: Int32, command: String, source: TransponderSource,
        destination: TransponderDestination, startedAtMilliseconds: Int64, editsAudio: Bool
    ) {
        self.id = id
        self.pid = pid
        self.command = command
        self.source = source.description
        self.destination = destination
        self.key = TransponderKey(source: source, destination: destination)
        self.startedAtMilliseconds = startedAtMilliseconds
        self.socketName = Self.socketName(for: id)
        self.editsAudio = editsAudio
    }

    /// `<id>.json`.
    public static func fileName(for id: TransponderID) -> String { "\(id.rawValue).json" }
    /// `<id>.sock`.
    public static func socketName(for id: TransponderID) -> String { "\(id.rawValue).sock" }

    /// The entry file's content: one JSON object.
    public var jsonValue: JSONValue {
        .object([
            JSONField("version", .int(Self.formatVersion)),
            JSONField("mediaSessionId", .string(id.rawValue)),
            JSONField("pid", .int(Int64(pid))),
            JSONField("command", .string(command)),
            JSONField("source", .string(source)),
            JSONField("rtmpUrl", .string(destination.redactedURL)),
            JSONField("server", .string(destination.server)),
            JSONField("streamDigest", destination.streamDigest.map { .string($0) } ?? .null),
            JSONField("destinationDigest", .string(destination.digest)),
            JSONField("key", .string(key.rawValue)),
            JSONField("startedAtMs", .int(startedAtMilliseconds)),
            JSONField("socket", .string(socketName)),
            JSONField("audio", .string(editsAudio ? "mix" : "copy")),
        ])
    }

    /// Reads an entry file's JSON. `MediaError(.malformedInput)` names the file and the field.
    public init(json: JSONValue, file: String) throws {
        let fields = try TransponderFields(json, context: "transponder entry \(file)", kind: .malformedInput)
        let version = try fields.int("version")
        guard version == Self.formatVersion else {
            throw MediaError(.malformedInput, "transponder entry \(file): version \(version), this mediactl reads \(Self.formatVersion)")
        }
        let idText = try fields.string("mediaSessionId")
        guard TransponderID.isValid(idText) else {
            throw MediaError(.malformedInput, "transponder entry \(file): \"mediaSessionId\" is not a transponder id")
        }
        id = try TransponderID(parsing: idText)
        guard let pid = Int32(exactly: try fields.int("pid")), pid > 0 else {
            throw MediaError(.malformedInput, "transponder entry \(file): \"pid\" is not a process id")
        }
        self.pid = pid
        command = try fields.string("command")
        source = try fields.string("source")
        destination = TransponderDestination(
            redactedURL: try fields.string("rtmpUrl"), server: try fields.string("server"),
            streamDigest: try fields.optionalString("streamDigest"), digest: try fields.string("destinationDigest"))
        guard let key = TransponderKey(rawValue: try fields.string("key")) else {
            throw MediaError(.malformedInput, "transponder entry \(file): \"key\" is not 64 hex digits")
        }
        self.key = key
        startedAtMilliseconds = try fields.int("startedAtMs")
        socketName = try fields.string("socket")
        guard socketName == Self.socketName(for: id) else {
            throw MediaError(.malformedInput, "transponder entry \(file): \"socket\" is not \(Self.socketName(for: id))")
        }
        switch try fields.string("audio") {
        case "mix": editsAudio = true
        case "copy": editsAudio = false
        case let other: throw MediaError(.malformedInput, "transponder entry \(file): \"audio\" is '\(other)', expected mix or copy")
        }
    }
}
