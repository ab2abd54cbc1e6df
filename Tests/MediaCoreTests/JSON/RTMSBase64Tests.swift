import MediaCore
import NIOCore
import Testing

@Suite("Base64")
struct RTMSBase64Tests {
    /// RFC 4648 §10 test vectors.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) throws {
        #expect(RTMSBase64.encode(ByteBuffer(string: plain)) == encoded)
        #expect(try RTMSBase64.decode(encoded) == ByteBuffer(string: plain))
        #expect(try RTMSBase64.decode(ByteBuffer(string: encoded)) == ByteBuffer(string: plain))
        // Unpadded input decodes too.
        let unpadded = String(encoded.filter { $0 != "=" })
        #expect(try RTMSBase64.decode(unpadded) == ByteBuffer(string: plain))
        #expect(try RTMSBase64.decode(Substring(encoded)) == ByteBuffer(string: plain))
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5, 100, 1023, 1024, 4096])
    func allByteValuesRoundTrip(length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ 13) }
        let buffer = ByteBuffer(bytes: bytes)
        let text = RTMSBase64.encode(buffer)
        #expect(text.utf8.count == (length + 2) / 3 * 4)
        #expect(try RTMSBase64.decode(text) == buffer)
    }

    @Test(arguments: [
        ("Zm9v YmFy", 4, "byte 0x20"), ("Zm9v\nYmFy", 4, "byte 0xa"), ("Zm9v!mFy", 4, "'!'"), ("Zm=vYmFy", 2, "'='"),
        ("Zg=a", 2, "'='"), ("====", 0, "'='"),
    ] as [(String, Int, String)])
    func badCharactersAreReportedAtTheirOffset(text: String, offset: Int, shown: String) throws {
        let error = try #require(throws: MediaError.self) { try RTMSBase64.decode(text) }
        #expect(error.kind == .malformedInput)
        #expect(error.message == "invalid base64 at offset \(offset): \(shown) is not in the alphabet")
    }

    @Test(arguments: ["Z", "Zm9vY", "Zm9vYmFyZ"])
    func impossibleLengthsAreRefused(text: String) throws {
        let error = try #require(throws: MediaError.self) { try RTMSBase64.decode(text) }
        #expect(error.message.contains("cannot encode whole bytes"))
    }

    /// The media payload of the event reference decodes to 640 bytes (20 ms of 16 kHz mono L16), although the
    /// examples' `length` field says 1024: `length` is informative, the payload is what counts.
    @Test func referenceAudioPayload() throws {
        let decoded = try RTMSBase64.decode(RTMSReferenceVectors.mediaPayloadBase64)
        #expect(decoded.readableBytes == 640)
        #expect(RTMSBase64.encode(decoded) == RTMSReferenceVectors.mediaPayloadBase64)
    }
}
