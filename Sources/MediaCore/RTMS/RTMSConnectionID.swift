/// One websocket of an RTMS client session: the signaling connection, or a media connection named by the media
/// types it carries (`.media(.audio)`, ..., `.media(.all)`, or a combination such as audio|transcript when a subset
/// is asked for on the `all` URL).
public enum RTMSConnectionID: Hashable, Sendable, CustomStringConvertible {
    case signaling
    case media(RTMSMediaType)

    /// "signaling", "audio", "video", "deskshare", "transcript", "chat", "all", "audio|transcript".
    public var description: String {
        switch self {
        case .signaling: return "signaling"
        case .media(let type): return type.description
        }
    }

    /// The connection byte of the recording format: 0 signaling, else the media type mask (1-63).
    public var recordingCode: UInt8 {
        switch self {
        case .signaling: return 0
        case .media(let type): return UInt8(truncatingIfNeeded: type.rawValue & 0x3F)
        }
    }

    /// The connection for a recording's connection byte; nil for 255 ("no connection") and values above 63.
    public init?(recordingCode: UInt8) {
        switch recordingCode {
        case 0: self = .signaling
        case 1...63: self = .media(RTMSMediaType(rawValue: Int(recordingCode)))
        default: return nil
        }
    }
}
