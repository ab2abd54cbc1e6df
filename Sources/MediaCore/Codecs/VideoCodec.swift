/// A video codec as FLV and RTMP signal it: a legacy CodecID (FLV spec v10.1 E.4.3.1) or an Enhanced RTMP FourCC.
public enum VideoCodec: Sendable, Equatable, Hashable {
    /// CodecID 2: "Sorenson H.263".
    case sorensonH263
    /// CodecID 3: "Screen video".
    case screenVideo
    /// CodecID 4: "On2 VP6".
    case vp6
    /// CodecID 5: "On2 VP6 with alpha channel".
    case vp6Alpha
    /// CodecID 6: "Screen video version 2".
    case screenVideo2
    /// CodecID 7: "AVC".
    case avc
    /// CodecID 12: HEVC in a legacy tag, an unofficial extension used by some servers and CDNs.
    case legacyHEVC
    /// An Enhanced RTMP FourCC: "avc1", "hvc1", "vvc1", "av01", "vp09", "vp08" or any other.
    case fourCC(String)

    /// The legacy CodecID, if this codec has one.
    public var legacyCodecID: UInt8? {
        switch self {
        case .sorensonH263: return 2
        case .screenVideo: return 3
        case .vp6: return 4
        case .vp6Alpha: return 5
        case .screenVideo2: return 6
        case .avc: return 7
        case .legacyHEVC: return 12
        case .fourCC: return nil
        }
    }

    public init?(legacyCodecID id: UInt8) {
        switch id {
        case 2: self = .sorensonH263
        case 3: self = .screenVideo
        case 4: self = .vp6
        case 5: self = .vp6Alpha
        case 6: self = .screenVideo2
        case 7: self = .avc
        case 12: self = .legacyHEVC
        default: return nil
        }
    }

    /// A short name in ffmpeg's spelling: "h264", "hevc", "av1", "vp9", "vp8", "vvc", "flv1", "vp6", "vp6a",
    /// "screen", "screen2"; an unknown FourCC is its own name.
    public var name: String {
        switch self {
        case .sorensonH263: return "flv1"
        case .screenVideo: return "screen"
        case .vp6: return "vp6"
        case .vp6Alpha: return "vp6a"
        case .screenVideo2: return "screen2"
        case .avc: return "h264"
        case .legacyHEVC: return "hevc"
        case .fourCC(let code):
            switch code {
            case "avc1": return "h264"
            case "hvc1": return "hevc"
            case "vvc1": return "vvc"
            case "av01": return "av1"
            case "vp09": return "vp9"
            case "vp08": return "vp8"
            default: return code
            }
        }
    }

    /// True for H.264 in either signalling.
    public var isAVC: Bool { self == .avc || self == .fourCC("avc1") }
    /// True for H.265 in either signalling.
    public var isHEVC: Bool { self == .legacyHEVC || self == .fourCC("hvc1") }

    /// The onMetaData `videocodecid`: the legacy CodecID, or for a FourCC "the FOURCC value as a number"
    /// (Enhanced RTMP, "Enhancing onMetaData").
    public var metadataCodecID: Double {
        switch self {
        case .fourCC(let code):
            return Double(code.unicodeScalars.reduce(UInt32(0)) { $0 << 8 | ($1.value & 0xFF) })
        default:
            return Double(legacyCodecID ?? 0)
        }
    }

    /// The codec an onMetaData `videocodecid` names: a legacy CodecID or a FourCC as a number.
    public init?(metadataCodecID value: AMF0Value) {
        switch value {
        case .number(let n) where n >= 0 && n <= Double(UInt32.max) && n == n.rounded():
            if n < 256 {
                guard let codec = VideoCodec(legacyCodecID: UInt8(n)) else { return nil }
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
