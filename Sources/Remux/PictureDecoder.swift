import CFFmpeg
import NIOCore

/// One JPG or PNG picture decoded by libavcodec: the frames it gave (one for a well-formed picture, none when the
/// decoder rejected the data). Made by `PictureDecoder`, possibly on another thread ahead of its turn
/// (`FLVRemuxer.appendVideo(_:timestampMs:decoded:)`); the frames are handed over with it, used once.
public struct DecodedPicture: @unchecked Sendable {
    // @unchecked: the frames are owned by this value alone; whoever holds it is the only user.
    public let codec: RTMSVideoCodec
    let frames: [OwnedFrame]

    /// Bytes the decoded frames hold (for bounding a queue of them).
    public var byteCount: Int {
        frames.reduce(0) { total, frame in
            let picture = frame.pointer.pointee
            return total + max(Int(av_image_get_buffer_size(AVPixelFormat(rawValue: picture.format), picture.width, picture.height, 1)), 0)
        }
    }
}

/// An `AVFrame` this code owns: freed (with its data references) when the object goes away.
final class OwnedFrame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() throws {
        pointer = try require(av_frame_alloc(), "av_frame_alloc")
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }
}

/// Decodes JPG or PNG pictures (one per RTMS message) with libavcodec. Not thread-safe: one thread at a time.
public final class PictureDecoder {
    public let codec: RTMSVideoCodec
    let name: String
    private let context: UnsafeMutablePointer<AVCodecContext>
    private let packet: UnsafeMutablePointer<AVPacket>

    public init(codec: RTMSVideoCodec) throws {
        self.codec = codec
        let id: AVCodecID
        switch codec {
        case .jpeg: id = AV_CODEC_ID_MJPEG
        case .png: id = AV_CODEC_ID_PNG
        case .h264: throw RemuxError("PictureDecoder handles JPG and PNG, not H.264")
        }
        let codecPointer = try require(avcodec_find_decoder(id), "avcodec_find_decoder(\(codec))")
        name = String(cString: codecPointer.pointee.name)
        var context: UnsafeMutablePointer<AVCodecContext>? = try require(
            avcodec_alloc_context3(codecPointer), "avcodec_alloc_context3(\(name))")
        guard let packet = av_packet_alloc() else {
            avcodec_free_context(&context)
            throw RemuxError("av_packet_alloc for pictures failed: returned NULL")
        }
        self.context = context!
        self.packet = packet
        try check(avcodec_open2(self.context, codecPointer, nil), "avcodec_open2(\(name))")
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }

    /// The frames of one picture; none when the decoder rejected it as invalid data (frames decoded before a
    /// rejection are kept). Throws `RemuxError` for other libav failures.
    public func decode(_ payload: ByteBuffer) throws -> DecodedPicture {
        guard payload.readableBytes > 0 else { return DecodedPicture(codec: codec, frames: []) }
        try check(av_new_packet(packet, Int32(payload.readableBytes)), "av_new_packet(\(payload.readableBytes) bytes)")
        defer { av_packet_unref(packet) }
        payload.withUnsafeReadableBytes { bytes in
            packet.pointee.data.update(from: bytes.bindMemory(to: UInt8.self).baseAddress!, count: bytes.count)
        }
        let sent = avcodec_send_packet(context, packet)
        if sent == cffmpeg_averror_invaliddata() { return DecodedPicture(codec: codec, frames: []) }
        try check(sent, "avcodec_send_packet(\(name), \(payload.readableBytes) bytes)")
        var frames: [OwnedFrame] = []
        while true {
            let frame = try OwnedFrame()
            let code = avcodec_receive_frame(context, frame.pointer)
            if code == averrorEAGAIN || code == averrorEOF || code == cffmpeg_averror_invaliddata() { break }
            try check(code, "avcodec_receive_frame(\(name))")
            frames.append(frame)
        }
        return DecodedPicture(codec: codec, frames: frames)
    }
}
