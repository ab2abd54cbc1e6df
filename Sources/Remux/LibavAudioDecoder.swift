import CFFmpeg
import NIOCore

/// A libavcodec audio decoder for the RTMS codecs that are not plain PCM: G.711 mu-law and A-law, G.722, Opus.
/// One RTMS message is one packet.
final class LibavAudioDecoder {
    let codecName: String
    private let context: UnsafeMutablePointer<AVCodecContext>
    private let frame: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>

    init(codecID: AVCodecID, sampleRate: Int, channels: Int) throws {
        let codec = try require(avcodec_find_decoder(codecID), "avcodec_find_decoder(\(codecID.rawValue))")
        codecName = String(cString: codec.pointee.name)
        let allocation = try CodecContextAllocation(codec: codec, role: "the \(codecName) decoder")
        self.context = allocation.context
        self.frame = allocation.frame
        self.packet = allocation.packet
        self.context.pointee.sample_rate = Int32(sampleRate)
        if channels == 1 {
            cffmpeg_channel_layout_mono(&self.context.pointee.ch_layout)
        } else {
            cffmpeg_channel_layout_stereo(&self.context.pointee.ch_layout)
        }
        try check(avcodec_open2(self.context, codec, nil), "avcodec_open2(\(codecName), \(sampleRate) Hz, \(channels) ch)")
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&frame)
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }

    /// Decodes one message. Returns false when the decoder rejected the payload as invalid data (the message is
    /// skipped; the caller counts it); every other failure throws.
    func decode(_ payload: ByteBuffer, _ body: (UnsafePointer<AVFrame>) throws -> Void) throws -> Bool {
        guard payload.readableBytes > 0 else { return true }
        try check(av_new_packet(packet, Int32(payload.readableBytes)), "av_new_packet(\(payload.readableBytes) bytes)")
        defer { av_packet_unref(packet) }
        payload.withUnsafeReadableBytes { bytes in
            packet.pointee.data.update(from: bytes.bindMemory(to: UInt8.self).baseAddress!, count: bytes.count)
        }
        let sent = avcodec_send_packet(context, packet)
        if sent == cffmpeg_averror_invaliddata() { return false }
        try check(sent, "avcodec_send_packet(\(codecName), \(payload.readableBytes) bytes)")
        return try receiveAll(body)
    }

    /// Drains what the decoder still holds at the end.
    func flush(_ body: (UnsafePointer<AVFrame>) throws -> Void) throws {
        try check(avcodec_send_packet(context, nil), "avcodec_send_packet(\(codecName), flush)")
        _ = try receiveAll(body)
    }

    private func receiveAll(_ body: (UnsafePointer<AVFrame>) throws -> Void) throws -> Bool {
        while true {
            let code = avcodec_receive_frame(context, frame)
            if code == averrorEAGAIN || code == averrorEOF { return true }
            if code == cffmpeg_averror_invaliddata() { return false }
            try check(code, "avcodec_receive_frame(\(codecName))")
            defer { av_frame_unref(frame) }
            try body(frame)
        }
    }
}
