import CFFmpeg

/// A codec context with the frame and packet every encode/decode loop needs, allocated together: when one
/// allocation fails, what was already allocated is freed and the error names the call and the codec's role.
struct CodecContextAllocation {
    let context: UnsafeMutablePointer<AVCodecContext>
    let frame: UnsafeMutablePointer<AVFrame>
    let packet: UnsafeMutablePointer<AVPacket>

    /// `role` is how errors name it, e.g. "the AAC encoder".
    init(codec: UnsafePointer<AVCodec>, role: String) throws {
        var context: UnsafeMutablePointer<AVCodecContext>? = try require(
            avcodec_alloc_context3(codec), "avcodec_alloc_context3 for \(role)")
        guard let frame = av_frame_alloc() else {
            avcodec_free_context(&context)
            throw RemuxError("av_frame_alloc for \(role) failed: returned NULL")
        }
        guard let packet = av_packet_alloc() else {
            var frame: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&frame)
            avcodec_free_context(&context)
            throw RemuxError("av_packet_alloc for \(role) failed: returned NULL")
        }
        self.context = context!
        self.frame = frame
        self.packet = packet
    }
}
