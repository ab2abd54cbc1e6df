import CFFmpeg

/// libavcodec's native `aac` encoder fed with PCM in any of the shapes RTMS audio decodes to. Samples are written
/// straight into the planar float `AVFrame` being filled (no intermediate buffer); each full frame of
/// `frameSize` samples (1024 for AAC) is sent to the encoder. Packet timestamps are in samples, counted from the
/// first sample appended, and include the encoder's priming delay (the first packet is at -1024).
final class AACEncoder: PCMToAAC {
    let sampleRate: Int
    let channels: Int
    /// Samples per AAC frame (1024), known once the encoder is open.
    private(set) var frameSize = 0
    let context: UnsafeMutablePointer<AVCodecContext>
    /// Each packet comes out as soon as its frame (and the one after) is in.
    var packetLatencyMicroseconds: Int64 { 0 }
    /// Samples appended so far (per channel), silence included.
    private(set) var samplesAppended: Int64 = 0

    private let frame: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    private var filled = 0
    private var frameIsWritable = false
    private var flushed = false

    init(sampleRate: Int, channels: Int, bitrate: Int) throws {
        guard channels == 1 || channels == 2 else {
            throw RemuxError("AAC encoder: \(channels) audio channels; RTMS audio is mono or stereo")
        }
        guard [8000, 16000, 32000, 44100, 48000].contains(sampleRate) else {
            throw RemuxError("AAC encoder: sample rate \(sampleRate) Hz is not one RTMS uses (8, 16, 32, 48 kHz)")
        }
        self.sampleRate = sampleRate
        self.channels = channels
        let codec = try require(avcodec_find_encoder_by_name("aac"), "avcodec_find_encoder_by_name(aac)")
        let allocation = try CodecContextAllocation(codec: codec, role: "the AAC encoder")
        self.context = allocation.context
        self.frame = allocation.frame
        self.packet = allocation.packet
        // Every stored property is set: from here on a throw runs deinit, which frees everything.
        let c = self.context
        c.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        c.pointee.sample_rate = Int32(sampleRate)
        if channels == 1 {
            cffmpeg_channel_layout_mono(&c.pointee.ch_layout)
        } else {
            cffmpeg_channel_layout_stereo(&c.pointee.ch_layout)
        }
        // The encoder caps a channel at 6144 bits per 1024-sample frame ("clamping to max" otherwise).
        let maximumBitrate = 6 * sampleRate * channels
        c.pointee.bit_rate = Int64(min(max(bitrate, 8_000), maximumBitrate))
        c.pointee.time_base = AVRational(num: 1, den: Int32(sampleRate))
        // FLV carries the AudioSpecificConfig in its sequence header, not in band.
        c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        try check(avcodec_open2(c, codec, nil), "avcodec_open2(aac, \(sampleRate) Hz, \(channels) ch)")
        frameSize = Int(c.pointee.frame_size)
        guard frameSize > 0 else {
            throw RemuxError("AAC encoder reported frame size \(frameSize)")
        }
        frame.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        frame.pointee.sample_rate = Int32(sampleRate)
        frame.pointee.nb_samples = Int32(frameSize)
        try check(av_channel_layout_copy(&frame.pointee.ch_layout, &c.pointee.ch_layout), "av_channel_layout_copy")
        try check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer(aac input, \(frameSize) samples)")
        frameIsWritable = true
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&frame)
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }

    /// Encoded packets go to `emit` with `pts`/`dts`/`duration` in samples.
    typealias Emit = (OwnedPacket) throws -> Void

    /// Encodes what is left (a short last frame) and drains the encoder.
    func flush(_ emit: Emit) throws {
        guard !flushed else { return }
        flushed = true
        if filled > 0 {
            frame.pointee.nb_samples = Int32(filled)
            try sendFilledFrame(emit)
        }
        try check(avcodec_send_frame(context, nil), "avcodec_send_frame(aac, flush)")
        try drain(emit)
    }

    /// Copies `total` samples into frames: `write(planes, frameOffset, sourceOffset, count)` fills one stretch.
    func fill(
        _ total: Int, _ emit: Emit,
        _ write: ([UnsafeMutablePointer<Float>], Int, Int, Int) throws -> Void
    ) throws {
        guard !flushed else { throw RemuxError("AAC encoder: audio appended after finish") }
        var done = 0
        while done < total {
            if !frameIsWritable {
                try check(av_frame_make_writable(frame), "av_frame_make_writable(aac input)")
                frameIsWritable = true
            }
            var planes: [UnsafeMutablePointer<Float>] = []
            planes.reserveCapacity(channels)
            for channel in 0..<channels {
                planes.append(try require(cffmpeg_frame_float_plane(frame, Int32(channel)), "AAC input plane \(channel)"))
            }
            let count = min(frameSize - filled, total - done)
            try write(planes, filled, done, count)
            filled += count
            done += count
            samplesAppended += Int64(count)
            if filled == frameSize {
                try sendFilledFrame(emit)
            }
        }
    }

    private func sendFilledFrame(_ emit: Emit) throws {
        frame.pointee.pts = nextFramePts
        nextFramePts += Int64(filled)
        try check(avcodec_send_frame(context, frame), "avcodec_send_frame(aac, pts \(frame.pointee.pts))")
        filled = 0
        frameIsWritable = false
        try drain(emit)
    }

    private var nextFramePts: Int64 = 0

    private func drain(_ emit: Emit) throws {
        while true {
            let code = avcodec_receive_packet(context, packet)
            if code == averrorEAGAIN || code == averrorEOF { return }
            try check(code, "avcodec_receive_packet(aac)")
            try emit(OwnedPacket.moving(from: packet))
        }
    }
}
