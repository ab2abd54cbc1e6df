import NIOCore

/// A control request to a running transponder: one JSON object on one line of its Unix socket, answered by one
/// `TransponderResponse` line. The seed's REST methods, one each: `status` (find), `stop` (terminate), `mute`,
/// `unmute`, `sound` (sound_on: a WAV file, optionally looped) and `sound_off`.
///
/// `{"command":"status"}`, `{"command":"sound","path":"/abs/tone.wav","loop":true}`.
public enum TransponderRequest: Sendable, Equatable {
    case status
    case stop
    case mute
    case unmute
    /// Mix the WAV at `path` (absolute: the transponder's working directory is not the caller's).
    case sound(path: String, loop: Bool)
    case soundOff

    /// The `command` field.
    public var name: String {
        switch self {
        case .status: return "status"
        case .stop: return "stop"
        case .mute: return "mute"
        case .unmute: return "unmute"
        case .sound: return "sound"
        case .soundOff: return "sound_off"
        }
    }

    public var jsonValue: JSONValue {
        var fields = [JSONField("command", .string(name))]
        if case .sound(let path, let loop) = self {
            fields.append(JSONField("path", .string(path)))
            fields.append(JSONField("loop", .bool(loop)))
        }
        return .object(fields)
    }

    /// Reads one request line (without its newline). A line that is not such a request is a
    /// `MediaError(.protocolViolation)` saying what is wrong with it; the server answers with it.
    public init(line: ByteBuffer) throws {
        let json: JSONValue
        do {
            json = try JSONValue.parse(line)
        } catch let error as MediaError {
            throw MediaError(.protocolViolation, "control request: \(error.message)")
        }
        let fields = try TransponderFields(json, context: "control request", kind: .protocolViolation)
        switch try fields.string("command") {
        case "status": self = .status
        case "stop": self = .stop
        case "mute": self = .mute
        case "unmute": self = .unmute
        case "sound":
            let path = try fields.string("path")
            guard path.hasPrefix("/") else {
                throw MediaError(.protocolViolation, "control request: sound \"path\" must be absolute")
            }
            self = .sound(path: path, loop: try fields.optionalBool("loop") ?? false)
        case "sound_off": self = .soundOff
        case let other:
            throw MediaError(
                .protocolViolation,
                "control request: unknown command '\(other)' (status, stop, mute, unmute, sound, sound_off)")
        }
    }
}
