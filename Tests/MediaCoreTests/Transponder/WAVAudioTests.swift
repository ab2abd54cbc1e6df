import MediaCore
import NIOCore
import Testing

/// Builds RIFF WAVE files byte by byte.
enum WAVBytes {
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

    static func chunk(_ id: String, _ body: [UInt8], declared: Int? = nil) -> [UInt8] {
        Array(id.utf8) + le32(declared ?? body.count) + body + (body.count % 2 == 1 ? [0] : [])
    }

    static func fmt(tag: Int, channels: Int, rate: Int, bits: Int, blockAlign: Int? = nil) -> [UInt8] {
        let align = blockAlign ?? channels * bits / 8
        return le16(tag) + le16(channels) + le32(rate) + le32(rate * align) + le16(align) + le16(bits)
    }

    static func extensible(subformat: Int, channels: Int, rate: Int, bits: Int) -> [UInt8] {
        fmt(tag: 0xFFFE, channels: channels, rate: rate, bits: bits) + le16(22) + le16(bits) + le32(0)
            + le16(subformat) + [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
    }

    static func riff(_ chunks: [[UInt8]], riffSize: Int? = nil) -> ByteBuffer {
        let body = Array("WAVE".utf8) + chunks.flatMap { $0 }
        return ByteBuffer(bytes: Array("RIFF".utf8) + le32(riffSize ?? body.count) + body)
    }

    static func pcm16(rate: Int, channels: Int, _ samples: [Int16]) -> ByteBuffer {
        riff([
            chunk("fmt ", fmt(tag: 1, channels: channels, rate: rate, bits: 16)),
            chunk("data", samples.flatMap { le16(Int(UInt16(bitPattern: $0))) }),
        ])
    }
}

@Suite("RIFF WAV reader")
struct WAVAudioTests {
    @Test func sixteenBitStereo() throws {
        let audio = try WAVAudio(parsing: WAVBytes.pcm16(rate: 44100, channels: 2, [1, -1, 32767, -32768, 0, 256]))
        #expect(audio.sampleRate == 44100)
        #expect(audio.channels == 2)
        #expect(audio.frameCount == 3)
        #expect(audio.encoding == .pcm(bits: 16))
        #expect(audio.samples == [1, -1, 32767, -32768, 0, 256])
    }

    @Test func everyEncodingToSixteenBits() throws {
        let eight = WAVBytes.riff([
            WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 1, rate: 8000, bits: 8)),
            WAVBytes.chunk("data", [0, 128, 255]),  // odd: padded
        ])
        #expect(try WAVAudio(parsing: eight).samples == [-32768, 0, 32512])

