import NIOCore

/// A RIFF WAVE file's audio, decoded to interleaved signed 16-bit samples at the file's own rate and channel
/// count: what `transponder sound` mixes into a transponder's outgoing audio (the seed's `sound_on`).
///
/// Reads PCM with 8, 16, 24 or 32 bits per sample and IEEE float with 32 bits, plain or as
/// WAVE_FORMAT_EXTENSIBLE, any sample rate and 1 to `maxChannels` channels. Other chunks (LIST, fact, cue ...)
/// are skipped. A file that is not such a WAV is a `MediaError(.malformedInput)` that says what is wrong and at
/// which byte offset.
///
/// Reference: Microsoft/IBM, "Multimedia Programming Interface and Data Specifications 1.0" (1991), RIFF and
/// WAVE; Microsoft, "WAVEFORMATEXTENSIBLE".
public struct WAVAudio: Sendable, Equatable {
    public enum Encoding: Sendable, Equatable, CustomStringConvertible {
        case pcm(bits: Int)
        case float32

        public var description: String {
            switch self {
            case .pcm(let bits): return "\(bits)-bit PCM"
            case .float32: return "32-bit float"
            }
        }
    }

    /// More channels than any speaker layout of WAVEFORMATEXTENSIBLE's channel mask (18 positions) is not audio
    /// for a stream.
    public static let maxChannels = 18
    /// 1 Hz to 768 kHz: any rate a real file has, and no division by zero.
    public static let sampleRates = 1...768_000

    public let sampleRate: Int
    public let channels: Int
    public let encoding: Encoding
    /// Interleaved signed 16-bit samples, `channels` per frame.
    public let samples: [Int16]

    public var frameCount: Int { samples.count / channels }
    public var durationSeconds: Double { Double(frameCount) / Double(sampleRate) }

    /// Interleaved S16 audio made in memory (tests, tones).
    public init(sampleRate: Int, channels: Int, samples: [Int16]) {
        precondition(channels > 0 && sampleRate > 0 && samples.count % channels == 0)
        self.sampleRate = sampleRate
        self.channels = channels
        self.encoding = .pcm(bits: 16)
        self.samples = samples
    }

    // MARK: Parsing

    /// WAVE_FORMAT_PCM, WAVE_FORMAT_IEEE_FLOAT, WAVE_FORMAT_EXTENSIBLE (mmreg.h).
    static let formatPCM: UInt16 = 0x0001
    static let formatFloat: UInt16 = 0x0003
    static let formatExtensible: UInt16 = 0xFFFE
    /// The last 14 bytes shared by KSDATAFORMAT_SUBTYPE_PCM and _IEEE_FLOAT: `xxxxxxxx-0000-0010-8000-00aa00389b71`
    /// with the format tag in the first two bytes.
    static let subformatTail: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]

    /// Decodes a whole WAV file held in `bytes` (its readable bytes; offsets in errors count from the first).
    public init(parsing bytes: ByteBuffer) throws {
        var parser = WAVParser(bytes)
        (sampleRate, channels, encoding, samples) = try parser.parse()
    }
}

/// The chunk walk behind `WAVAudio.init(parsing:)`.
private struct WAVParser {
    let bytes: ByteBuffer
    let base: Int
    let count: Int

    init(_ bytes: ByteBuffer) {
        self.bytes = bytes
        base = bytes.readerIndex
        count = bytes.readableBytes
    }

    func error(_ offset: Int, _ what: String) -> MediaError {
        MediaError(.malformedInput, "not a usable WAV file: \(what) (byte \(offset))")
    }

    func u16(_ offset: Int) -> UInt16 { bytes.getInteger(at: base + offset, endianness: .little, as: UInt16.self)! }
    func u32(_ offset: Int) -> UInt32 { bytes.getInteger(at: base + offset, endianness: .little, as: UInt32.self)! }
    func fourCC(_ offset: Int) -> String {
        let raw = bytes.getBytes(at: base + offset, length: 4)!
        return raw.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
            ? "'\(String(decoding: raw, as: UTF8.self))'" : "0x" + RTMSHex.encode(raw)
    }

