/// One AMF0 value (Adobe "Action Message Format -- AMF 0", section 2).
///
/// "There are 16 core type markers in AMF 0. A type marker is one byte in length and describes the type of
/// encoded data that follows." The reserved markers (movieclip 0x04, recordset 0x0E) and the AMF3 switch
/// (avmplus-object 0x11) have no case: reading them throws.
public enum AMF0Value: Sendable, Equatable {
    /// number-marker 0x00: "an 8 byte IEEE-754 double precision floating point value in network byte order".
    case number(Double)
    /// boolean-marker 0x01: "a zero byte value denotes false while a non-zero byte value (typically 1) denotes true".
    case boolean(Bool)
    /// string-marker 0x02 (U16 length), or long-string-marker 0x0C (U32 length) when the UTF-8 form is longer
    /// than 65535 bytes. Both read to `.string`.
    case string(String)
    /// object-marker 0x03: anonymous object; keys keep their order.
    case object(AMF0Object)
    /// null-marker 0x05.
    case null
    /// undefined-marker 0x06.
    case undefined
    /// reference-marker 0x07: "a U16 ... index into the object reference table". Kept as the index; not resolved.
    case reference(UInt16)
    /// ecma-array-marker 0x08: associative array; keys keep their order.
    case ecmaArray(AMF0Object)
    /// strict-array-marker 0x0A: ordinal array.
    case strictArray([AMF0Value])
    /// date-marker 0x0B: milliseconds since the Unix epoch (UTC) and the reserved S16 time zone.
    case date(milliseconds: Double, timeZone: Int16)
    /// xml-document-marker 0x0F: "an XML document ... UTF-8 encoded string" with a U32 length.
    case xmlDocument(String)
    /// typed-object-marker 0x10: a class name followed by the object's properties.
    case typedObject(className: String, AMF0Object)
    /// unsupported-marker 0x0D: "the type cannot be serialized".
    case unsupported

    public var numberValue: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .boolean(let b) = self { return b } else { return nil } }
    /// The properties of an `.object`, `.ecmaArray` or `.typedObject`.
    public var objectValue: AMF0Object? {
        switch self {
        case .object(let o), .ecmaArray(let o), .typedObject(_, let o): return o
        default: return nil
        }
    }
    /// The elements of a `.strictArray`.
    public var arrayValue: [AMF0Value]? { if case .strictArray(let a) = self { return a } else { return nil } }
}

extension AMF0Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    /// A strict array.
    public init(arrayLiteral elements: AMF0Value...) { self = .strictArray(elements) }
    /// An anonymous object, keys in the order written.
    public init(dictionaryLiteral elements: (String, AMF0Value)...) {
        self = .object(AMF0Object(elements.map { AMF0Object.Property(key: $0.0, value: $0.1) }))
    }
}
