import CFFmpeg
import NIOCore

/// One H.264 access unit cut out of the RTMS byte stream by libavcodec's parser.
struct H264AccessUnit {
    var packet: OwnedPacket
    /// The timestamp of the message in which the access unit began.
    var timestampMs: Int64
    /// Holds an IDR slice.
    var isKeyframe: Bool
    /// SPS and PPS found in the access unit, as Annex B; empty when it holds none.
    var parameterSets: [UInt8]
    var hasSPS: Bool
    var hasPPS: Bool
    /// The picture order count the parser computed (display order within a coded video sequence).
    var pictureOrder: Int32
    var width: Int32
    var height: Int32
}

/// Re-frames arbitrary chunks of an Annex B stream into access units with `av_parser_parse2`. A chunk's timestamp
/// goes with the access unit that starts in it; output lags input by one access unit (the parser sees the end of a
/// unit only when the next one starts) until `flush`.
final class H264Reframer {
    private let parser: UnsafeMutablePointer<AVCodecParserContext>
    private let codecContext: UnsafeMutablePointer<AVCodecContext>

    init() throws {
        parser = try require(av_parser_init(Int32(AV_CODEC_ID_H264.rawValue)), "av_parser_init(h264)")
        guard let context = avcodec_alloc_context3(nil) else {
            av_parser_close(parser)
            throw RemuxError("avcodec_alloc_context3 for the H.264 parser failed: returned NULL")
        }
        codecContext = context
        codecContext.pointee.codec_type = AVMEDIA_TYPE_VIDEO
        codecContext.pointee.codec_id = AV_CODEC_ID_H264
    }

    deinit {
        av_parser_close(parser)
        var context: UnsafeMutablePointer<AVCodecContext>? = codecContext
        avcodec_free_context(&context)
    }

    func append(_ chunk: ByteBuffer, timestampMs: Int64, _ emit: (H264AccessUnit) throws -> Void) throws {
        try chunk.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            var offset = 0
            while offset < bytes.count {
                var output: UnsafeMutablePointer<UInt8>? = nil
                var outputSize: Int32 = 0
                let consumed = av_parser_parse2(
                    parser, codecContext, &output, &outputSize, base + offset, Int32(bytes.count - offset),
                    timestampMs, timestampMs, 0)
                try check(consumed, "av_parser_parse2(h264) at chunk offset \(offset)")
                offset += Int(consumed)
                if let output, outputSize > 0 {
                    try emit(makeAccessUnit(output, Int(outputSize)))
                }
                if consumed == 0 && outputSize == 0 {
                    throw RemuxError("av_parser_parse2(h264) made no progress at chunk offset \(offset)")
                }
            }
        }
    }

    /// Hands out the access unit the parser still holds.
    func flush(_ emit: (H264AccessUnit) throws -> Void) throws {
        var output: UnsafeMutablePointer<UInt8>? = nil
        var outputSize: Int32 = 0
        let nopts = cffmpeg_nopts_value()
        try check(
            av_parser_parse2(parser, codecContext, &output, &outputSize, nil, 0, nopts, nopts, 0),
            "av_parser_parse2(h264) while flushing")
        if let output, outputSize > 0 {
            try emit(makeAccessUnit(output, Int(outputSize)))
        }
    }

    private func makeAccessUnit(_ data: UnsafeMutablePointer<UInt8>, _ size: Int) throws
        -> H264AccessUnit
    {
        let bytes = UnsafeRawBufferPointer(start: data, count: size)
        let packet = try OwnedPacket(copying: bytes)
        let inspection = AnnexBScanner.inspectAccessUnit(bytes)
        let nopts = cffmpeg_nopts_value()
        var timestamp = parser.pointee.pts
        if timestamp == nopts { timestamp = parser.pointee.dts }
        // No message began inside this unit (several units in one message): it goes with the previous unit's
        // time, and the caller's monotonic guard moves it 1 ms on.
        if timestamp == nopts { timestamp = lastTimestampMs }
        lastTimestampMs = timestamp
        return H264AccessUnit(
            packet: packet, timestampMs: timestamp, isKeyframe: inspection.hasIDR,
            parameterSets: inspection.parameterSets, hasSPS: inspection.hasSPS, hasPPS: inspection.hasPPS,
            pictureOrder: parser.pointee.output_picture_number,
            width: parser.pointee.width, height: parser.pointee.height)
    }

    private var lastTimestampMs: Int64 = 0
}
