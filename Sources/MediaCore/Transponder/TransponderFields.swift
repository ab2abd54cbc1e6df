/// Reads the fields of one transponder JSON object (a registry entry, a control request or response): a missing
/// required field or a field of the wrong type is an error of `kind` naming `context` and the field; `null` counts
/// as absent; unknown fields are ignored (a newer mediactl may add some).
struct TransponderFields {
    let fields: [JSONField]
    let context: String
    let kind: MediaError.Kind

    init(_ value: JSONValue, context: String, kind: MediaError.Kind) throws {
        guard case .object(let fields) = value else {
            throw MediaError(kind, "\(context) is \(value.jsonTypeName), expected an object")
        }
        self.fields = fields
        self.context = context
        self.kind = kind
    }

    func value(_ key: String) -> JSONValue? {
        guard let value = fields.first(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    func missing(_ key: String) -> MediaError {
        MediaError(kind, "\(context): \"\(key)\" is missing")
    }

    func wrongType(_ key: String, _ value: JSONValue, expected: String) -> MediaError {
        MediaError(kind, "\(context): \"\(key)\" is \(value.jsonTypeName), expected \(expected)")
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.stringValue else { throw wrongType(key, value, expected: "a string") }
        return string
    }

    func string(_ key: String) throws -> String {
        guard let string = try optionalString(key) else { throw missing(key) }
        return string
    }

    func optionalInt(_ key: String) throws -> Int64? {
        guard let value = value(key) else { return nil }
        guard let int = value.intValue else { throw wrongType(key, value, expected: "an integer") }
        return int
    }

    func int(_ key: String) throws -> Int64 {
        guard let int = try optionalInt(key) else { throw missing(key) }
        return int
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let value = value(key) else { return nil }
        guard let double = value.doubleValue else { throw wrongType(key, value, expected: "a number") }
        return double
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.boolValue else { throw wrongType(key, value, expected: "true or false") }
        return bool
    }

    func bool(_ key: String) throws -> Bool {
        guard let bool = try optionalBool(key) else { throw missing(key) }
        return bool
    }
}
