import MediaCore
import NIOCore
import Testing

@Suite("JSON parser")
struct JSONParseTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(ByteBuffer(string: text)) }

    @Test func scalars() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse(" false ") == .bool(false))
        #expect(try parse("0") == .int(0))
        #expect(try parse("-0") == .int(0))
        #expect(try parse("42") == .int(42))
        #expect(try parse("-17") == .int(-17))
        #expect(try parse("9223372036854775807") == .int(.max))
        #expect(try parse("-9223372036854775808") == .int(.min))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parse("1.5") == .double(1.5))
        #expect(try parse("1.0") == .double(1.0))
        #expect(try parse("-2.5e3") == .double(-2500))
        #expect(try parse("1E+2") == .double(100))
        #expect(try parse("1e-2") == .double(0.01))
        #expect(try parse("\"\"") == .string(""))
    }

    @Test func objectsKeepOrderAndDuplicates() throws {
        let value = try parse(#"{"b":1,"a":[true,null,{}],"b":"x","c":{"d":[]}}"#)
        #expect(
            value
                == .object([
                    JSONField("b", 1), JSONField("a", [true, nil, .object([])]), JSONField("b", "x"),
                    JSONField("c", .object([JSONField("d", [])])),
                ]))
        #expect(value["b"] == .int(1))
    }

    @Test func whitespaceEverywhere() throws {
        let value = try parse(" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" :\n\"c\" } \n")
        #expect(value == .object([JSONField("a", [1, 2]), JSONField("b", "c")]))
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#) == .string("a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti"))
        #expect(try parse(#""\u0041\u00e9\u20AC""#) == .string("Aé€"))
        // U+1F600 as a surrogate pair.
        #expect(try parse(#""x\ud83d\ude00y""#) == .string("x😀y"))
        // Lone surrogates become U+FFFD, the rest of the string survives.
        #expect(try parse(#""\ud83dz""#) == .string("\u{FFFD}z"))
        #expect(try parse(#""\ude00""#) == .string("\u{FFFD}"))
        #expect(try parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
        // Raw UTF-8 is kept, before and after an escape.
        #expect(try parse("\"héllo wörld ✓ 😀\"") == .string("héllo wörld ✓ 😀"))
        #expect(try parse("\"ünïcode that is long enough\\nfor the word loop\"") == .string("ünïcode that is long enough\nfor the word loop"))
    }

    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000])
    func longStringsAcrossWordBoundaries(length: Int) throws {
        let body = String(repeating: "Ab+/9", count: length / 5 + 1).prefix(length)
        #expect(try parse("\"\(body)\"") == .string(String(body)))
        // A quote, a backslash or a control byte at every position of the tail is found.
        if length > 0 {
            let withEscape = String(body.dropLast()) + "\\n"
            #expect(try parse("\"\(withEscape)\"") == .string(String(body.dropLast()) + "\n"))
        }
    }

    @Test func deepNestingUpToTheLimit() throws {
        let depth = JSONValue.maxParseDepth
        let ok = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try parse(ok)
        var levels = 0
        while case .array(let a) = value {
            levels += 1
            value = a.first ?? .null
        }
        #expect(levels == depth)
        let tooDeep = String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)
        let error = try #require(throws: MediaError.self) { try parse(tooDeep) }
        #expect(error.kind == .malformedInput)
        #expect(error.message == "invalid JSON at byte \(depth): nesting deeper than \(depth) levels")
    }

    /// Each bad text with the byte offset the error must name.
    @Test(arguments: [
        ("", 0), ("   ", 3), ("{", 1), ("{\"a\" 1}", 5), ("{\"a\":1,}", 7), ("[1,]", 3), ("[1 2]", 3),
        ("tru", 3), ("nul", 3), ("falsy", 4), ("01", 1), ("-", 1), ("1.", 2), ("1e", 2), ("1e+", 3), (".5", 0),
        ("+1", 0), ("\"abc", 0), ("\"a\u{01}\"", 2), ("\"\\x\"", 2), ("\"\\u12G4\"", 5), ("\"\\u12", 3),
        ("{\"a\":1} x", 8), ("[1] [2]", 4), ("{1:2}", 1), ("\"\\", 0), ("NaN", 0), ("[\"a\",", 5),
    ] as [(String, Int)])
    func badJSONReportsTheByteOffset(text: String, offset: Int) throws {
        let error = try #require(throws: MediaError.self) { try parse(text) }
        #expect(error.kind == .malformedInput)
        #expect(error.message.hasPrefix("invalid JSON at byte \(offset): "), "\(error.message)")
    }

    @Test func invalidUTF8IsRefused() throws {
        var buffer = ByteBuffer(string: "\"ab")
        buffer.writeBytes([0xC3, 0x28])
        buffer.writeString("\"")
        let error = try #require(throws: MediaError.self) { try JSONValue.parse(buffer) }
        #expect(error.message == "invalid JSON at byte 1: string is not valid UTF-8")
        var escaped = ByteBuffer(string: "\"\\n")
        escaped.writeBytes([0xFF])
        escaped.writeString("\"")
        #expect(throws: MediaError.self) { try JSONValue.parse(escaped) }
    }

    @Test func offsetsCountFromTheReaderIndex() throws {
        var buffer = ByteBuffer(string: "garbage[1,?]")
        buffer.moveReaderIndex(forwardBy: 7)
        let error = try #require(throws: MediaError.self) { try JSONValue.parse(buffer) }
        #expect(error.message.hasPrefix("invalid JSON at byte 3: "))
    }

    @Test func stringInputMatchesBufferInput() throws {
        let text = #"{"k":["v",1,2.5,false,null]}"#
        #expect(try JSONValue.parse(text) == parse(text))
    }
}
