import NIOCore
import Testing

@testable import MediaCore

struct VideoHeaderCase: Sendable, CustomTestStringConvertible {
    let name: String
    let hex: String
    let frameType: VideoFrameType
    let codec: VideoCodec
    let packetType: VideoPacketType
    let compositionTime: Int32
    let headerSize: Int
    let isEnhanced: Bool
    var trackID: UInt8? = nil
    var nanoOffset: UInt32? = nil
    var testDescription: String { name }
}

@Suite struct VideoTagHeaderTests {
    static let cases: [VideoHeaderCase] = [
        .init(
            name: "legacy AVC sequence header (ffmpeg)", hex: "17 00 000000 0164000dffe1", frameType: .keyframe,
            codec: .avc, packetType: .sequenceStart, compositionTime: 0, headerSize: 5, isEnhanced: false),
        .init(
            name: "legacy AVC NALU, CTS 200", hex: "27 01 0000C8 000009a9", frameType: .interframe, codec: .avc,
            packetType: .codedFrames, compositionTime: 200, headerSize: 5, isEnhanced: false),
        .init(
            name: "legacy AVC NALU, CTS -200", hex: "27 01 FFFF38 00", frameType: .interframe, codec: .avc,
            packetType: .codedFrames, compositionTime: -200, headerSize: 5, isEnhanced: false),
        .init(
            name: "legacy AVC end of sequence", hex: "17 02 000000", frameType: .keyframe, codec: .avc,
            packetType: .sequenceEnd, compositionTime: 0, headerSize: 5, isEnhanced: false),
        .init(
            name: "legacy HEVC (codec id 12)", hex: "1C 01 000028 00", frameType: .keyframe, codec: .legacyHEVC,
            packetType: .codedFrames, compositionTime: 40, headerSize: 5, isEnhanced: false),
        .init(
            name: "Sorenson H.263", hex: "22 0000", frameType: .interframe, codec: .sorensonH263,
            packetType: .codedFrames, compositionTime: 0, headerSize: 1, isEnhanced: false),
        .init(
            name: "disposable H.263", hex: "32 0000", frameType: .disposableInterframe, codec: .sorensonH263,
            packetType: .codedFrames, compositionTime: 0, headerSize: 1, isEnhanced: false),
        .init(
            name: "VP6", hex: "14 00 aa", frameType: .keyframe, codec: .vp6, packetType: .codedFrames,
            compositionTime: 0, headerSize: 2, isEnhanced: false),
        .init(
            name: "VP6 alpha", hex: "15 00 000010 aa", frameType: .keyframe, codec: .vp6Alpha,
            packetType: .codedFrames, compositionTime: 0, headerSize: 5, isEnhanced: false),
        .init(
            name: "screen video", hex: "13 aa", frameType: .keyframe, codec: .screenVideo, packetType: .codedFrames,
            compositionTime: 0, headerSize: 1, isEnhanced: false),
        .init(
            name: "legacy command frame", hex: "57 01", frameType: .command, codec: .avc, packetType: .other(1),
            compositionTime: 0, headerSize: 2, isEnhanced: false),
        .init(
            name: "E-RTMP hvc1 SequenceStart", hex: "90 68766331 01", frameType: .keyframe, codec: .fourCC("hvc1"),
            packetType: .sequenceStart, compositionTime: 0, headerSize: 5, isEnhanced: true),
        .init(
            name: "E-RTMP hvc1 CodedFrames, CTS 100", hex: "91 68766331 000064 00", frameType: .keyframe,
            codec: .fourCC("hvc1"), packetType: .codedFrames, compositionTime: 100, headerSize: 8, isEnhanced: true),
        .init(
            name: "E-RTMP avc1 CodedFramesX", hex: "A3 61766331 00", frameType: .interframe, codec: .fourCC("avc1"),
            packetType: .codedFrames, compositionTime: 0, headerSize: 5, isEnhanced: true),
        .init(
            name: "E-RTMP av01 CodedFrames (no CTS)", hex: "A1 61763031 12", frameType: .interframe,
            codec: .fourCC("av01"), packetType: .codedFrames, compositionTime: 0, headerSize: 5, isEnhanced: true),
        .init(
            name: "E-RTMP vp09 SequenceEnd", hex: "92 76703039", frameType: .keyframe, codec: .fourCC("vp09"),
            packetType: .sequenceEnd, compositionTime: 0, headerSize: 5, isEnhanced: true),
        .init(
            name: "E-RTMP Metadata", hex: "84 61763031 02", frameType: .reserved(0), codec: .fourCC("av01"),
            packetType: .metadata, compositionTime: 0, headerSize: 5, isEnhanced: true),
        .init(
            name: "E-RTMP MPEG2TSSequenceStart", hex: "95 61763031", frameType: .keyframe, codec: .fourCC("av01"),
            packetType: .other(5), compositionTime: 0, headerSize: 5, isEnhanced: true),
        .init(
            name: "E-RTMP command frame", hex: "D1 00", frameType: .command, codec: .fourCC(""),
            packetType: .other(0), compositionTime: 0, headerSize: 2, isEnhanced: true),
        .init(
            name: "multitrack OneTrack avc1", hex: "96 01 61766331 00 000050 00", frameType: .keyframe,
            codec: .fourCC("avc1"), packetType: .codedFrames, compositionTime: 80, headerSize: 10,
            isEnhanced: true, trackID: 0),
        .init(
            name: "multitrack ManyTracks hvc1 SequenceStart", hex: "96 10 68766331 02 000020 01",
            frameType: .keyframe, codec: .fourCC("hvc1"), packetType: .sequenceStart, compositionTime: 0,
            headerSize: 10, isEnhanced: true, trackID: 2),
        .init(
            name: "multitrack ManyTracksManyCodecs", hex: "A6 21 61766331 00 000010 FFFFFE 00", frameType: .interframe,
            codec: .fourCC("avc1"), packetType: .codedFrames, compositionTime: -2, headerSize: 13,
            isEnhanced: true, trackID: 0),
        .init(
            name: "ModEx TimestampOffsetNano", hex: "97 02 0001F4 01 61766331 000000 00", frameType: .keyframe,
            codec: .fourCC("avc1"), packetType: .codedFrames, compositionTime: 0, headerSize: 13, isEnhanced: true,
            nanoOffset: 500),
    ]

