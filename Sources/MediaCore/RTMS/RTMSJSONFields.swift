/// Reads the fields of one RTMS JSON object by key, once each, and hands back the fields it was not asked for, so
/// a message keeps what this build does not know ("unknown fields preserved") and writes it back after the known
/// ones. A known field with the wrong JSON type is a protocol violation naming the message and the field; a field
/// that is `null` counts as absent.
struct RTMSFieldReader {
    private let fields: [JSONField]
    private var taken: [Bool]
    /// "msg_type 2", "msg_type 14 content", ...: where the fields come from, for errors.
    let context: String

    init(_ fields: [JSONField], context: String) {
        self.fields = fields
        self.taken = Array(repeating: false, count: fields.count)
        self.context = context
    }

    init(object value: JSONValue, context: String) throws {
        guard case .object(let fields) = value else {
            throw MediaError(.protocolViolation, "RTMS \(context) is \(value.jsonTypeName), expected an object")
        }
        self.init(fields, context: context)
    }

    /// The fields nobody took, in their original order.
    var rest: [JSONField] {
        var out: [JSONField] = []
        for (i, field) in fields.enumerated() where !taken[i] { out.append(field) }
        return out
    }

    mutating func take(_ key: String) -> JSONValue? {
        for i in fields.indices where !taken[i] && fields[i].key == key {
            taken[i] = true
            if case .null = fields[i].value { return nil }
            return fields[i].value
        }
        return nil
    }

    func wrongType(_ key: String, _ value: JSONValue, expected: String) -> MediaError {
        MediaError(.protocolViolation, "RTMS \(context): \"\(key)\" is \(value.jsonTypeName), expected \(expected)")
    }

    mutating func int(_ key: String) throws -> Int64? {
        guard let value = take(key) else { return nil }
        guard let i = value.intValue else { throw wrongType(key, value, expected: "an integer") }
        return i
    }

    mutating func string(_ key: String) throws -> String? {
        guard let value = take(key) else { return nil }
        guard case .string(let s) = value else { throw wrongType(key, value, expected: "a string") }
        return s
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let value = take(key) else { return nil }
        guard case .bool(let b) = value else { throw wrongType(key, value, expected: "a boolean") }
        return b
    }

    mutating func object(_ key: String) throws -> [JSONField]? {
        guard let value = take(key) else { return nil }
        guard case .object(let o) = value else { throw wrongType(key, value, expected: "an object") }
        return o
    }

    mutating func array(_ key: String) throws -> [JSONValue]? {
        guard let value = take(key) else { return nil }
        guard case .array(let a) = value else { throw wrongType(key, value, expected: "an array") }
        return a
    }

    mutating func code<Code: RTMSNamedCode>(_ key: String, as: Code.Type = Code.self) throws -> Code? {
        guard let value = take(key) else { return nil }
        guard let code = Code(json: value) else { throw wrongType(key, value, expected: "an integer code") }
        return code
    }

    /// meeting_uuid, session_id or engagement_id, whichever comes first among the three.
    mutating func instanceID() throws -> RTMSInstanceID? {
        for kind in RTMSInstanceID.Kind.allCases {
            if let value = try string(kind.rawValue) { return RTMSInstanceID(kind, value) }
        }
        return nil
    }
}

/// Builds an RTMS JSON object in a fixed key order, leaving out absent fields.
struct RTMSFieldWriter {
    private(set) var fields: [JSONField] = []

    init() {}

    init(msgType: Int) { fields.append(JSONField("msg_type", .int(Int64(msgType)))) }

    mutating func add(_ key: String, _ value: Int64?) { if let value { fields.append(JSONField(key, .int(value))) } }
    mutating func add(_ key: String, _ value: String?) { if let value { fields.append(JSONField(key, .string(value))) } }
    mutating func add(_ key: String, _ value: Bool?) { if let value { fields.append(JSONField(key, .bool(value))) } }
    mutating func add(_ key: String, _ value: JSONValue?) { if let value { fields.append(JSONField(key, value)) } }
    mutating func add(_ key: String, _ value: (some RTMSNamedCode)?) {
        if let value { fields.append(JSONField(key, value.json)) }
    }
    mutating func add(_ id: RTMSInstanceID?) { if let id { fields.append(JSONField(id.kind.rawValue, .string(id.value))) } }
    mutating func append(_ extra: [JSONField]) { fields.append(contentsOf: extra) }

    var object: JSONValue { .object(fields) }
}

extension JSONValue {
    /// "an integer", "a string", ...: for error messages.
    var jsonTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
