import NIOCore
import Testing

@testable import MediaCore

struct AMF0VectorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let value: AMF0Value
    let hex: String
    var testDescription: String { name }
}

@Suite struct AMF0Tests {
    static let vectors: [AMF0VectorCase] = [
        .init(name: "number 1.0", value: .number(1), hex: "00 3FF0000000000000"),
        .init(name: "number -2.5", value: .number(-2.5), hex: "00 C004000000000000"),
        .init(name: "boolean true", value: .boolean(true), hex: "01 01"),
        .init(name: "boolean false", value: .boolean(false), hex: "01 00"),
        .init(name: "string", value: .string("abc"), hex: "02 0003 616263"),
        .init(name: "empty string", value: .string(""), hex: "02 0000"),
        .init(name: "utf8 string", value: .string("é"), hex: "02 0002 C3A9"),
        .init(
            name: "object", value: .object(["b": 1, "a": "x"]),
            hex: "03 0001 62 00 3FF0000000000000 0001 61 02 0001 78 0000 09"),
        .init(name: "empty object", value: .object([:]), hex: "03 0000 09"),
        .init(name: "null", value: .null, hex: "05"),
        .init(name: "undefined", value: .undefined, hex: "06"),
        .init(name: "reference", value: .reference(0x0102), hex: "07 0102"),
        .init(
            name: "ecma array", value: .ecmaArray(["k": true]),
            hex: "08 00000001 0001 6B 01 01 0000 09"),
        .init(
            name: "strict array", value: .strictArray([1, .null, "a"]),
            hex: "0A 00000003 00 3FF0000000000000 05 02 0001 61"),
        .init(
            name: "date", value: .date(milliseconds: 1_714_564_800_000, timeZone: 0),
            hex: "0B 4278F34069E00000 0000"),
        .init(name: "xml", value: .xmlDocument("<a/>"), hex: "0F 00000004 3C612F3E"),
        .init(
            name: "typed object", value: .typedObject(className: "Foo", ["x": .null]),
            hex: "10 0003 466F6F 0001 78 05 0000 09"),
        .init(name: "unsupported", value: .unsupported, hex: "0D"),
    ]

    @Test(arguments: vectors)
    func writesExactBytes(_ vector: AMF0VectorCase) {
        var buffer = ByteBuffer()
        let written = buffer.writeAMF0Value(vector.value)
        #expect(AMF0Tests.normalized(AMFFLVHex.string(buffer)) == AMF0Tests.normalized(vector.hex))
        #expect(written == buffer.readableBytes)
    }

    @Test(arguments: vectors)
    func readsExactBytes(_ vector: AMF0VectorCase) throws {
        var buffer = AMFFLVHex.buffer(vector.hex)
        let value = try buffer.readAMF0Value()
        #expect(value == vector.value)
        #expect(buffer.readableBytes == 0)
    }

