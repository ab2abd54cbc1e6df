import NIOCore

/// The answer to a `TransponderRequest`: one JSON object on one line.
///
/// `{"ok":true,"transponder":{<TransponderSnapshot>}}` with the state after the request, or
/// `{"ok":false,"error":{"code":"peer_refused","message":"unsupported: ..."}}` where `code` is a
/// `MediaError.Kind.code`, so the caller exits with the same status the transponder would have.
public enum TransponderResponse: Sendable, Equatable {
    case ok(TransponderSnapshot)
    case failure(MediaError)

    public var jsonValue: JSONValue {
        switch self {
        case .ok(let snapshot):
            return .object([JSONField("ok", .bool(true)), JSONField("transponder", snapshot.jsonValue)])
        case .failure(let error):
            return .object([
                JSONField("ok", .bool(false)),
                JSONField(
                    "error",
                    .object([JSONField("code", .string(error.kind.code)), JSONField("message", .string(error.message))])),
            ])
        }
    }

    /// Reads one response line. Anything else is a `MediaError(.protocolViolation)`; an error code this mediactl
    /// does not know becomes `.failure`.
    public init(line: ByteBuffer) throws {
        let json: JSONValue
        do {
            json = try JSONValue.parse(line)
        } catch let error as MediaError {
            throw MediaError(.protocolViolation, "control response: \(error.message)")
        }
        let fields = try TransponderFields(json, context: "control response", kind: .protocolViolation)
        if try fields.bool("ok") {
            guard let snapshot = fields.value("transponder") else { throw fields.missing("transponder") }
            self = .ok(try TransponderSnapshot(json: snapshot, context: "control response transponder"))
        } else {
            guard let error = fields.value("error") else { throw fields.missing("error") }
            let errorFields = try TransponderFields(error, context: "control response error", kind: .protocolViolation)
            let code = try errorFields.string("code")
            let kind = MediaError.Kind.allCases.first { $0.code == code } ?? .failure
            self = .failure(MediaError(kind, try errorFields.string("message")))
        }
    }
}
