/// What a running transponder reports about itself over its control socket: the numbers that change while it
/// runs. The answer to every control request (`TransponderResponse.ok`).
public struct TransponderSnapshot: Sendable, Equatable {
    public var state: TransponderState
    /// Seconds since the transponder registered.
    public var uptime: Double
    /// The picture size of the outgoing video, when known.
    public var width: Int?
    public var height: Int?
    /// The seed's `muted`: the source's audio is replaced by silence.
    public var muted = false
    /// The seed's `soundEnabled`: a WAV file is being mixed into the outgoing audio.
    public var soundEnabled: Bool { soundFile != nil }
    /// The WAV being mixed in (as the user named it), nil when none.
    public var soundFile: String?
    /// Whether that WAV starts over at its end.
    public var soundLoop = false
    /// Outgoing bit rate over the whole publish, kbit/s (the seed's `bitrate` is in kbps too).
    public var bitrateKbps: Double = 0
    /// Bytes written to the RTMP server (all connections).
    public var bytesSent: UInt64 = 0
    public var reconnects = 0
    /// Media time queued and not yet sent, ms.
    public var bufferDepthMilliseconds: Int64 = 0
    /// Why the transponder failed, when `state` is `failed`.
    public var failure: String?

    public init(state: TransponderState, uptime: Double) {
        self.state = state
        self.uptime = uptime
    }

    /// The snapshot's fields as they appear in a response and in `ls --json`.
    public var jsonFields: [JSONField] {
        [
            JSONField("state", .string(state.rawValue)),
            JSONField("uptime", .double((uptime * 10).rounded() / 10)),
            JSONField("width", width.map { .int(Int64($0)) } ?? .null),
            JSONField("height", height.map { .int(Int64($0)) } ?? .null),
            JSONField("muted", .bool(muted)),
            JSONField("soundEnabled", .bool(soundEnabled)),
            JSONField("soundFile", soundFile.map { .string($0) } ?? .null),
            JSONField("loop", .bool(soundLoop)),
            JSONField("bitrate", .double((bitrateKbps * 10).rounded() / 10)),
            JSONField("bytesSent", .int(Int64(clamping: bytesSent))),
            JSONField("reconnects", .int(Int64(reconnects))),
            JSONField("bufferDepth", .int(bufferDepthMilliseconds)),
            JSONField("failure", failure.map { .string($0) } ?? .null),
        ]
    }

    public var jsonValue: JSONValue { .object(jsonFields) }

    /// Reads a snapshot from a control response; errors are `kind` (a protocol violation from a peer).
    public init(json: JSONValue, context: String, kind: MediaError.Kind = .protocolViolation) throws {
        let fields = try TransponderFields(json, context: context, kind: kind)
        let stateText = try fields.string("state")
        guard let state = TransponderState(rawValue: stateText) else {
            throw MediaError(kind, "\(context): unknown state '\(stateText)'")
        }
        self.state = state
        uptime = try fields.optionalDouble("uptime") ?? 0
        width = try fields.optionalInt("width").flatMap { Int(exactly: $0) }
        height = try fields.optionalInt("height").flatMap { Int(exactly: $0) }
        muted = try fields.optionalBool("muted") ?? false
        soundFile = try fields.optionalString("soundFile")
        soundLoop = try fields.optionalBool("loop") ?? false
        bitrateKbps = try fields.optionalDouble("bitrate") ?? 0
        bytesSent = UInt64(clamping: try fields.optionalInt("bytesSent") ?? 0)
        reconnects = Int(clamping: try fields.optionalInt("reconnects") ?? 0)
        bufferDepthMilliseconds = try fields.optionalInt("bufferDepth") ?? 0
        failure = try fields.optionalString("failure")
    }
}
