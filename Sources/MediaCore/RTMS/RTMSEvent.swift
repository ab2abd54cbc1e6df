/// Something an RTMS session reports to its user: one NDJSON line of `rtms listen --json` (and of `rtms replay`).
/// `jsonObject(emitMedia:)` gives the flat object, `{"type":"rtms.audio","stream":...,...}`.
public struct RTMSEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A handshake on `connection` succeeded (media: with the parameters the server confirmed).
        case connected(connection: RTMSConnectionID, url: String?, mediaParameters: RTMSMediaParameters?)
        /// A media message (14-18).
        case media(RTMSMediaKind, connection: RTMSConnectionID, content: RTMSMediaContent)
        /// An event update (6); the product decides the event's name.
        case event(RTMSMessage.EventUpdate, product: RTMSProduct)
        /// A session state update (9) or response (11).
        case sessionState(sessionID: String?, state: RTMSSessionState?, stopReason: RTMSStopReason?, timestamp: Int64?)
        /// A stream state update (8) or response (20).
        case streamState(state: RTMSStreamState?, reason: RTMSStopReason?, timestamp: Int64?)
        /// A connection was lost (dropped, or silent past the keep-alive timeout); a reconnection follows.
        case disconnected(connection: RTMSConnectionID, reason: String)
        /// Media flows again after a disconnection: `gapMilliseconds` since it was lost, after `attempts` tries.
        case reconnected(gapMilliseconds: Int64, attempts: Int)
        /// Something went wrong that does not end the session (or, with a status code, a refused request).
        case error(message: String, statusCode: Int64?, reason: String?)
        /// A metadata message (23-27), verbatim.
        case metadata(RTMSMediaKind, connection: RTMSConnectionID?, raw: JSONValue)
        /// A message of a type this build does not know, verbatim.
        case unknown(msgType: Int, connection: RTMSConnectionID?, raw: JSONValue)
        /// The session is over (emitted just before the `finished` action).
        case ended(RTMSOutcome)
    }

    /// `rtms_stream_id` of the stream.
    public var stream: String
    public var kind: Kind

    public init(stream: String, _ kind: Kind) {
        self.stream = stream
        self.kind = kind
    }

    /// The `type` field: "rtms.connected", "rtms.audio", "rtms.video", "rtms.share", "rtms.transcript",
    /// "rtms.chat", "rtms.event", "rtms.session", "rtms.stream", "rtms.disconnect", "rtms.reconnect",
    /// "rtms.error", "rtms.metadata", "rtms.unknown", "rtms.end".
    public var type: String {
        switch kind {
        case .connected: return "rtms.connected"
        case .media(let k, _, _): return "rtms.\(k.rawValue)"
        case .event: return "rtms.event"
        case .sessionState: return "rtms.session"
        case .streamState: return "rtms.stream"
        case .disconnected: return "rtms.disconnect"
        case .reconnected: return "rtms.reconnect"
        case .error: return "rtms.error"
        case .metadata: return "rtms.metadata"
        case .unknown: return "rtms.unknown"
        case .ended: return "rtms.end"
        }
    }

    /// One flat JSON object: `type` and `stream` first, then the event's fields; codes as numbers with a `_name`
    /// companion when known. Media payloads appear (as base64 `data`, text as `text`) only with `emitMedia`, except
    /// transcript and chat text, which is always shown; `bytes` is the payload size.
    public func jsonObject(emitMedia: Bool) -> JSONValue {
        var w = RTMSFieldWriter()
        w.add("type", type)
        w.add("stream", stream)
        switch kind {
        case .connected(let connection, let url, let parameters):
            w.add("connection", connection.description)
            w.add("url", url)
            w.add("media_params", parameters?.json)
        case .media(let mediaKind, let connection, let content):
            w.add("connection", connection.description)
            w.add("user_id", content.userID)
            w.add("user_name", content.userName)
            w.add("channel_id", content.channelID)
            w.add("ts", content.timestamp)
            w.add("bytes", Int64(content.data.readableBytes))
            if mediaKind.isText {
                w.add("start_time", content.startTime)
                w.add("end_time", content.endTime)
                w.add("language", content.language)
                w.add("language_name", content.language?.name)
                w.add("text", content.text)
            } else if emitMedia {
                w.add("data", RTMSBase64.encode(content.data))
            }
        case .event(let update, let product):
            w.add("event_type", update.eventType)
            w.add("event", update.eventType.name(for: product))
            w.add("ts", update.timestamp)
            w.add("user_id", update.userID)
            w.add("user_name", update.userName)
            if let participants = update.participants {
                w.add("participants", .array(participants.map(\.json)))
            }
            w.append(update.eventExtra)
        case .sessionState(let sessionID, let state, let stopReason, let timestamp):
            w.add("session_id", sessionID)
            w.add("state", state)
            w.add("state_name", state?.name)
            w.add("stop_reason", stopReason)
            w.add("stop_reason_name", stopReason?.name)
            w.add("ts", timestamp)
        case .streamState(let state, let reason, let timestamp):
            w.add("state", state)
            w.add("state_name", state?.name)
            w.add("reason", reason)
            w.add("reason_name", reason?.name)
            w.add("ts", timestamp)
        case .disconnected(let connection, let reason):
            w.add("connection", connection.description)
            w.add("reason", reason)
        case .reconnected(let gap, let attempts):
            w.add("gap_ms", gap)
            w.add("attempts", Int64(attempts))
        case .error(let message, let statusCode, let reason):
            w.add("message", message)
            w.add("status_code", statusCode)
            w.add("reason", reason)
        case .metadata(let mediaKind, let connection, let raw):
            w.add("media", mediaKind.rawValue)
            w.add("connection", connection?.description)
            w.add("raw", raw)
        case .unknown(let msgType, let connection, let raw):
            w.add("msg_type", Int64(msgType))
            w.add("connection", connection?.description)
            w.add("raw", raw)
        case .ended(let outcome):
            w.add("outcome", outcome.name)
            switch outcome {
            case .terminated(let reason):
                w.add("reason", reason)
                w.add("reason_name", reason?.name)
            case .stopped: break
            case .refused(let connection, let statusCode, let reason):
                w.add("connection", connection.description)
                w.add("status_code", statusCode)
                w.add("reason", reason)
            case .reconnectsExhausted(let attempts, let lastReason):
                w.add("attempts", Int64(attempts))
                w.add("reason", lastReason)
            case .failed(let error):
                w.add("code", error.kind.code)
                w.add("message", error.message)
            }
        }
        return w.object
    }

    /// The event a received message stands for, or nil for messages that are protocol plumbing (keep-alives,
    /// successful handshake responses are reported by the session itself) or that only an app sends. Used by the
    /// client session and by replay, so both print the same lines.
    public static func from(
        message: RTMSMessage, connection: RTMSConnectionID?, stream: String, product: RTMSProduct
    ) -> RTMSEvent? {
        let kind: Kind
        switch message {
        case .audio, .video, .share, .transcript, .chat:
            let (mediaKind, content) = message.media!
            kind = .media(mediaKind, connection: connection ?? .media(mediaKind.mediaType), content: content)
        case .eventUpdate(let update):
            kind = .event(update, product: product)
        case .sessionStateUpdate(let m):
            kind = .sessionState(sessionID: m.sessionID, state: m.state, stopReason: m.effectiveStopReason, timestamp: m.timestamp)
        case .sessionStateResponse(let m):
            kind = .sessionState(sessionID: m.sessionID, state: m.state, stopReason: nil, timestamp: m.timestamp)
        case .streamStateUpdate(let m):
            kind = .streamState(state: m.state, reason: m.reason, timestamp: m.timestamp)
        case .streamStateResponse(let m):
            kind = .streamState(state: m.state, reason: nil, timestamp: m.timestamp)
        case .metadata(let mediaKind, let raw):
            kind = .metadata(mediaKind, connection: connection, raw: raw)
        case .unknown(let msgType, let raw):
            kind = .unknown(msgType: msgType, connection: connection, raw: raw)
        case .signalingHandshakeResponse(let m):
            guard let code = m.statusCode, code != 0 else {
                kind = .connected(connection: connection ?? .signaling, url: nil, mediaParameters: nil)
                break
            }
            kind = .error(message: "signaling handshake refused", statusCode: code, reason: m.reason)
        case .dataHandshakeResponse(let m):
            guard let code = m.statusCode, code != 0 else {
                kind = .connected(connection: connection ?? .media(.all), url: nil, mediaParameters: m.mediaParameters)
                break
            }
            kind = .error(message: "media handshake refused", statusCode: code, reason: m.reason)
        case .streamCloseResponse(let m):
            guard let code = m.statusCode, code != 0 else { return nil }
            kind = .error(message: "stream close refused", statusCode: code, reason: m.reason)
        case .videoSubscriptionResponse(let m):
            guard let code = m.statusCode, code != 0 else { return nil }
            kind = .error(message: "video subscription for user \(m.userID.map(String.init) ?? "?") refused", statusCode: code, reason: m.reason)
        case .keepAliveRequest, .keepAliveResponse, .signalingHandshakeRequest, .dataHandshakeRequest,
            .eventSubscription, .clientReadyAck, .sessionStateRequest, .streamStateRequest, .streamCloseRequest,
            .videoSubscriptionRequest:
            return nil
        }
        return RTMSEvent(stream: stream, kind)
    }
}
