import NIOCore

extension JSONValue {
    /// RFC 8259 §9: "An implementation may set limits on the maximum depth of nesting." Objects and arrays nested
    /// deeper than this are refused (the parser recurses once per level).
    public static let maxParseDepth = 512

    /// RFC 8259 §9: "An implementation may set limits on the size of texts that it accepts." Checked before any
    /// byte is looked at. A media message carrying one H.264 frame in base64 is far below this.
    public static let maxParseBytes = 256 * 1024 * 1024

    /// Parses one JSON text (RFC 8259) from the readable bytes of `bytes`.
    ///
    /// Object keys keep their order and duplicates are kept. A number without fraction or exponent that fits in
    /// 64 bits is `.int`, any other number is `.double`. A lone UTF-16 surrogate in a `\u` escape becomes U+FFFD;
    /// raw bytes must be valid UTF-8. Errors are `MediaError(.malformedInput, "invalid JSON at byte N: ...")`,
    /// where N counts from the first readable byte.
    public static func parse(_ bytes: ByteBuffer) throws -> JSONValue {
        guard bytes.readableBytes <= maxParseBytes else {
            throw MediaError(
                .malformedInput,
                "invalid JSON at byte 0: text of \(bytes.readableBytes) bytes exceeds the limit of \(maxParseBytes)")
        }
        return try bytes.withUnsafeReadableBytes { raw in
            var parser = JSONParser(raw)
            return try parser.parseDocument()
        }
    }

    /// Parses a JSON text held in a string (see `parse(_: ByteBuffer)`).
    public static func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { utf8 in
            guard utf8.count <= maxParseBytes else {
                throw MediaError(
                    .malformedInput,
                    "invalid JSON at byte 0: text of \(utf8.count) bytes exceeds the limit of \(maxParseBytes)")
            }
            var parser = JSONParser(UnsafeRawBufferPointer(utf8))
            return try parser.parseDocument()
        }
    }
}

