import CFFmpeg

/// 1 / 32768: signed 16-bit samples to the float range [-1, 1).
let pcmS16Scale: Float = 1.0 / 32768.0

/// Where PCM goes on its way to AAC: one encoder (`AACEncoder`) or segments encoded side by side
/// (`SegmentedAACEncoder`). Both take samples in the shapes RTMS audio decodes to and convert them straight into
/// the planar float buffers they fill (no intermediate copy); packets come out in order through `emit`, with
/// `pts`/`dts`/`duration` in samples counted from the first sample appended, encoder priming included (the first
/// packet is at -1024).
protocol PCMToAAC: AnyObject {
    var sampleRate: Int { get }
    var channels: Int { get }
    /// Samples appended so far (per channel), silence included.
    var samplesAppended: Int64 { get }
    /// An open encoder context with the stream's parameters (AudioSpecificConfig in extradata), for the muxer.
    var context: UnsafeMutablePointer<AVCodecContext> { get }
    /// The longest media time (µs) a packet can trail the samples appended, beyond the encoder's own frame delay:
    /// how long the muxer must let the other stream wait for audio.
    var packetLatencyMicroseconds: Int64 { get }
    /// Copies `total` samples per channel into the buffers being filled, in stretches:
    /// `write(planes, destinationOffset, sourceOffset, count)` fills one stretch of every plane.
    func fill(
        _ total: Int, _ emit: AACEncoder.Emit,
        _ write: ([UnsafeMutablePointer<Float>], Int, Int, Int) throws -> Void
    ) throws
    /// Encodes what is left and drains every packet.
    func flush(_ emit: AACEncoder.Emit) throws
}

extension PCMToAAC {
    /// Interleaved signed 16-bit little-endian samples (RTMS L16). Trailing bytes that do not make a whole
    /// sample frame are ignored; returns how many.
    @discardableResult
    func appendS16LittleEndian(_ bytes: UnsafeRawBufferPointer, _ emit: AACEncoder.Emit) throws -> Int {
        let stride = 2 * channels
        let total = bytes.count / stride
        guard total > 0, let base = bytes.baseAddress else { return bytes.count }
        let aligned = Int(bitPattern: base) % MemoryLayout<Int16>.alignment == 0
        try fill(total, emit) { planes, destination, source, count in
            for channel in 0..<self.channels {
                let plane = planes[channel] + destination
                if aligned {
                    let samples = base.assumingMemoryBound(to: Int16.self) + (source * self.channels + channel)
                    for index in 0..<count {
                        plane[index] = Float(Int16(littleEndian: samples[index * self.channels])) * pcmS16Scale
                    }
                } else {
                    var offset = (source * self.channels + channel) * 2
                    for index in 0..<count {
                        let value = base.loadUnaligned(fromByteOffset: offset, as: Int16.self)
                        plane[index] = Float(Int16(littleEndian: value)) * pcmS16Scale
                        offset += stride
                    }
                }
            }
        }
        return bytes.count - total * stride
    }

    /// A decoded frame in the sample formats libavcodec's G.711, G.722 and Opus decoders produce.
    func append(decoded input: UnsafePointer<AVFrame>, _ emit: AACEncoder.Emit) throws {
        let count = Int(input.pointee.nb_samples)
        let inputChannels = Int(input.pointee.ch_layout.nb_channels)
        guard inputChannels == channels else {
            throw RemuxError("decoded audio has \(inputChannels) channels, the AAC encoder was set up for \(channels)")
        }
        guard Int(input.pointee.sample_rate) == sampleRate else {
            throw RemuxError("decoded audio is at \(input.pointee.sample_rate) Hz, the AAC encoder runs at \(sampleRate) Hz")
        }
        guard count > 0 else { return }
        let format = AVSampleFormat(rawValue: input.pointee.format)
        let channels = self.channels
        switch format {
        case AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_S16P:
            let isFloat = format == AV_SAMPLE_FMT_FLTP
            try fill(count, emit) { planes, destination, source, n in
                for channel in 0..<channels {
                    let plane = planes[channel] + destination
                    let raw = UnsafeRawPointer(cffmpeg_frame_extended_plane(input, Int32(channel))!)
                    if isFloat {
                        plane.update(from: raw.assumingMemoryBound(to: Float.self) + source, count: n)
                    } else {
                        let samples = raw.assumingMemoryBound(to: Int16.self) + source
                        for index in 0..<n { plane[index] = Float(samples[index]) * pcmS16Scale }
                    }
                }
            }
        case AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_S16:
            let isFloat = format == AV_SAMPLE_FMT_FLT
            let raw = UnsafeRawPointer(cffmpeg_frame_extended_plane(input, 0)!)
            try fill(count, emit) { planes, destination, source, n in
                for channel in 0..<channels {
                    let plane = planes[channel] + destination
                    if isFloat {
                        let samples = raw.assumingMemoryBound(to: Float.self) + (source * channels + channel)
                        for index in 0..<n { plane[index] = samples[index * channels] }
                    } else {
                        let samples = raw.assumingMemoryBound(to: Int16.self) + (source * channels + channel)
                        for index in 0..<n { plane[index] = Float(samples[index * channels]) * pcmS16Scale }
                    }
                }
            }
        default:
            let name = av_get_sample_fmt_name(format).map { String(cString: $0) } ?? "\(format.rawValue)"
            throw RemuxError("decoded audio has sample format \(name); expected s16, s16p, flt or fltp")
        }
    }

    /// `count` samples of silence per channel.
    func appendSilence(_ count: Int64, _ emit: AACEncoder.Emit) throws {
        guard count > 0 else { return }
        try fill(Int(count), emit) { planes, destination, _, n in
            for channel in 0..<self.channels {
                (planes[channel] + destination).update(repeating: 0, count: n)
            }
        }
    }
}
