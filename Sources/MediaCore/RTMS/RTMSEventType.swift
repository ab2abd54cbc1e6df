/// `event_type` of event subscriptions (5) and event updates (6). Notes: "Event types: 1 first packet timestamp,
/// 2 active speaker change, 3 participant join, 4 participant leave, 5 sharing start, 6 sharing stop, 7 media
/// connection interrupted, 8 participant video on, 9 participant video off. Contact Center reuses 8 and up for call
/// events (...): the meaning of an event type depends on the product." So the raw value is what is kept; `name` is
/// the meeting meaning (meetings, webinars, Video SDK sessions) and `name(for:)` picks by product.
public struct RTMSEventType: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let firstPacketTimestamp = Self(rawValue: 1)
    public static let activeSpeakerChange = Self(rawValue: 2)
    public static let participantJoin = Self(rawValue: 3)
    public static let participantLeave = Self(rawValue: 4)
    public static let sharingStart = Self(rawValue: 5)
    public static let sharingStop = Self(rawValue: 6)
    public static let mediaConnectionInterrupted = Self(rawValue: 7)
    public static let participantVideoOn = Self(rawValue: 8)
    public static let participantVideoOff = Self(rawValue: 9)

    /// Meeting, webinar and Video SDK session meanings.
    public static let knownNames: [Int: String] = [
        1: "first_packet_timestamp", 2: "active_speaker_change", 3: "participant_join", 4: "participant_leave",
        5: "sharing_start", 6: "sharing_stop", 7: "media_connection_interrupted", 8: "participant_video_on",
        9: "participant_video_off",
    ]

    /// Contact Center meanings (notes: "8 consumer answered, 9 consumer end, 10 user answered, 11 user end, 12 hold,
    /// 13 unhold, 14-16 monitor started/transitioned/ended, 17 takeover started, 18-23 transfer initiated/canceled/
    /// accepted/completed/rejected/timeout, 24 conference canceled, 25-28 conference participant canceled/invited/
    /// rejected/timeout"); 1-7 keep their meeting meaning.
    public static let contactCenterNames: [Int: String] = [
        1: "first_packet_timestamp", 2: "active_speaker_change", 3: "participant_join", 4: "participant_leave",
        5: "sharing_start", 6: "sharing_stop", 7: "media_connection_interrupted", 8: "consumer_answered",
        9: "consumer_end", 10: "user_answered", 11: "user_end", 12: "hold", 13: "unhold", 14: "monitor_started",
        15: "monitor_transitioned", 16: "monitor_ended", 17: "takeover_started", 18: "transfer_initiated",
        19: "transfer_canceled", 20: "transfer_accepted", 21: "transfer_completed", 22: "transfer_rejected",
        23: "transfer_timeout", 24: "conference_canceled", 25: "conference_participant_canceled",
        26: "conference_participant_invited", 27: "conference_participant_rejected",
        28: "conference_participant_timeout",
    ]

    /// The name of this event type for a product, nil if unknown.
    public func name(for product: RTMSProduct) -> String? {
        product == .contactCenter ? Self.contactCenterNames[rawValue] : Self.knownNames[rawValue]
    }

    /// Reference, "Subscribe to events": "Some events are sent automatically and don't need to be subscribed to.
    /// To ensure your app works as expected, don't subscribe to these events. FIRST_PACKET_TIMESTAMP = 1,
    /// MEDIA_CONNECTION_INTERRUPTED = 7".
    public var isSentAutomatically: Bool { rawValue == 1 || rawValue == 7 }
}
