import MediaCore
import NIOCore
import Testing

@Suite("JSON serializer")
struct JSONWriteTests {
    @Test func compactOutputInKeyOrder() {
        let value: JSONValue = .object([
            JSONField("z", 1), JSONField("a", [true, false, nil]), JSONField("m", .object([])),
            JSONField("n", .array([])), JSONField("s", "x"),
        ])
        #expect(value.jsonString == #"{"z":1,"a":[true,false,null],"m":{},"n":[],"s":"x"}"#)
    }

    @Test func integers() {
        #expect(JSONValue.int(0).jsonString == "0")
        #expect(JSONValue.int(-1).jsonString == "-1")
        #expect(JSONValue.int(1_727_384_349_123).jsonString == "1727384349123")
        #expect(JSONValue.int(.max).jsonString == "9223372036854775807")
        #expect(JSONValue.int(.min).jsonString == "-9223372036854775808")
    }

    @Test func doublesShortestRoundTrip() throws {
        #expect(JSONValue.double(0.1).jsonString == "0.1")
        #expect(JSONValue.double(1.0).jsonString == "1.0")
        #expect(JSONValue.double(-2.5).jsonString == "-2.5")
        #expect(JSONValue.double(.nan).jsonString == "null")
        #expect(JSONValue.double(.infinity).jsonString == "null")
        #expect(JSONValue.double(-.infinity).jsonString == "null")
        for d in [0.1, 1.0 / 3.0, 1e-7, 1e16, 1.7976931348623157e308, Double.leastNonzeroMagnitude, -0.0, 123456.789, 2.0e-308] {
            let text = JSONValue.double(d).jsonString
            #expect(try JSONValue.parse(text) == .double(d), "\(text)")
        }
    }

    @Test func stringEscaping() {
        #expect(JSONValue.string("a/b").jsonString == #""a/b""#)
        #expect(JSONValue.string("é😀✓").jsonString == "\"é😀✓\"")
        #expect(JSONValue.string("q\"b\\").jsonString == #""q\"b\\""#)
        #expect(JSONValue.string("\u{8}\u{c}\n\r\t").jsonString == #""\b\f\n\r\t""#)
        #expect(JSONValue.string("\u{0}\u{1f}\u{7f}").jsonString == "\"\\u0000\\u001f\u{7f}\"")
    }

    @Test(arguments: [
        #"{"a":"\u0000 \"x\" \\ / é 😀","b":[1,-2,3.25,1e-07,true,null],"c":{"d":{}}}"#,
        #"[]"#, #"{}"#, #""""#, #"[[[[["deep"]]]]]"#,
    ])
    func roundTrip(text: String) throws {
        let value = try JSONValue.parse(text)
        let written = value.jsonString
        #expect(try JSONValue.parse(written) == value)
        // Writing is deterministic: a second pass gives the same bytes.
        #expect(try JSONValue.parse(written).jsonString == written)
    }

    @Test func writeAppendsToABuffer() {
        var buffer = ByteBuffer(string: "x=")
        JSONValue.object([JSONField("k", "v")]).write(into: &buffer)
        #expect(String(buffer: buffer) == #"x={"k":"v"}"#)
    }
}
