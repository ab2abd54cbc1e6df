/// `msg_type` of every RTMS message (notes, "Enumerations": "Message types: 0 undefined, 1 signaling handshake req,
/// 2 resp, 3 data (media) handshake req, 4 resp, 5 event subscription, 6 event update, 7 client ready ack, 8 stream
/// state update, 9 session state update, 10 session state req, 11 resp, 12 keep-alive req, 13 resp, 14 audio,
/// 15 video, 16 share, 17 transcript, 18 chat, 19 stream state req, 20 resp, 21 stream close req, 22 resp, 23-27
/// metadata for audio / video / share / transcript / chat (payload shape undocumented: keep it verbatim), 28 video
/// subscription req, 29 resp.").
public enum RTMSMessageType: Int, Sendable, CaseIterable, CustomStringConvertible {
    case undefined = 0
    case signalingHandshakeRequest = 1
    case signalingHandshakeResponse = 2
    case dataHandshakeRequest = 3
    case dataHandshakeResponse = 4
    case eventSubscription = 5
    case eventUpdate = 6
    case clientReadyAck = 7
    case streamStateUpdate = 8
    case sessionStateUpdate = 9
    case sessionStateRequest = 10
    case sessionStateResponse = 11
    case keepAliveRequest = 12
    case keepAliveResponse = 13
    case audio = 14
    case video = 15
    case share = 16
    case transcript = 17
    case chat = 18
    case streamStateRequest = 19
    case streamStateResponse = 20
    case streamCloseRequest = 21
    case streamCloseResponse = 22
    case audioMetadata = 23
    case videoMetadata = 24
    case shareMetadata = 25
    case transcriptMetadata = 26
    case chatMetadata = 27
    case videoSubscriptionRequest = 28
    case videoSubscriptionResponse = 29

    /// The name the reference uses (SIGNALING_HAND_SHAKE_REQ, MEDIA_DATA_AUDIO, ...), for diagnostics.
    public var description: String {
        switch self {
        case .undefined: return "UNDEFINED"
        case .signalingHandshakeRequest: return "SIGNALING_HAND_SHAKE_REQ"
        case .signalingHandshakeResponse: return "SIGNALING_HAND_SHAKE_RESP"
        case .dataHandshakeRequest: return "DATA_HAND_SHAKE_REQ"
        case .dataHandshakeResponse: return "DATA_HAND_SHAKE_RESP"
        case .eventSubscription: return "EVENT_SUBSCRIPTION"
        case .eventUpdate: return "EVENT_UPDATE"
        case .clientReadyAck: return "CLIENT_READY_ACK"
        case .streamStateUpdate: return "STREAM_STATE_UPDATE"
        case .sessionStateUpdate: return "SESSION_STATE_UPDATE"
        case .sessionStateRequest: return "SESSION_STATE_REQ"
        case .sessionStateResponse: return "SESSION_STATE_RESP"
        case .keepAliveRequest: return "KEEP_ALIVE_REQ"
        case .keepAliveResponse: return "KEEP_ALIVE_RESP"
        case .audio: return "MEDIA_DATA_AUDIO"
        case .video: return "MEDIA_DATA_VIDEO"
        case .share: return "MEDIA_DATA_SHARE"
        case .transcript: return "MEDIA_DATA_TRANSCRIPT"
        case .chat: return "MEDIA_DATA_CHAT"
        case .streamStateRequest: return "STREAM_STATE_REQ"
        case .streamStateResponse: return "STREAM_STATE_RESP"
        case .streamCloseRequest: return "STREAM_CLOSE_REQ"
        case .streamCloseResponse: return "STREAM_CLOSE_RESP"
        case .audioMetadata: return "META_DATA_AUDIO"
        case .videoMetadata: return "META_DATA_VIDEO"
        case .shareMetadata: return "META_DATA_SHARE"
        case .transcriptMetadata: return "META_DATA_TRANSCRIPT"
        case .chatMetadata: return "META_DATA_CHAT"
        case .videoSubscriptionRequest: return "VIDEO_SUBSCRIPTION_REQ"
        case .videoSubscriptionResponse: return "VIDEO_SUBSCRIPTION_RESP"
        }
    }
}
