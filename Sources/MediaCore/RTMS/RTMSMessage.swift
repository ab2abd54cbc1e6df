import NIOCore

/// One RTMS websocket message: a JSON object whose `msg_type` says what it is. One case per message type of the
/// event reference; the metadata messages 23-27 are kept verbatim (notes: "payload shape undocumented: keep it
/// verbatim"), and a `msg_type` this build does not know is kept whole in `.unknown`, never fatal.
///
/// Fields a message struct does not know are kept in its `extra` and written back after the known fields.
/// `encode()` writes known fields in the order the reference's examples show them.
public enum RTMSMessage: Sendable, Equatable {
    case signalingHandshakeRequest(SignalingHandshakeRequest)
    case signalingHandshakeResponse(SignalingHandshakeResponse)
    case dataHandshakeRequest(DataHandshakeRequest)
    case dataHandshakeResponse(DataHandshakeResponse)
    case eventSubscription(EventSubscription)
    case eventUpdate(EventUpdate)
    case clientReadyAck(ClientReadyAck)
    case streamStateUpdate(StreamStateUpdate)
    case sessionStateUpdate(SessionStateUpdate)
    case sessionStateRequest(SessionStateRequest)
    case sessionStateResponse(SessionStateResponse)
    case keepAliveRequest(KeepAlive)
    case keepAliveResponse(KeepAlive)
    case audio(RTMSMediaContent)
    case video(RTMSMediaContent)
    case share(RTMSMediaContent)
    case transcript(RTMSMediaContent)
    case chat(RTMSMediaContent)
    case streamStateRequest(StreamStateRequest)
    case streamStateResponse(StreamStateResponse)
    case streamCloseRequest(StreamCloseRequest)
    case streamCloseResponse(StreamCloseResponse)
    /// msg_type 23-27: metadata for audio, video, share, transcript, chat; the whole message, verbatim.
    case metadata(RTMSMediaKind, raw: JSONValue)
    case videoSubscriptionRequest(VideoSubscriptionRequest)
    case videoSubscriptionResponse(VideoSubscriptionResponse)
    /// A `msg_type` this build does not know (or 0, "undefined"): the whole message, verbatim.
    case unknown(msgType: Int, raw: JSONValue)

    /// The `msg_type` of this message.
    public var msgType: Int {
        switch self {
        case .signalingHandshakeRequest: return 1
        case .signalingHandshakeResponse: return 2
        case .dataHandshakeRequest: return 3
        case .dataHandshakeResponse: return 4
        case .eventSubscription: return 5
        case .eventUpdate: return 6
        case .clientReadyAck: return 7
        case .streamStateUpdate: return 8
        case .sessionStateUpdate: return 9
        case .sessionStateRequest: return 10
        case .sessionStateResponse: return 11
        case .keepAliveRequest: return 12
        case .keepAliveResponse: return 13
        case .audio: return 14
        case .video: return 15
        case .share: return 16
        case .transcript: return 17
        case .chat: return 18
        case .streamStateRequest: return 19
        case .streamStateResponse: return 20
        case .streamCloseRequest: return 21
        case .streamCloseResponse: return 22
        case .metadata(let kind, _): return kind.metadataMessageType
        case .videoSubscriptionRequest: return 28
        case .videoSubscriptionResponse: return 29
        case .unknown(let msgType, _): return msgType
        }
    }

    /// A media message (14-18) of the given kind.
    public static func media(_ kind: RTMSMediaKind, _ content: RTMSMediaContent) -> RTMSMessage {
        switch kind {
        case .audio: return .audio(content)
        case .video: return .video(content)
        case .share: return .share(content)
        case .transcript: return .transcript(content)
        case .chat: return .chat(content)
        }
    }

    /// The kind and content of a media message (14-18), nil for any other message.
    public var media: (kind: RTMSMediaKind, content: RTMSMediaContent)? {
        switch self {
        case .audio(let c): return (.audio, c)
        case .video(let c): return (.video, c)
        case .share(let c): return (.share, c)
        case .transcript(let c): return (.transcript, c)
        case .chat(let c): return (.chat, c)
        default: return nil
        }
    }

    // MARK: - Decoding

    /// Decodes one websocket message (text or binary frame: the same JSON). Throws
    /// `MediaError(.malformedInput, "invalid JSON at byte N: ...")` for bad JSON and `.protocolViolation` for JSON
    /// that is not an RTMS message (no integer `msg_type`, a known field of the wrong type, bad base64 media).
    public static func decode(_ bytes: ByteBuffer) throws -> RTMSMessage {
        try decode(json: JSONValue.parse(bytes))
    }

