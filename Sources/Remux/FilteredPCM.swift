import CFFmpeg

/// The audio path when a `pcmFilter` is set: every block of PCM is first made interleaved signed 16-bit in a
/// scratch buffer, handed to the filter, then appended to the AAC encoder. Without a filter the encoder converts
/// straight from the input (no scratch copy).
final class FilteredPCM {
    typealias Filter = @Sendable (UnsafeMutableBufferPointer<Int16>, Int, Int) -> Void

    /// Silence is filtered in blocks of at most this many samples per channel (a long gap is not one huge block).
    static let silenceBlock = 4096

    private let filter: Filter
    private let encoder: any PCMToAAC
    private var scratch: [Int16] = []

    init(filter: @escaping Filter, encoder: any PCMToAAC) {
        self.filter = filter
        self.encoder = encoder
    }

    /// RTMS L16: interleaved signed 16-bit little-endian; a trailing partial sample frame is dropped.
    func appendS16LittleEndian(_ bytes: UnsafeRawBufferPointer, _ emit: AACEncoder.Emit) throws {
        let count = bytes.count / (2 * encoder.channels) * encoder.channels
        guard count > 0 else { return }
        try run(count, emit) { samples in
            for index in 0..<count {
                samples[index] = Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))
            }
        }
    }

    func appendSilence(_ count: Int64, _ emit: AACEncoder.Emit) throws {
        var left = count
        while left > 0 {
            let block = Int(min(left, Int64(Self.silenceBlock)))
            try run(block * encoder.channels, emit) { samples in samples.update(repeating: 0) }
            left -= Int64(block)
        }
    }

    /// A decoded frame in s16, s16p, flt or fltp (what libavcodec's G.711, G.722 and Opus decoders produce).
    func append(decoded input: UnsafePointer<AVFrame>, _ emit: AACEncoder.Emit) throws {
        let frames = Int(input.pointee.nb_samples)
        let channels = encoder.channels
        guard Int(input.pointee.ch_layout.nb_channels) == channels, Int(input.pointee.sample_rate) == encoder.sampleRate
        else {
            throw RemuxError(
                "decoded audio is \(input.pointee.sample_rate) Hz with \(input.pointee.ch_layout.nb_channels) channels; the AAC encoder runs at \(encoder.sampleRate) Hz with \(channels)")
        }
        guard frames > 0 else { return }
        let format = AVSampleFormat(rawValue: input.pointee.format)
        try run(frames * channels, emit) { samples in
            for channel in 0..<channels {
                let planar = format == AV_SAMPLE_FMT_S16P || format == AV_SAMPLE_FMT_FLTP
                let raw = UnsafeRawPointer(cffmpeg_frame_extended_plane(input, Int32(planar ? channel : 0))!)
                let (start, step) = planar ? (0, 1) : (channel, channels)
                switch format {
                case AV_SAMPLE_FMT_S16, AV_SAMPLE_FMT_S16P:
                    let source = raw.assumingMemoryBound(to: Int16.self)
                    for index in 0..<frames { samples[index * channels + channel] = source[start + index * step] }
                case AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_FLTP:
                    let source = raw.assumingMemoryBound(to: Float.self)
                    for index in 0..<frames {
                        let value = (source[start + index * step] * 32768).rounded()
                        samples[index * channels + channel] = Int16(max(-32768, min(32767, value)))
                    }
                default:
                    throw RemuxError("decoded audio has sample format \(format.rawValue); expected s16, s16p, flt or fltp")
                }
            }
        }
    }

    /// Fills `count` interleaved samples, filters them, encodes them.
    private func run(_ count: Int, _ emit: AACEncoder.Emit, _ fill: (UnsafeMutableBufferPointer<Int16>) throws -> Void) throws {
        if scratch.count < count { scratch = [Int16](repeating: 0, count: count) }
        try scratch.withUnsafeMutableBufferPointer { whole in
            let block = UnsafeMutableBufferPointer(rebasing: whole[0..<count])
            try fill(block)
            filter(block, encoder.sampleRate, encoder.channels)
            // The encoder reads little-endian bytes; make them so on a big-endian host too.
            for index in block.indices { block[index] = block[index].littleEndian }
            _ = try encoder.appendS16LittleEndian(UnsafeRawBufferPointer(block), emit)
        }
    }
}
