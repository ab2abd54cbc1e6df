/// `media_type`, a bit mask (notes: "Media type (bit mask): 1 audio, 2 video, 4 deskshare, 8 transcript, 16 chat,
/// 32 all. Combinations occur (9 = audio|transcript).").
public struct RTMSMediaType: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let audio = RTMSMediaType(rawValue: 1)
    public static let video = RTMSMediaType(rawValue: 2)
    public static let deskshare = RTMSMediaType(rawValue: 4)
    public static let transcript = RTMSMediaType(rawValue: 8)
    public static let chat = RTMSMediaType(rawValue: 16)
    /// Reference: 'Use "media_type": 32 for all.'
    public static let all = RTMSMediaType(rawValue: 32)

    /// The five single types, in bit order.
    public static let singles: [RTMSMediaType] = [.audio, .video, .deskshare, .transcript, .chat]

    /// The key of a single type (or `all`) in `media_server.server_urls` and `media_params`: "audio", "video",
    /// "deskshare", "transcript", "chat", "all"; nil for a combination.
    public var key: String? {
        switch rawValue {
        case 1: return "audio"
        case 2: return "video"
        case 4: return "deskshare"
        case 8: return "transcript"
        case 16: return "chat"
        case 32: return "all"
        default: return nil
        }
    }

    /// The type named by a `server_urls` / `media_params` key.
    public init?(key: String) {
        guard let type = (Self.singles + [.all]).first(where: { $0.key == key }) else { return nil }
        self = type
    }

    /// The single types this mask holds (all five for `all`).
    public var singleTypes: [RTMSMediaType] {
        if contains(.all) { return Self.singles }
        return Self.singles.filter { contains($0) }
    }

    /// "audio", "audio|transcript", "all", or the number for unknown bits.
    public var description: String {
        if let key { return key }
        let known = Self.singles.filter { contains($0) }.compactMap(\.key)
        let unknownBits = rawValue & ~63
        if known.isEmpty || unknownBits != 0 { return String(rawValue) }
        return known.joined(separator: "|")
    }
}