/// A recursive-descent RFC 8259 parser over a borrowed byte range. Strings without escapes are found by a word-at-a-
/// time scan and copied once; only strings with escapes take the byte-by-byte path.
struct JSONParser {
    private let bytes: UnsafeRawBufferPointer
    private let count: Int
    private var index = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.count = bytes.count
    }

    private static let quote: UInt8 = 0x22
    private static let backslash: UInt8 = 0x5C

    mutating func parseDocument() throws -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index != count {
            throw error(at: index, "unexpected \(describe(index)) after the JSON value")
        }
        return value
    }

    // MARK: - Errors

    private func error(at offset: Int, _ what: String) -> MediaError {
        MediaError(.malformedInput, "invalid JSON at byte \(offset): \(what)")
    }

    private func describe(_ offset: Int) -> String {
        guard offset < count else { return "end of input" }
        let b = bytes[offset]
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    // MARK: - Structure

    /// RFC 8259 §2: `ws = *( %x20 / %x09 / %x0A / %x0D )`.
    @inline(__always)
    private mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws -> JSONValue {
        guard index < count else { throw error(at: index, "unexpected end of input, expected a value") }
        switch bytes[index] {
        case Self.quote: return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error(at: index, "unexpected \(describe(index)), expected a value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let n = literal.utf8CodeUnitCount
        let start = index
        literal.withUTF8Buffer { expected in
            var i = 0
            while i < n && start + i < count && bytes[start + i] == expected[i] { i += 1 }
            index = start + i
        }
        if index - start != n { throw error(at: index, "unexpected \(describe(index)) in literal \(literal)") }
    }

    private mutating func enter() throws {
        depth += 1
        if depth > JSONValue.maxParseDepth {
            throw error(at: index, "nesting deeper than \(JSONValue.maxParseDepth) levels")
        }
    }

    /// RFC 8259 §4: `object = begin-object [ member *( value-separator member ) ] end-object`,
    /// `member = string name-separator value`.
    private mutating func parseObject() throws -> JSONValue {
        try enter()
        index += 1  // {
        var fields: [JSONField] = []
        skipWhitespace()
        if index < count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(fields)
        }
        while true {
            skipWhitespace()
            guard index < count, bytes[index] == Self.quote else {
                throw error(at: index, "unexpected \(describe(index)), expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < count, bytes[index] == UInt8(ascii: ":") else {
                throw error(at: index, "unexpected \(describe(index)), expected ':' after an object key")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            fields.append(JSONField(key, value))
            skipWhitespace()
            guard index < count else { throw error(at: index, "unexpected end of input in an object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(fields)
            default: throw error(at: index, "unexpected \(describe(index)), expected ',' or '}' in an object")
            }
        }
    }

    /// RFC 8259 §5: `array = begin-array [ value *( value-separator value ) ] end-array`.
    private mutating func parseArray() throws -> JSONValue {
        try enter()
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < count else { throw error(at: index, "unexpected end of input in an array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default: throw error(at: index, "unexpected \(describe(index)), expected ',' or ']' in an array")
            }
        }
    }

    // MARK: - Numbers

    @inline(__always)
    private func isDigit(_ offset: Int) -> Bool {
        offset < count && bytes[offset] &- UInt8(ascii: "0") < 10
    }

    /// RFC 8259 §6: `number = [ minus ] int [ frac ] [ exp ]`, `int = zero / ( digit1-9 *DIGIT )`,
    /// `frac = decimal-point 1*DIGIT`, `exp = e [ minus / plus ] 1*DIGIT`.
    private mutating func parseNumber() throws -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard isDigit(index) else { throw error(at: index, "unexpected \(describe(index)), expected a digit") }
        var integer: Int64 = 0
        var overflow = false
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(index) {
                let digit = Int64(bytes[index] &- UInt8(ascii: "0"))
                if !overflow {
                    let (m, o1) = integer.multipliedReportingOverflow(by: 10)
                    let (s, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
                    integer = s
                    overflow = o1 || o2
                }
                index += 1
            }
        }
        var isInteger = true
        if index < count && bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard isDigit(index) else {
                throw error(at: index, "unexpected \(describe(index)), expected a digit after '.'")
            }
            while isDigit(index) { index += 1 }
        }
        if index < count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            isInteger = false
            index += 1
            if index < count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard isDigit(index) else {
                throw error(at: index, "unexpected \(describe(index)), expected a digit in the exponent")
            }
            while isDigit(index) { index += 1 }
        }
        if isInteger && !overflow { return .int(integer) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let double = Double(text) else { throw error(at: start, "number \(text) is out of range") }
        return .double(double)
    }

    // MARK: - Strings

    /// SWAR: a word with bit 7 set in every byte lane that is zero. Exact about whether such a lane exists.
    @inline(__always)
    private static func zeroLanes(_ w: UInt64) -> UInt64 {
        (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080
    }

    /// RFC 8259 §7: `string = quotation-mark *char quotation-mark`; "All Unicode characters may be placed within the
    /// quotation marks, except for the characters that MUST be escaped: quotation mark, reverse solidus, and the
    /// control characters (U+0000 through U+001F)."
    private mutating func parseString() throws -> String {
        let open = index
        let start = index + 1
        var i = start
        var highBits: UInt8 = 0
        let base = bytes.baseAddress!
        // Eight bytes at a time while no quote, backslash or control byte is in the word.
        while i + 8 <= count {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let special =
                Self.zeroLanes(w ^ 0x2222_2222_2222_2222) | Self.zeroLanes(w ^ 0x5C5C_5C5C_5C5C_5C5C)
                | ((w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080)
            if special != 0 { break }
            if w & 0x8080_8080_8080_8080 != 0 { highBits = 0x80 }
            i += 8
        }
        while i < count {
            let b = bytes[i]
            if b == Self.quote {
                index = i + 1
                return try makeString(start..<i, nonASCII: highBits & 0x80 != 0, at: start)
            }
            if b == Self.backslash {
                return try parseEscapedString(open: open, prefixEnd: i, nonASCII: highBits & 0x80 != 0)
            }
            if b < 0x20 { throw error(at: i, "control character 0x\(String(b, radix: 16)) in a string") }
            highBits |= b
            i += 1
        }
        throw error(at: open, "unterminated string")
    }

    private func makeString(_ range: Range<Int>, nonASCII: Bool, at offset: Int) throws -> String {
        let slice = UnsafeBufferPointer(
            start: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + range.lowerBound, count: range.count)
        if !nonASCII { return String(decoding: slice, as: UTF8.self) }
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw error(at: offset, "string is not valid UTF-8")
        }
        return s
    }

    private mutating func parseEscapedString(open: Int, prefixEnd: Int, nonASCII prefixNonASCII: Bool) throws -> String {
        let start = open + 1
        var out: [UInt8] = []
        out.reserveCapacity(prefixEnd - start + 16)
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<prefixEnd]))
        var i = prefixEnd
        var nonASCII = prefixNonASCII
        while i < count {
            let b = bytes[i]
            if b == Self.quote {
                index = i + 1
                if !nonASCII { return String(decoding: out, as: UTF8.self) }
                guard let s = String(validating: out, as: UTF8.self) else {
                    throw error(at: start, "string is not valid UTF-8")
                }
                return s
            }
            if b < 0x20 { throw error(at: i, "control character 0x\(String(b, radix: 16)) in a string") }
            if b != Self.backslash {
                if b >= 0x80 { nonASCII = true }
                out.append(b)
                i += 1
                continue
            }
            // RFC 8259 §7: escape = %x22 / %x5C / %x2F / %x62 / %x66 / %x6E / %x72 / %x74 / %x75 4HEXDIG
            guard i + 1 < count else { break }
            let e = bytes[i + 1]
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var unit = try hex4(at: i + 2)
                i += 6
                var scalar: Unicode.Scalar
                if unit >= 0xD800 && unit < 0xDC00 {
                    // RFC 8259 §7: a character outside the Basic Multilingual Plane "is represented as a
                    // 12-character sequence, encoding the UTF-16 surrogate pair".
                    if i + 6 <= count && bytes[i] == Self.backslash && bytes[i + 1] == UInt8(ascii: "u"),
                        case let low = try hex4(at: i + 2), low >= 0xDC00 && low < 0xE000
                    {
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                        scalar = Unicode.Scalar(unit)!
                    } else {
                        scalar = "\u{FFFD}"
                    }
                } else if unit >= 0xDC00 && unit < 0xE000 {
                    scalar = "\u{FFFD}"
                } else {
                    scalar = Unicode.Scalar(unit)!
                }
                if scalar.value >= 0x80 { nonASCII = true }
                out.append(contentsOf: UTF8.encode(scalar)!)
                continue
            default:
                throw error(at: i + 1, "invalid escape \\\(describe(i + 1))")
            }
            i += 2
        }
        throw error(at: open, "unterminated string")
    }

    private func hex4(at offset: Int) throws -> UInt32 {
        guard offset + 4 <= count else { throw error(at: offset, "truncated \\u escape") }
        var value: UInt32 = 0
        for k in offset..<(offset + 4) {
            let c = bytes[k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw error(at: k, "invalid hex digit \(describe(k)) in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