    /// Decodes an already parsed message.
    public static func decode(json: JSONValue) throws -> RTMSMessage {
        guard case .object(let fields) = json else {
            throw MediaError(.protocolViolation, "RTMS message is \(json.jsonTypeName), expected an object")
        }
        guard let rawType = json["msg_type"] else {
            throw MediaError(.protocolViolation, "RTMS message has no msg_type")
        }
        guard let wide = rawType.intValue, let msgType = Int(exactly: wide) else {
            throw MediaError(.protocolViolation, "RTMS msg_type is \(rawType.jsonTypeName), expected an integer")
        }
        guard let type = RTMSMessageType(rawValue: msgType), type != .undefined else {
            return .unknown(msgType: msgType, raw: json)
        }
        var r = RTMSFieldReader(fields, context: "msg_type \(msgType)")
        _ = r.take("msg_type")
        switch type {
        case .undefined: return .unknown(msgType: msgType, raw: json)
        case .signalingHandshakeRequest: return .signalingHandshakeRequest(try .init(reading: &r))
        case .signalingHandshakeResponse: return .signalingHandshakeResponse(try .init(reading: &r))
        case .dataHandshakeRequest: return .dataHandshakeRequest(try .init(reading: &r))
        case .dataHandshakeResponse: return .dataHandshakeResponse(try .init(reading: &r))
        case .eventSubscription: return .eventSubscription(try .init(reading: &r))
        case .eventUpdate: return .eventUpdate(try .init(reading: &r))
        case .clientReadyAck: return .clientReadyAck(try .init(reading: &r))
        case .streamStateUpdate: return .streamStateUpdate(try .init(reading: &r))
        case .sessionStateUpdate: return .sessionStateUpdate(try .init(reading: &r))
        case .sessionStateRequest: return .sessionStateRequest(try .init(reading: &r))
        case .sessionStateResponse: return .sessionStateResponse(try .init(reading: &r))
        case .keepAliveRequest: return .keepAliveRequest(try .init(reading: &r))
        case .keepAliveResponse: return .keepAliveResponse(try .init(reading: &r))
        case .audio: return .audio(try .init(reading: &r, kind: .audio))
        case .video: return .video(try .init(reading: &r, kind: .video))
        case .share: return .share(try .init(reading: &r, kind: .share))
        case .transcript: return .transcript(try .init(reading: &r, kind: .transcript))
        case .chat: return .chat(try .init(reading: &r, kind: .chat))
        case .streamStateRequest: return .streamStateRequest(try .init(reading: &r))
        case .streamStateResponse: return .streamStateResponse(try .init(reading: &r))
        case .streamCloseRequest: return .streamCloseRequest(try .init(reading: &r))
        case .streamCloseResponse: return .streamCloseResponse(try .init(reading: &r))
        case .audioMetadata: return .metadata(.audio, raw: json)
        case .videoMetadata: return .metadata(.video, raw: json)
        case .shareMetadata: return .metadata(.share, raw: json)
        case .transcriptMetadata: return .metadata(.transcript, raw: json)
        case .chatMetadata: return .metadata(.chat, raw: json)
        case .videoSubscriptionRequest: return .videoSubscriptionRequest(try .init(reading: &r))
        case .videoSubscriptionResponse: return .videoSubscriptionResponse(try .init(reading: &r))
        }
    }

    // MARK: - Encoding

    /// The message as compact JSON bytes, ready for a websocket frame.
    public func encode() -> ByteBuffer { jsonValue.jsonBytes }

    /// The message as a JSON object, `msg_type` first.
    public var jsonValue: JSONValue {
        var w = RTMSFieldWriter(msgType: msgType)
        switch self {
        case .signalingHandshakeRequest(let m): m.write(to: &w)
        case .signalingHandshakeResponse(let m): m.write(to: &w)
        case .dataHandshakeRequest(let m): m.write(to: &w)
        case .dataHandshakeResponse(let m): m.write(to: &w)
        case .eventSubscription(let m): m.write(to: &w)
        case .eventUpdate(let m): m.write(to: &w)
        case .clientReadyAck(let m): m.write(to: &w)
        case .streamStateUpdate(let m): m.write(to: &w)
        case .sessionStateUpdate(let m): m.write(to: &w)
        case .sessionStateRequest(let m): m.write(to: &w)
        case .sessionStateResponse(let m): m.write(to: &w)
        case .keepAliveRequest(let m), .keepAliveResponse(let m): m.write(to: &w)
        case .audio(let c): c.write(to: &w, kind: .audio)
        case .video(let c): c.write(to: &w, kind: .video)
        case .share(let c): c.write(to: &w, kind: .share)
        case .transcript(let c): c.write(to: &w, kind: .transcript)
        case .chat(let c): c.write(to: &w, kind: .chat)
        case .streamStateRequest(let m): m.write(to: &w)
        case .streamStateResponse(let m): m.write(to: &w)
        case .streamCloseRequest(let m): m.write(to: &w)
        case .streamCloseResponse(let m): m.write(to: &w)
        case .videoSubscriptionRequest(let m): m.write(to: &w)
        case .videoSubscriptionResponse(let m): m.write(to: &w)
        case .metadata(_, let raw), .unknown(_, let raw): return raw
        }
        return w.object
    }
}
