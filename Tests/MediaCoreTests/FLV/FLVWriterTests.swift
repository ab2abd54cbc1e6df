import NIOCore
import Testing

@testable import MediaCore

@Suite struct FLVWriterTests {
    @Test(arguments: [
        (true, true, "464c5601050000000900000000"),
        (true, false, "464c5601040000000900000000"),
        (false, true, "464c5601010000000900000000"),
        (false, false, "464c5601000000000900000000"),
    ])
    func headerBytes(hasAudio: Bool, hasVideo: Bool, hex: String) {
        var buffer = ByteBuffer()
        FLVWriter.write(FLVHeader(hasAudio: hasAudio, hasVideo: hasVideo), into: &buffer)
        #expect(AMFFLVHex.string(buffer) == hex)
    }

    @Test func tagBytesWithExtendedTimestamp() {
        var buffer = ByteBuffer()
        FLVWriter.write(type: .video, timestamp: 0x1234_5678, data: AMFFLVHex.buffer("170100000000"), into: &buffer)
        #expect(AMFFLVHex.string(buffer) == "09" + "000006" + "345678" + "12" + "000000" + "170100000000" + "00000011")
    }

    @Test func tagWithStreamIDAndOffsetIgnored() {
        var buffer = ByteBuffer()
        let tag = FLVTag(type: .scriptData, timestamp: 1, streamID: 0x01_0203, data: ByteBuffer(), offset: 999)
        FLVWriter.write(tag, into: &buffer)
        #expect(AMFFLVHex.string(buffer) == "12" + "000000" + "000001" + "00" + "010203" + "0000000b")
    }

    @Test func rewritingTheTinyFileGivesTheSameBytes() throws {
        let bytes = TinyFLV.bytes
        let events = try FLVReaderTests.readAll(bytes, chunkSize: 256).events
        var out = ByteBuffer()
        for event in events {
            switch event {
            case .header(let header): FLVWriter.write(header, into: &out)
            case .tag(let tag): FLVWriter.write(tag, into: &out)
            }
        }
        #expect(Array(out.readableBytesView) == bytes)
    }

    @Test func writtenTagsReadBack() throws {
        var out = ByteBuffer()
        FLVWriter.write(FLVHeader(hasAudio: true, hasVideo: false), into: &out)
        let timestamps: [UInt32] = [0, 23, 0xFF_FFFF, 0x0100_0000, 0xFFFF_FFFF]
        for (i, ts) in timestamps.enumerated() {
            FLVWriter.write(type: .audio, timestamp: ts, data: ByteBuffer(repeating: UInt8(i), count: i * 100), into: &out)
        }
        let (events, reader) = try FLVReaderTests.readAll(Array(out.readableBytesView), chunkSize: 37)
        let tags = events.compactMap { if case .tag(let t) = $0 { return t } else { return nil } }
        #expect(tags.map(\.timestamp) == timestamps)
        #expect(tags.map(\.data.readableBytes) == timestamps.indices.map { $0 * 100 })
        #expect(reader.warnings == 0)
    }
}
