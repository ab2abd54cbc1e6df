/// An audio codec as FLV and RTMP signal it: a legacy SoundFormat (FLV spec v10.1 E.4.2.1) or an Enhanced RTMP
/// audio FourCC (SoundFormat 9, "ExHeader").
public enum AudioCodec: Sendable, Equatable, Hashable {
    /// SoundFormat 0: "Linear PCM, platform endian".
    case pcmPlatformEndian
    /// 1: "ADPCM".
    case adpcm
    /// 2: "MP3".
    case mp3
    /// 3: "Linear PCM, little endian".
    case pcmLittleEndian
    /// 4: "Nellymoser 16 kHz mono".
    case nellymoser16kMono
    /// 5: "Nellymoser 8 kHz mono".
    case nellymoser8kMono
    /// 6: "Nellymoser".
    case nellymoser
    /// 7: "G.711 A-law logarithmic PCM".
    case g711ALaw
    /// 8: "G.711 mu-law logarithmic PCM".
    case g711MuLaw
    /// 10: "AAC".
    case aac
    /// 11: "Speex".
    case speex
    /// 14: "MP3 8 kHz".
    case mp3_8k
    /// 15: "Device-specific sound".
    case deviceSpecific
    /// An Enhanced RTMP FourCC: "mp4a", "Opus", "fLaC", "ac-3", "ec-3", ".mp3" or any other.
    case fourCC(String)

    public init?(soundFormat: UInt8) {
        switch soundFormat {
        case 0: self = .pcmPlatformEndian
        case 1: self = .adpcm
        case 2: self = .mp3
        case 3: self = .pcmLittleEndian
        case 4: self = .nellymoser16kMono
        case 5: self = .nellymoser8kMono
        case 6: self = .nellymoser
        case 7: self = .g711ALaw
        case 8: self = .g711MuLaw
        case 10: self = .aac
        case 11: self = .speex
        case 14: self = .mp3_8k
        case 15: self = .deviceSpecific
        default: return nil
        }
    }

    /// The legacy SoundFormat, if this codec has one.
    public var soundFormat: UInt8? {
        switch self {
        case .pcmPlatformEndian: return 0
        case .adpcm: return 1
        case .mp3: return 2
        case .pcmLittleEndian: return 3
        case .nellymoser16kMono: return 4
        case .nellymoser8kMono: return 5
        case .nellymoser: return 6
        case .g711ALaw: return 7
        case .g711MuLaw: return 8
        case .aac: return 10
        case .speex: return 11
        case .mp3_8k: return 14
        case .deviceSpecific: return 15
        case .fourCC: return nil
        }
    }

    /// A short name in ffmpeg's spelling: "aac", "mp3", "pcm_s16le", "opus", "flac", "ac3", "eac3", "speex",
    /// "g711_alaw", "g711_mulaw", "nellymoser", "adpcm_swf"; an unknown FourCC is its own name.
    /// Linear PCM is named after its 16-bit form ("pcm" for platform endian).
    public var name: String {
        switch self {
        case .pcmPlatformEndian: return "pcm"
        case .adpcm: return "adpcm_swf"
        case .mp3, .mp3_8k: return "mp3"
        case .pcmLittleEndian: return "pcm_s16le"
        case .nellymoser16kMono, .nellymoser8kMono, .nellymoser: return "nellymoser"
        case .g711ALaw: return "g711_alaw"
        case .g711MuLaw: return "g711_mulaw"
        case .aac: return "aac"
        case .speex: return "speex"
        case .deviceSpecific: return "device_specific"
        case .fourCC(let code):
            switch code {
            case "mp4a": return "aac"
            case "Opus": return "opus"
            case "fLaC": return "flac"
            case "ac-3": return "ac3"
            case "ec-3": return "eac3"
            case ".mp3": return "mp3"
            default: return code
            }
        }
    }

    /// True for AAC in either signalling.
    public var isAAC: Bool { self == .aac || self == .fourCC("mp4a") }

    /// The onMetaData `audiocodecid`: the SoundFormat, or for a FourCC "the FOURCC value as a number".
    public var metadataCodecID: Double {
        switch self {
        case .fourCC(let code):
            return Double(code.unicodeScalars.reduce(UInt32(0)) { $0 << 8 | ($1.value & 0xFF) })
        default:
            return Double(soundFormat ?? 0)
        }
    }

    /// The codec an onMetaData `audiocodecid` names.
    public init?(metadataCodecID value: AMF0Value) {
        switch value {
        case .number(let n) where n >= 0 && n <= Double(UInt32.max) && n == n.rounded():
            if n < 256 {
                guard let codec = AudioCodec(soundFormat: UInt8(n)) else { return nil }
                self = codec
            } else {
                self = .fourCC(fourCCString(UInt32(n)))
            }
        case .string(let s) where s.utf8.count == 4:
            self = .fourCC(s)
        default:
            return nil
        }
    }
}