    struct Format {
        var channels: Int
        var sampleRate: Int
        var encoding: WAVAudio.Encoding
        var blockAlign: Int
    }

    mutating func parse() throws -> (Int, Int, WAVAudio.Encoding, [Int16]) {
        // "A RIFF form ... begins with the four-character code 'RIFF' ... followed by the form type" ('WAVE').
        guard count >= 12 else { throw error(0, "\(count) bytes, too short for a RIFF header (12 bytes)") }
        guard fourCC(0) == "'RIFF'" else { throw error(0, "starts with \(fourCC(0)), expected 'RIFF'") }
        guard fourCC(8) == "'WAVE'" else { throw error(8, "RIFF form type \(fourCC(8)), expected 'WAVE'") }
        // The RIFF size is often wrong in files written by streaming tools; chunks are read to the end of the file
        // or of the RIFF chunk, whichever comes first.
        let riffSize = Int(u32(4))
        let end = riffSize >= 4 && 8 + riffSize < count ? 8 + riffSize : count
        var format: Format?
        var offset = 12
        while offset + 8 <= end {
            let id = fourCC(offset)
            let declared = u32(offset + 4)
            let dataStart = offset + 8
            switch id {
            case "'fmt '":
                guard format == nil else { throw error(offset, "a second 'fmt ' chunk") }
                guard Int(declared) <= end - dataStart else {
                    throw error(offset, "'fmt ' chunk declares \(declared) bytes but \(end - dataStart) follow")
                }
                format = try parseFormat(at: dataStart, size: Int(declared))
            case "'data'":
                // "fmt-ck is mandatory and shall always be recorded before data-ck."
                guard let format else { throw error(offset, "'data' chunk before any 'fmt ' chunk") }
                // 0xFFFFFFFF: the size of a WAV written to a pipe, never patched; the data runs to the end.
                var size = declared == .max ? end - dataStart : Int(declared)
                guard size <= end - dataStart else {
                    throw error(offset, "'data' chunk declares \(declared) bytes but \(end - dataStart) follow (truncated file?)")
                }
                if declared == .max { size -= size % format.blockAlign }
                guard size % format.blockAlign == 0 else {
                    throw error(offset, "'data' chunk of \(size) bytes is not a whole number of \(format.blockAlign)-byte frames")
                }
                guard size > 0 else { throw error(offset, "'data' chunk holds no audio") }
                return (format.sampleRate, format.channels, format.encoding, decode(at: dataStart, size: size, format))
            default:
                guard Int(declared) <= end - dataStart else {
                    throw error(offset, "chunk \(id) declares \(declared) bytes but \(end - dataStart) follow")
                }
            }
            // "If the chunk size is an odd number of bytes, a pad byte with value zero is written after ckData."
            offset = dataStart + Int(declared) + Int(declared & 1)
        }
        if offset < end { throw error(offset, "\(end - offset) stray bytes where a chunk header (8 bytes) should be") }
        throw error(end, format == nil ? "no 'fmt ' chunk" : "no 'data' chunk")
    }

