/// One row of `mediactl transponder ls` (and the answer of `stop`, `mute`, ...): the registry entry, plus what the
/// process said about itself, or why it said nothing.
///
/// JSON field names follow the seed's REST API where it has one (`mediaSessionId`, `streamName`, `rtmpUrl`,
/// `width`, `height`, `muted`, `soundEnabled`, `soundFile`, `loop`, `bitrate` in kbit/s), camelCase for the rest.
public struct TransponderStatus: Sendable, Equatable {
    public var entry: TransponderEntry
    /// nil when the process did not answer (`problem` says why).
    public var snapshot: TransponderSnapshot?
    public var problem: String?

    public init(entry: TransponderEntry, snapshot: TransponderSnapshot?, problem: String? = nil) {
        self.entry = entry
        self.snapshot = snapshot
        self.problem = problem
    }

    /// The stream name as shown: `***` (it is the stream key at most services; see `TransponderDestination`),
    /// nil when the URL names no stream.
    public var streamName: String? { entry.destination.streamDigest == nil ? nil : Redaction.mask }

    /// One flat JSON object; the snapshot's fields are null when there is no snapshot.
    public var jsonValue: JSONValue {
        var fields: [JSONField] = [
            JSONField("mediaSessionId", .string(entry.id.rawValue)),
            JSONField("pid", .int(Int64(entry.pid))),
            JSONField("command", .string(entry.command)),
            JSONField("source", .string(entry.source)),
            JSONField("streamName", streamName.map { .string($0) } ?? .null),
            JSONField("rtmpUrl", .string(entry.destination.redactedURL)),
            JSONField("startedAt", AMF0Value.iso8601(milliseconds: Double(entry.startedAtMilliseconds)).map { .string($0) } ?? .null),
            JSONField("audio", .string(entry.editsAudio ? "mix" : "copy")),
        ]
        if let snapshot {
            fields += snapshot.jsonFields
        } else {
            fields += TransponderSnapshot(state: .connecting, uptime: 0).jsonFields.map { JSONField($0.key, .null) }
        }
        fields.append(JSONField("error", problem.map { .string($0) } ?? .null))
        return .object(fields)
    }
}