    @Test(arguments: vectors)
    func truncationAtEveryOffsetThrows(_ vector: AMF0VectorCase) {
        let bytes = AMFFLVHex.bytes(vector.hex)
        for cut in 0..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes[..<cut])
            #expect(throws: MediaError.self, "cut at \(cut)") { try buffer.readAMF0Value() }
            #expect(buffer.readerIndex == 0, "reader index restored after a failed read (cut at \(cut))")
        }
    }

    static func normalized(_ hex: String) -> String {
        hex.filter { !$0.isWhitespace }.lowercased()
    }

    /// A value using every marker, nested.
    static let everything: AMF0Value = .object([
        "n": 29.97, "b": false, "s": "ok", "o": ["inner": ["deep": .strictArray([1, 2, 3])]],
        "null": .null, "u": .undefined, "r": .reference(3), "e": .ecmaArray(["width": 320, "height": 240]),
        "d": .date(milliseconds: -1, timeZone: 0), "x": .xmlDocument("<x/>"),
        "t": .typedObject(className: "C", ["z": "y"]), "un": .unsupported,
        "long": .string(String(repeating: "L", count: 70_000)),
    ])

    @Test func roundTripsEveryMarkerNested() throws {
        var buffer = ByteBuffer()
        let written = buffer.writeAMF0Value(Self.everything)
        #expect(written == buffer.readableBytes)
        let value = try buffer.readAMF0Value()
        #expect(value == Self.everything)
        #expect(buffer.readableBytes == 0)
    }

    @Test func truncationOfNestedValueAtEveryOffsetThrows() throws {
        // Without the 70 000-byte string, so that every cut is tried quickly.
        var object = try #require(Self.everything.objectValue)
        object["long"] = nil
        var full = ByteBuffer()
        full.writeAMF0Value(.object(object))
        let bytes = Array(full.readableBytesView)
        for cut in 0..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes[..<cut])
            #expect(throws: MediaError.self, "cut at \(cut)") { try buffer.readAMF0Value() }
        }
        var whole = ByteBuffer(bytes: bytes)
        #expect(try whole.readAMF0Value() == .object(object))
    }

    @Test func longStringIsWrittenWithLongMarkerAndReadAsString() throws {
        let text = String(repeating: "a", count: 65_536)
        var buffer = ByteBuffer()
        #expect(buffer.writeAMF0Value(.string(text)) == 1 + 4 + 65_536)
        #expect(Array(buffer.readableBytesView.prefix(5)) == [0x0C, 0x00, 0x01, 0x00, 0x00])
        #expect(try buffer.readAMF0Value() == .string(text))

        let exact = String(repeating: "b", count: 65_535)
        var short = ByteBuffer()
        #expect(short.writeAMF0Value(.string(exact)) == 1 + 2 + 65_535)
        #expect(Array(short.readableBytesView.prefix(3)) == [0x02, 0xFF, 0xFF])
    }

    @Test func keyOrderIsKept() throws {
        let keys = ["zeta", "alpha", "mu", "beta", "omega", "a"]
        let object = AMF0Object(keys.enumerated().map { .init(key: $0.element, value: .number(Double($0.offset))) })
        var buffer = ByteBuffer()
        buffer.writeAMF0Value(.ecmaArray(object))
        let back = try #require(try buffer.readAMF0Value().objectValue)
        #expect(back.keys == keys)
        #expect(back.jsonValue.objectValue?.map(\.key) == keys)
    }

    @Test func subscriptReplacesInPlaceAppendsAndRemoves() {
        var object: AMF0Object = ["a": 1, "b": 2, "c": 3]
        object["b"] = "two"
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["b"] == .string("two"))
        object["d"] = .null
        #expect(object.keys == ["a", "b", "c", "d"])
        object["a"] = nil
        #expect(object.keys == ["b", "c", "d"])
        #expect(object["zzz"] == nil)
        #expect(object.count == 3)
        #expect(object[0].key == "b")
    }

    @Test func accessors() {
        #expect(AMF0Value.number(2).numberValue == 2)
        #expect(AMF0Value.string("x").numberValue == nil)
        #expect(AMF0Value.string("x").stringValue == "x")
        #expect(AMF0Value.boolean(true).boolValue == true)
        #expect(AMF0Value.ecmaArray(["a": 1]).objectValue?["a"] == .number(1))
        #expect(AMF0Value.typedObject(className: "T", ["a": 1]).objectValue?["a"] == .number(1))
        #expect(AMF0Value.null.objectValue == nil)
    }

    // MARK: Hostile input

    @Test func strictArrayCountLargerThanInputThrowsBeforeReserving() {
        var buffer = AMFFLVHex.buffer("0A FFFFFFFF 05 05 05")
        #expect {
            try buffer.readAMF0Value()
        } throws: { error in
            guard let e = error as? MediaError else { return false }
            return e.kind == .malformedInput && e.message.contains("4294967295") && e.message.contains("at byte 0")
        }
        #expect(buffer.readerIndex == 0)
    }

    @Test func deepNestingThrows() {
        var arrays = ByteBuffer()
        for _ in 0..<10_000 { arrays.writeBytes([0x0A, 0, 0, 0, 1]) }
        arrays.writeInteger(0x05 as UInt8)
        #expect(throws: MediaError.self) { try arrays.readAMF0Value() }

        var objects = ByteBuffer()
        for _ in 0..<10_000 { objects.writeBytes([0x03, 0x00, 0x01, 0x61]) }
        objects.writeInteger(0x05 as UInt8)
        #expect(throws: MediaError.self) { try objects.readAMF0Value() }
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        func nested(_ depth: Int) -> AMF0Value {
            var value: AMF0Value = .null
            for _ in 0..<depth { value = .object(["a": value]) }
            return value
        }
        var ok = ByteBuffer()
        ok.writeAMF0Value(nested(AMF0Limits.maxNestingDepth))
        #expect(try ok.readAMF0Value() == nested(AMF0Limits.maxNestingDepth))

        var tooDeep = ByteBuffer()
        tooDeep.writeAMF0Value(nested(AMF0Limits.maxNestingDepth + 1))
        #expect(throws: MediaError.self) { try tooDeep.readAMF0Value() }
    }

    @Test(arguments: [
        ("12", "unknown type marker 0x12 at byte 0"),
        ("11 01", "AMF3"),
        ("04", "reserved"),
        ("0E", "reserved"),
        ("09", "object-end marker outside an object"),
        ("02 0005 6162", "truncated string at byte 0: needs 5 bytes, 2 remain"),
        ("02 0002 C328", "invalid UTF-8"),
        ("0C FFFFFFFF 41", "truncated long string"),
        ("0F 00000009 41", "truncated XML document"),
        ("03 0001 61", "no type marker at byte 4"),
        ("00 3FF0", "truncated number"),
    ])
    func malformedInputThrowsWithDiagnostics(_ hex: String, _ expected: String) {
        var buffer = AMFFLVHex.buffer(hex)
        #expect {
            try buffer.readAMF0Value()
        } throws: { error in
            guard let e = error as? MediaError else { return false }
            return e.kind == .malformedInput && e.message.contains(expected)
        }
    }

    @Test func errorOffsetsPointInsideTheBuffer() {
        // string at byte 0 (ok), then a bad marker at byte 5.
        var buffer = AMFFLVHex.buffer("02 0002 6F6B FE")
        #expect {
            try buffer.readAMF0Values()
        } throws: { error in
            (error as? MediaError)?.message.contains("0xfe at byte 5") == true
        }
        #expect(buffer.readerIndex == 0)
    }

    // MARK: Real-world leniency

    @Test func ecmaArrayCountIsNotTrusted() throws {
        var buffer = AMFFLVHex.buffer("08 00000000 0001 61 01 01 0001 62 05 0000 09")
        #expect(try buffer.readAMF0Value() == .ecmaArray(["a": true, "b": .null]))
    }

    @Test func ecmaArrayWithoutEndMarkerThrows() {
        var buffer = AMFFLVHex.buffer("08 00000001 0001 61 01 01")
        #expect(throws: MediaError.self) { try buffer.readAMF0Value() }
    }

    @Test func emptyKeyWithAValueIsKept() throws {
        var buffer = AMFFLVHex.buffer("03 0000 05 0001 61 06 0000 09")
        let object = try #require(try buffer.readAMF0Value().objectValue)
        #expect(object.properties == [.init(key: "", value: .null), .init(key: "a", value: .undefined)])
    }

    @Test func readsACommandMessageBody() throws {
        // "connect", 1, {app: "live"}
        var buffer = AMFFLVHex.buffer(
            "02 0007 636F6E6E656374 00 3FF0000000000000 03 0003 617070 02 0004 6C697665 0000 09")
        let values = try buffer.readAMF0Values()
        #expect(values == ["connect", 1, .object(["app": "live"])])
        #expect(buffer.readableBytes == 0)
    }

    @Test func overlongKeyIsCutAtAScalarBoundary() throws {
        let key = String(repeating: "é", count: 40_000)  // 80 000 UTF-8 bytes
        var buffer = ByteBuffer()
        buffer.writeAMF0Value(.object(AMF0Object([.init(key: key, value: .null)])))
        let object = try #require(try buffer.readAMF0Value().objectValue)
        #expect(object.keys.first?.utf8.count == 65_534)
    }

    // MARK: JSON

    @Test func jsonValue() {
        let value: AMF0Value = .object([
            "duration": 2.04, "width": 320, "big": .number(1e300), "nan": .number(.nan),
            "d0": .date(milliseconds: 0, timeZone: 0),
            "d1": .date(milliseconds: 1_714_564_800_123, timeZone: 60),
            "neg": .date(milliseconds: -1, timeZone: 0),
            "arr": [1, "a", .undefined], "t": .typedObject(className: "T", ["k": false]), "ref": .reference(2),
        ])
        let expected: JSONValue = .object([
            JSONField("duration", .double(2.04)), JSONField("width", .int(320)), JSONField("big", .double(1e300)),
            JSONField("nan", .null), JSONField("d0", "1970-01-01T00:00:00.000Z"),
            JSONField("d1", "2024-05-01T12:00:00.123Z"), JSONField("neg", "1969-12-31T23:59:59.999Z"),
            JSONField("arr", [1, "a", nil]), JSONField("t", .object([JSONField("k", false)])),
            JSONField("ref", 2),
        ])
        #expect(value.jsonValue == expected)
    }
}
