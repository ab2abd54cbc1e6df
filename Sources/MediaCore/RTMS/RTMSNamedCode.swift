/// An integer code of the RTMS protocol that may carry a value this build does not know: the raw value is always
/// kept (and written back unchanged), and `name` is the snake_case name of a known value, for JSON output.
public protocol RTMSNamedCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible
where RawValue == Int {
    init(rawValue: Int)
    /// The names of the known values.
    static var knownNames: [Int: String] { get }
}

extension RTMSNamedCode {
    /// The snake_case name of a known value, nil for a value this build does not know.
    public var name: String? { Self.knownNames[rawValue] }

    /// "name(raw)" for a known value, "unknown(raw)" otherwise.
    public var description: String { "\(name ?? "unknown")(\(rawValue))" }

    /// The raw value as a JSON integer.
    var json: JSONValue { .int(Int64(rawValue)) }

    /// Reads a code from a JSON integer.
    init?(json: JSONValue) {
        guard let i = json.intValue, let raw = Int(exactly: i) else { return nil }
        self.init(rawValue: raw)
    }
}
