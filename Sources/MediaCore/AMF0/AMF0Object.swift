/// The properties of an AMF0 object, ECMA array or typed object, in wire order.
///
/// AMF objects keep key order (a peer may care: `onMetaData` readers, `connect` command objects), so this is an
/// ordered list of pairs, not a dictionary. Duplicate keys read from the wire are kept; the key subscript sees
/// the first.
public struct AMF0Object: Sendable, Equatable, ExpressibleByDictionaryLiteral, RandomAccessCollection,
    MutableCollection
{
    public struct Property: Sendable, Equatable {
        public var key: String
        public var value: AMF0Value
        public init(key: String, value: AMF0Value) {
            self.key = key
            self.value = value
        }
    }

    public var properties: [Property]

    public init() { self.properties = [] }
    public init(_ properties: [Property]) { self.properties = properties }
    public init(dictionaryLiteral elements: (String, AMF0Value)...) {
        self.properties = elements.map { Property(key: $0.0, value: $0.1) }
    }

    /// The first value under `key`. Setting replaces that value in place (keeping its position) or appends a
    /// new property; setting `nil` removes every property under `key`.
    public subscript(key: String) -> AMF0Value? {
        get { properties.first(where: { $0.key == key })?.value }
        set {
            if let newValue {
                if let i = properties.firstIndex(where: { $0.key == key }) {
                    properties[i].value = newValue
                } else {
                    properties.append(Property(key: key, value: newValue))
                }
            } else {
                properties.removeAll(where: { $0.key == key })
            }
        }
    }

    /// The keys in order.
    public var keys: [String] { properties.map(\.key) }

    // RandomAccessCollection over the properties.
    public var startIndex: Int { properties.startIndex }
    public var endIndex: Int { properties.endIndex }
    public subscript(position: Int) -> Property {
        get { properties[position] }
        set { properties[position] = newValue }
    }
}