        let twentyFour = WAVBytes.riff([
            WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 1, rate: 48000, bits: 24)),
            WAVBytes.chunk("data", [0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x80, 0x80, 0x34, 0x12]),
        ])
        #expect(try WAVAudio(parsing: twentyFour).samples == [32767, -32768, 0x1234])

        let thirtyTwo = WAVBytes.riff([
            WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 1, rate: 48000, bits: 32)),
            WAVBytes.chunk("data", WAVBytes.le32(0x1234_5678) + WAVBytes.le32(-65536 & 0xFFFF_FFFF)),
        ])
        #expect(try WAVAudio(parsing: thirtyTwo).samples == [0x1234, -1])

        let floats: [Float] = [0, 1, -1, 0.5, 2, -3, .nan]
        let float32 = WAVBytes.riff([
            WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 3, channels: 1, rate: 16000, bits: 32)),
            WAVBytes.chunk("data", floats.flatMap { WAVBytes.le32(Int($0.bitPattern)) }),
        ])
        let decoded = try WAVAudio(parsing: float32)
        #expect(decoded.encoding == .float32)
        #expect(decoded.samples == [0, 32767, -32767, 16384, 32767, -32767, 0])

        let extensible = WAVBytes.riff([
            WAVBytes.chunk("fmt ", WAVBytes.extensible(subformat: 1, channels: 2, rate: 96000, bits: 16)),
            WAVBytes.chunk("data", WAVBytes.le16(5) + WAVBytes.le16(65535)),
        ])
        let ext = try WAVAudio(parsing: extensible)
        #expect(ext.sampleRate == 96000)
        #expect(ext.samples == [5, -1])
    }

    @Test func otherChunksAreSkippedWithTheirPadding() throws {
        let file = WAVBytes.riff([
            WAVBytes.chunk("LIST", Array("INFOISFT\u{3}\u{0}\u{0}\u{0}ab\u{0}".utf8)),  // odd size
            WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 1, rate: 22050, bits: 16) + [0, 0]),  // cbSize
            WAVBytes.chunk("fact", WAVBytes.le32(2)),
            WAVBytes.chunk("data", WAVBytes.le16(7) + WAVBytes.le16(8)),
            WAVBytes.chunk("id3 ", [1, 2, 3]),
        ])
        let audio = try WAVAudio(parsing: file)
        #expect(audio.samples == [7, 8])
        #expect(audio.sampleRate == 22050)
    }

    @Test func aDataSizeNeverPatchedRunsToTheEnd() throws {
        let file = WAVBytes.riff(
            [
                WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 2, rate: 8000, bits: 16)),
                Array("data".utf8) + WAVBytes.le32(0xFFFF_FFFF) + WAVBytes.le16(1) + WAVBytes.le16(2) + [9],
            ], riffSize: 0xFFFF_FFFF)
        #expect(try WAVAudio(parsing: file).samples == [1, 2])
    }

    @Test(arguments: [
        (ByteBuffer(string: "RIFF"), "too short", 0),
        (ByteBuffer(string: "RIFX\u{0}\u{0}\u{0}\u{0}WAVEfmt "), "starts with 'RIFX'", 0),
        (ByteBuffer(string: "RIFF\u{4}\u{0}\u{0}\u{0}AVI "), "'AVI '", 8),
        (WAVBytes.riff([WAVBytes.chunk("data", [1, 2])]), "'data' chunk before any 'fmt '", 12),
        (WAVBytes.riff([WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 1, rate: 8000, bits: 16))]), "no 'data' chunk", 36),
        (WAVBytes.riff([WAVBytes.chunk("LIST", [1, 2])]), "no 'fmt ' chunk", 22),
        (WAVBytes.riff([WAVBytes.chunk("fmt ", Array(WAVBytes.fmt(tag: 1, channels: 1, rate: 8000, bits: 16).prefix(14)))]), "at least 16", 12),
        (WAVBytes.riff([WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 0x55, channels: 1, rate: 8000, bits: 16))]), "format tag 0x55", 20),
        (WAVBytes.riff([WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 1, rate: 8000, bits: 12))]), "12 bits per sample", 34),
        (WAVBytes.riff([WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 0, rate: 8000, bits: 16, blockAlign: 2))]), "0 channels", 22),
        (WAVBytes.riff([WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 1, rate: 0, bits: 16))]), "sample rate 0", 24),
        (WAVBytes.riff([WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 2, rate: 8000, bits: 16, blockAlign: 3))]), "block align 3", 32),
        (WAVBytes.riff([WAVBytes.chunk("fmt ", WAVBytes.extensible(subformat: 2, channels: 1, rate: 8000, bits: 16))]), "format tag 0x2 (compressed", 44),
        (WAVBytes.riff([WAVBytes.chunk("fmt ", WAVBytes.extensible(subformat: 1, channels: 1, rate: 8000, bits: 16).dropLast() + [0])]), "sub-format 0100", 44),
        (WAVBytes.riff([
            WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 1, rate: 8000, bits: 16)),
            WAVBytes.chunk("data", [1, 2], declared: 2000),
        ]), "declares 2000 bytes but 2 follow", 36),
        (WAVBytes.riff([
            WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 2, rate: 8000, bits: 16)),
            WAVBytes.chunk("data", [1, 2, 3, 4, 5, 6]),
        ]), "not a whole number of 4-byte frames", 36),
        (WAVBytes.riff([
            WAVBytes.chunk("fmt ", WAVBytes.fmt(tag: 1, channels: 1, rate: 8000, bits: 16)),
            WAVBytes.chunk("data", []),
        ]), "holds no audio", 36),
        (WAVBytes.riff([WAVBytes.chunk("LIST", [1, 2], declared: 99)]), "chunk 'LIST' declares 99 bytes", 12),
    ])
    func malformedFilesSayWhatAndWhere(bytes: ByteBuffer, expected: String, offset: Int) throws {
        let error = try #require(throws: MediaError.self) { try WAVAudio(parsing: bytes) }
        #expect(error.kind == .malformedInput)
        #expect(error.message.contains(expected), "\(error.message)")
        #expect(error.message.hasSuffix("(byte \(offset))"), "\(error.message)")
    }

    @Test func readsFromTheReaderIndexOn() throws {
        var buffer = ByteBuffer(string: "junk")
        buffer.writeImmutableBuffer(WAVBytes.pcm16(rate: 8000, channels: 1, [3, 4]))
        buffer.moveReaderIndex(forwardBy: 4)
        #expect(try WAVAudio(parsing: buffer).samples == [3, 4])
    }
}
