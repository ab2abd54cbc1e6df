/// What `rtms replay` prints for one record of a recording: the same lines `rtms listen --json` printed while it
/// recorded (`RTMSEvent.from(message:connection:stream:product:)` for received messages, markers as written).
public enum RTMSReplayLine: Sendable, Equatable {
    /// A received message, as its event.
    case event(RTMSEvent)
    /// A marker record: an event line written at recording time (`{"type":"rtms.reconnect",...}`).
    case marker(JSONValue)
    /// A note record (UTF-8 text).
    case note(stream: String, text: String)
    /// A message record whose payload is not an RTMS message (kept in the recording as received).
    case undecodable(stream: String, connection: RTMSConnectionID?, error: MediaError)

    /// The line for `record`, nil for records that stand for no line (keep-alives and other protocol plumbing,
    /// record kinds this build does not know).
    public static func from(_ record: RTMSRecordingRecord, stream: String, product: RTMSProduct) -> RTMSReplayLine? {
        switch record.kind {
        case .textMessage, .binaryMessage:
            do {
                let message = try record.message()
                return RTMSEvent.from(message: message, connection: record.connection, stream: stream, product: product)
                    .map { .event($0) }
            } catch let error as MediaError {
                return .undecodable(stream: stream, connection: record.connection, error: error)
            } catch {
                return .undecodable(stream: stream, connection: record.connection, error: MediaError(.malformedInput, "\(error)"))
            }
        case .marker:
            guard let json = try? JSONValue.parse(record.payload), case .object = json else {
                return .note(stream: stream, text: "unreadable marker: \(String(buffer: record.payload).prefix(200))")
            }
            return .marker(json)
        case .note:
            return .note(stream: stream, text: String(buffer: record.payload))
        default:
            return nil
        }
    }

    /// One flat JSON object. Notes are `{"type":"rtms.note","stream":...,"text":...}`; an undecodable message is an
    /// `rtms.error` event.
    public func jsonObject(emitMedia: Bool) -> JSONValue {
        switch self {
        case .event(let event): return event.jsonObject(emitMedia: emitMedia)
        case .marker(let json): return json
        case .note(let stream, let text):
            return .object([JSONField("type", "rtms.note"), JSONField("stream", .string(stream)), JSONField("text", .string(text))])
        case .undecodable(let stream, let connection, let error):
            let where_ = connection.map { "\($0): " } ?? ""
            return RTMSEvent(stream: stream, .error(message: where_ + error.message, statusCode: nil, reason: nil))
                .jsonObject(emitMedia: emitMedia)
        }
    }
}