    @Test(arguments: cases)
    func parses(_ c: VideoHeaderCase) throws {
        let header = try VideoTagHeader.parse(AMFFLVHex.buffer(c.hex))
        #expect(header.frameType == c.frameType)
        #expect(header.codec == c.codec)
        #expect(header.packetType == c.packetType)
        #expect(header.compositionTime == c.compositionTime)
        #expect(header.headerSize == c.headerSize)
        #expect(header.isEnhanced == c.isEnhanced)
        #expect(header.trackID == c.trackID)
        #expect(header.isMultitrack == (c.trackID != nil))
        #expect(header.timestampNanoOffset == c.nanoOffset)
    }

    @Test(arguments: cases)
    func truncatedHeadersThrow(_ c: VideoHeaderCase) {
        let bytes = AMFFLVHex.bytes(c.hex)
        for cut in 0..<c.headerSize {
            #expect(throws: MediaError.self, "cut at \(cut)") {
                try VideoTagHeader.parse(ByteBuffer(bytes: bytes[..<cut]))
            }
        }
    }

    @Test func parseDoesNotConsumeAndHonoursTheReaderIndex() throws {
        var buffer = AMFFLVHex.buffer("FF FF 27 01 000010")
        buffer.moveReaderIndex(forwardBy: 2)
        let header = try VideoTagHeader.parse(buffer)
        #expect(header.compositionTime == 16)
        #expect(buffer.readerIndex == 2)
    }

    @Test(arguments: ["18 00", "11 00", "10 00", "1F 00"])
    func unknownLegacyCodecThrows(_ hex: String) {
        #expect(throws: MediaError.self) { try VideoTagHeader.parse(AMFFLVHex.buffer(hex)) }
    }

    @Test func hostileModExSizeThrows() {
        // ModEx size 0xFF + 1 = 256 switches to UI16 + 1 = 65536 bytes that are not there.
        #expect(throws: MediaError.self) { try VideoTagHeader.parse(AMFFLVHex.buffer("97 FF FFFF 00 00")) }
    }

    @Test func nestedMultitrackThrows() {
        #expect(throws: MediaError.self) { try VideoTagHeader.parse(AMFFLVHex.buffer("96 06 61766331 00")) }
    }

    @Test func keyframes() throws {
        #expect(try VideoTagHeader.parse(AMFFLVHex.buffer("17 01 000000")).isKeyframe)
        #expect(try VideoTagHeader.parse(AMFFLVHex.buffer("47 01 000000")).isKeyframe)  // generated keyframe
        #expect(try !VideoTagHeader.parse(AMFFLVHex.buffer("27 01 000000")).isKeyframe)
        #expect(try VideoTagHeader.parse(AMFFLVHex.buffer("93 61763031")).isKeyframe)
    }

    @Test(arguments: [
        (VideoCodec.avc, "h264"), (.fourCC("avc1"), "h264"), (.legacyHEVC, "hevc"), (.fourCC("hvc1"), "hevc"),
        (.fourCC("av01"), "av1"), (.fourCC("vp09"), "vp9"), (.fourCC("vp08"), "vp8"), (.fourCC("vvc1"), "vvc"),
        (.sorensonH263, "flv1"), (.vp6, "vp6"), (.screenVideo, "screen"), (.fourCC("abcd"), "abcd"),
    ])
    func codecNames(_ codec: VideoCodec, _ name: String) {
        #expect(codec.name == name)
    }

    @Test func metadataCodecIDs() {
        #expect(VideoCodec.avc.metadataCodecID == 7)
        #expect(VideoCodec.fourCC("hvc1").metadataCodecID == 1_752_589_105)
        #expect(VideoCodec(metadataCodecID: .number(1_752_589_105)) == .fourCC("hvc1"))
        #expect(VideoCodec(metadataCodecID: .number(7)) == .avc)
        #expect(VideoCodec(metadataCodecID: .string("av01")) == .fourCC("av01"))
        #expect(VideoCodec(metadataCodecID: .number(1)) == nil)
    }
}
