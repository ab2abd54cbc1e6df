import NIOCore

extension JSONValue {
    /// Writes this value as compact JSON (RFC 8259): no whitespace, object keys in their stored order, "/" not
    /// escaped, non-ASCII characters kept as UTF-8, only `"`, `\` and U+0000...U+001F escaped. Doubles use the
    /// shortest text that reads back to the same value; NaN and infinities, which JSON cannot hold, become `null`.
    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .null: buffer.writeStaticString("null")
        case .bool(let b): buffer.writeStaticString(b ? "true" : "false")
        case .int(let i): JSONWriter.writeInteger(i, into: &buffer)
        case .double(let d): JSONWriter.writeDouble(d, into: &buffer)
        case .string(let s): JSONWriter.writeString(s, into: &buffer)
        case .array(let elements):
            buffer.writeInteger(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                first = false
                element.write(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let fields):
            buffer.writeInteger(UInt8(ascii: "{"))
            var first = true
            for field in fields {
                if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                first = false
                JSONWriter.writeString(field.key, into: &buffer)
                buffer.writeInteger(UInt8(ascii: ":"))
                field.value.write(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
    }

    /// This value as compact JSON bytes (see `write(into:)`).
    public var jsonBytes: ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 128)
        write(into: &buffer)
        return buffer
    }

    /// This value as a compact JSON text (see `write(into:)`).
    public var jsonString: String { String(buffer: jsonBytes) }
}

/// The pieces of the JSON serializer that write scalars.
enum JSONWriter {
    static func writeInteger(_ value: Int64, into buffer: inout ByteBuffer) {
        // Twenty digits and a sign cover Int64.min; digits are produced backwards into a stack buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var n = 20
            repeat {
                n -= 1
                digits[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if value < 0 {
                n -= 1
                digits[n] = UInt8(ascii: "-")
            }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: digits[n..<20]))
        }
    }

    static func writeDouble(_ value: Double, into buffer: inout ByteBuffer) {
        // JSON has no NaN or infinity (RFC 8259 §6: "Numeric values that cannot be represented in the grammar
        // below (such as Infinity and NaN) are not permitted.").
        guard value.isFinite else {
            buffer.writeStaticString("null")
            return
        }
        // Swift's description is the shortest digit string that round-trips, e.g. "0.1", "1e-07", "1e+16".
        buffer.writeString(value.description)
    }

    /// RFC 8259 §7: "the characters that MUST be escaped: quotation mark, reverse solidus, and the control
    /// characters (U+0000 through U+001F)". Nothing else is escaped.
    static func writeString(_ string: String, into buffer: inout ByteBuffer) {
        var string = string
        string.withUTF8 { utf8 in
            buffer.writeInteger(UInt8(ascii: "\""))
            var runStart = 0
            var i = 0
            let n = utf8.count
            while i < n {
                let b = utf8[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C {
                    i += 1
                    continue
                }
                if runStart < i { buffer.writeBytes(UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                switch b {
                case 0x22: buffer.writeStaticString("\\\"")
                case 0x5C: buffer.writeStaticString("\\\\")
                case 0x08: buffer.writeStaticString("\\b")
                case 0x0C: buffer.writeStaticString("\\f")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                default:
                    let hex: StaticString = "0123456789abcdef"
                    buffer.writeStaticString("\\u00")
                    hex.withUTF8Buffer { h in
                        buffer.writeInteger(h[Int(b >> 4)])
                        buffer.writeInteger(h[Int(b & 0xF)])
                    }
                }
                i += 1
                runStart = i
            }
            if runStart < n { buffer.writeBytes(UnsafeBufferPointer(rebasing: utf8[runStart..<n])) }
            buffer.writeInteger(UInt8(ascii: "\""))
        }
    }
}