    /// WAVEFORMATEX: wFormatTag, nChannels, nSamplesPerSec, nAvgBytesPerSec, nBlockAlign, wBitsPerSample
    /// [, cbSize, wValidBitsPerSample, dwChannelMask, SubFormat GUID].
    func parseFormat(at start: Int, size: Int) throws -> Format {
        guard size >= 16 else { throw error(start - 8, "'fmt ' chunk of \(size) bytes, at least 16 needed") }
        var tag = u16(start)
        var tagOffset = start
        let channels = Int(u16(start + 2))
        let sampleRate = Int(u32(start + 4))
        let blockAlign = Int(u16(start + 12))
        let bits = Int(u16(start + 14))
        if tag == WAVAudio.formatExtensible {
            guard size >= 40 else {
                throw error(start - 8, "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk of \(size) bytes, 40 needed")
            }
            let guid = bytes.getBytes(at: base + start + 24, length: 16)!
            guard Array(guid[2...]) == WAVAudio.subformatTail else {
                throw error(start + 24, "extensible sub-format \(RTMSHex.encode(guid)) is neither PCM nor IEEE float")
            }
            tag = UInt16(guid[0]) | UInt16(guid[1]) << 8
            tagOffset = start + 24
        }
        let encoding: WAVAudio.Encoding
        switch (tag, bits) {
        case (WAVAudio.formatPCM, 8), (WAVAudio.formatPCM, 16), (WAVAudio.formatPCM, 24), (WAVAudio.formatPCM, 32):
            encoding = .pcm(bits: bits)
        case (WAVAudio.formatFloat, 32):
            encoding = .float32
        case (WAVAudio.formatPCM, _), (WAVAudio.formatFloat, _):
            throw error(start + 14, "\(bits) bits per sample for format \(tag == WAVAudio.formatPCM ? "PCM" : "IEEE float"); PCM takes 8, 16, 24 or 32, float 32")
        default:
            throw error(tagOffset, "format tag 0x\(String(tag, radix: 16, uppercase: true)) (compressed audio); only PCM (1) and IEEE float (3) can be mixed")
        }
        guard (1...WAVAudio.maxChannels).contains(channels) else {
            throw error(start + 2, "\(channels) channels, 1 to \(WAVAudio.maxChannels) supported")
        }
        guard WAVAudio.sampleRates.contains(sampleRate) else {
            throw error(start + 4, "sample rate \(sampleRate) Hz, \(WAVAudio.sampleRates.lowerBound) to \(WAVAudio.sampleRates.upperBound) supported")
        }
        guard blockAlign == channels * bits / 8 else {
            throw error(start + 12, "block align \(blockAlign) does not match \(channels) channels of \(bits) bits (\(channels * bits / 8))")
        }
        return Format(channels: channels, sampleRate: sampleRate, encoding: encoding, blockAlign: blockAlign)
    }

    /// To signed 16-bit. "8-bit samples ... unsigned ... 0 to 255" (midpoint 128); wider ones are signed two's
    /// complement, little-endian, and keep their top 16 bits; float is scaled by 32767 and clipped to [-1, 1].
    func decode(at start: Int, size: Int, _ format: Format) -> [Int16] {
        let sampleCount = size / (format.blockAlign / format.channels)
        return bytes.withUnsafeReadableBytes { raw -> [Int16] in
            let data = UnsafeRawBufferPointer(rebasing: raw[start..<(start + size)])
            return [Int16](unsafeUninitializedCapacity: sampleCount) { out, initialized in
                switch format.encoding {
                case .pcm(8):
                    for i in 0..<sampleCount { out[i] = Int16(Int(data[i]) - 128) << 8 }
                case .pcm(16):
                    for i in 0..<sampleCount {
                        out[i] = Int16(bitPattern: UInt16(data[2 * i]) | UInt16(data[2 * i + 1]) << 8)
                    }
                case .pcm(24):
                    for i in 0..<sampleCount {
                        out[i] = Int16(bitPattern: UInt16(data[3 * i + 1]) | UInt16(data[3 * i + 2]) << 8)
                    }
                case .pcm:
                    for i in 0..<sampleCount {
                        out[i] = Int16(bitPattern: UInt16(data[4 * i + 2]) | UInt16(data[4 * i + 3]) << 8)
                    }
                case .float32:
                    for i in 0..<sampleCount {
                        let bits = data.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                        let value = Float(bitPattern: UInt32(littleEndian: bits))
                        out[i] = value.isNaN ? 0 : Int16((min(max(value, -1), 1) * 32767).rounded())
                    }
                }
                initialized = sampleCount
            }
        }
    }
}
