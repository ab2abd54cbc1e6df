import NIOCore

/// What a Zoom webhook request announces.
public enum RTMSWebhookEvent: Sendable, Equatable {
    /// `endpoint.url_validation`: answer with `RTMSWebhook.urlValidationResponse(plainToken:secretToken:)`.
    case urlValidation(plainToken: String)
    /// `*.rtms_started` (`contact_center.voice_rtms_started`): a stream to join.
    case started(RTMSStreamDescriptor)
    /// `*.rtms_stopped`: the stream is over; leave it.
    case stopped(RTMSWebhookNotice)
    /// `*.rtms_interrupted`.
    case interrupted(RTMSWebhookNotice)
    /// `meeting.rtms_concurrency_limited`.
    case concurrencyLimited(RTMSWebhookNotice)
    /// Any other event, by name, with the whole body.
    case other(event: String, body: JSONValue)
}

/// The fields of a stopped / interrupted / concurrency-limited webhook that say which stream it is about.
public struct RTMSWebhookNotice: Sendable, Equatable {
    /// The event name, e.g. "meeting.rtms_stopped".
    public var event: String
    public var product: RTMSProduct?
    public var id: RTMSInstanceID?
    /// `rtms_stream_id`, when the payload has one.
    public var streamID: String?
    /// `stop_reason`, when the payload has one.
    public var stopReason: RTMSStopReason?
    /// `event_ts`, Unix milliseconds.
    public var eventTimestamp: Int64?
    /// The payload fields (directly under `payload`, or under `payload.object`), verbatim.
    public var payload: JSONValue

    public init(
        event: String, product: RTMSProduct?, id: RTMSInstanceID?, streamID: String?, stopReason: RTMSStopReason?,
        eventTimestamp: Int64?, payload: JSONValue
    ) {
        self.event = event
        self.product = product
        self.id = id
        self.streamID = streamID
        self.stopReason = stopReason
        self.eventTimestamp = eventTimestamp
        self.payload = payload
    }
}

/// Whether a webhook request really comes from Zoom.
public enum RTMSWebhookVerdict: Sendable, Equatable {
    case valid
    /// Why not, for the log and the 401 answer: never contains the secret.
    case invalid(reason: String)
}

/// Zoom webhooks for RTMS: parsing, the URL validation answer and the `x-zm-signature` check.
public enum RTMSWebhook {
    /// Notes: "reject stale timestamps". Five minutes either way, as Zoom's own samples allow.
    public static let defaultTolerance: Double = 300

    /// Parses a webhook body. Notes: "Body: `{"event": "...", "event_ts": <ms>, "payload": {"meeting_uuid": ...,
    /// "rtms_stream_id": ..., "server_urls": "wss://..."}}`. Some documents show the same fields nested under
    /// `payload.object`: accept both." A field is looked for directly under `payload` first, then under
    /// `payload.object`. Throws `.malformedInput` for bad JSON or a started event without its stream fields.
    public static func parse(_ body: ByteBuffer) throws -> RTMSWebhookEvent {
        let json = try JSONValue.parse(body)
        guard case .object = json else { throw MediaError(.malformedInput, "webhook body is \(json.jsonTypeName), expected an object") }
        guard case .string(let event)? = json["event"] else {
            throw MediaError(.malformedInput, "webhook body has no \"event\" name")
        }
        let eventTimestamp = json["event_ts"]?.intValue
        let payload = mergedPayload(json["payload"])

        if event == "endpoint.url_validation" {
            guard case .string(let token)? = payload["plainToken"] else {
                throw MediaError(.malformedInput, "endpoint.url_validation webhook has no payload.plainToken")
            }
            return .urlValidation(plainToken: token)
        }
        let product = RTMSProduct(eventName: event)
        let action = event.split(separator: ".").last.map(String.init) ?? event
        switch action {
        case "rtms_started", "voice_rtms_started":
            guard let product else { return .other(event: event, body: json) }
            do {
                var descriptor = try RTMSStreamDescriptor(json: payload, product: product)
                descriptor.eventTimestamp = eventTimestamp
                return .started(descriptor)
            } catch let error as MediaError {
                throw MediaError(.malformedInput, "\(event) webhook: \(error.message.replacingPrefix("stream descriptor: "))")
            }
        case "rtms_stopped", "voice_rtms_stopped":
            return .stopped(notice(event, product, payload, eventTimestamp))
        case "rtms_interrupted", "voice_rtms_interrupted":
            return .interrupted(notice(event, product, payload, eventTimestamp))
        case "rtms_concurrency_limited":
            return .concurrencyLimited(notice(event, product, payload, eventTimestamp))
        default:
            return .other(event: event, body: json)
        }
    }

    /// `payload`'s own fields followed by those of `payload.object` that `payload` does not have.
    private static func mergedPayload(_ payload: JSONValue?) -> JSONValue {
        guard case .object(let outer)? = payload else { return .object([]) }
        var fields = outer.filter { $0.key != "object" }
        if case .object(let inner)? = payload?["object"] {
            for field in inner where !fields.contains(where: { $0.key == field.key }) { fields.append(field) }
        }
        return .object(fields)
    }

    private static func notice(_ event: String, _ product: RTMSProduct?, _ payload: JSONValue, _ ts: Int64?)
        -> RTMSWebhookNotice
    {
        var id: RTMSInstanceID?
        for kind in RTMSInstanceID.Kind.allCases {
            if case .string(let value)? = payload[kind.rawValue] {
                id = RTMSInstanceID(kind, value)
                break
            }
        }
        return RTMSWebhookNotice(
            event: event, product: product, id: id, streamID: payload["rtms_stream_id"]?.stringValue,
            stopReason: payload["stop_reason"].flatMap { RTMSStopReason(json: $0) }, eventTimestamp: ts,
            payload: payload)
    }

    /// Notes: "`{"event":"endpoint.url_validation","payload":{"plainToken":"..."}}` must get, within 3 s, HTTP 200
    /// with `{"plainToken": p, "encryptedToken": lowercase hex(HMAC-SHA256(key: webhook secret token,
    /// message: p))}`."
    public static func urlValidationResponse(plainToken: String, secretToken: String) -> JSONValue {
        .object([
            JSONField("plainToken", .string(plainToken)),
            JSONField("encryptedToken", .string(RTMSHex.hmacSHA256(key: secretToken, message: Array(plainToken.utf8)))),
        ])
    }

    /// The `x-zm-signature` value for a body sent at `timestamp` (the `x-zm-request-timestamp` header text). Notes:
    /// "header `x-zm-signature` = `"v0=" + lowercase hex(HMAC-SHA256(key: webhook secret token, message: "v0:" +
    /// <x-zm-request-timestamp header> + ":" + <raw request body bytes>))`".
    public static func signatureHeader(timestamp: String, rawBody: ByteBuffer, secretToken: String) -> String {
        "v0=" + RTMSHex.encode(mac(timestamp: timestamp, rawBody: rawBody, secretToken: secretToken))
    }

    private static func mac(timestamp: String, rawBody: ByteBuffer, secretToken: String) -> [UInt8] {
        var message = Array("v0:\(timestamp):".utf8)
        message.append(contentsOf: rawBody.readableBytesView)
        return RTMSHex.hmacSHA256Bytes(key: secretToken, message: message)
    }

    /// Checks a webhook request. Notes: "Hash the raw bytes, not a re-serialised body; compare in constant time;
    /// reject stale timestamps." `now` is Unix time in seconds; the timestamp header is Unix seconds (a value above
    /// 10^11 is taken as milliseconds). A timestamp more than `tolerance` seconds old or ahead is refused.
    public static func verify(
        signatureHeader: String?, timestampHeader: String?, rawBody: ByteBuffer, secretToken: String, now: Double,
        tolerance: Double = defaultTolerance
    ) -> RTMSWebhookVerdict {
        guard let signatureHeader, !signatureHeader.isEmpty else {
            return .invalid(reason: "missing x-zm-signature header")
        }
        guard let timestampHeader, !timestampHeader.isEmpty else {
            return .invalid(reason: "missing x-zm-request-timestamp header")
        }
        guard let stamp = Int64(timestampHeader.rtmsTrimmed()), stamp >= 0 else {
            return .invalid(reason: "x-zm-request-timestamp is not a Unix time: \"\(timestampHeader.prefix(40))\"")
        }
        guard signatureHeader.hasPrefix("v0="),
            let presented = RTMSHex.decode(signatureHeader.dropFirst(3)), presented.count == 32
        else {
            return .invalid(reason: "x-zm-signature is not \"v0=\" followed by 64 hex digits")
        }
        let seconds = stamp > 100_000_000_000 ? Double(stamp) / 1000 : Double(stamp)
        let age = now - seconds
        if age > tolerance {
            return .invalid(reason: "x-zm-request-timestamp is \(Int64(age)) s old (tolerance \(Int64(tolerance)) s)")
        }
        if -age > tolerance {
            return .invalid(
                reason: "x-zm-request-timestamp is \(Int64(-age)) s in the future (tolerance \(Int64(tolerance)) s)")
        }
        let expected = mac(timestamp: timestampHeader, rawBody: rawBody, secretToken: secretToken)
        guard RTMSHex.constantTimeEqual(expected, presented) else {
            return .invalid(reason: "x-zm-signature does not match the body")
        }
        return .valid
    }

    /// A webhook body announcing `descriptor`, as Zoom sends it (`{"event":"meeting.rtms_started","event_ts":...,
    /// "payload":{...}}`): for emulators and tests. The signature is left out.
    public static func startedBody(for descriptor: RTMSStreamDescriptor, eventTimestamp: Int64) -> JSONValue {
        let name = descriptor.product == .contactCenter ? "voice_rtms_started" : "rtms_started"
        return body(event: "\(descriptor.product.rawValue).\(name)", descriptor: descriptor, eventTimestamp: eventTimestamp)
    }

    /// A `*.rtms_stopped` webhook body for `descriptor`.
    public static func stoppedBody(
        for descriptor: RTMSStreamDescriptor, eventTimestamp: Int64, stopReason: RTMSStopReason? = nil
    ) -> JSONValue {
        let name = descriptor.product == .contactCenter ? "voice_rtms_stopped" : "rtms_stopped"
        var b = body(event: "\(descriptor.product.rawValue).\(name)", descriptor: descriptor, eventTimestamp: eventTimestamp)
        if let stopReason, case .object(var fields) = b, case .object(var payload)? = b["payload"] {
            payload.append(JSONField("stop_reason", stopReason.json))
            fields[fields.count - 1] = JSONField("payload", .object(payload))
            b = .object(fields)
        }
        return b
    }

    private static func body(event: String, descriptor: RTMSStreamDescriptor, eventTimestamp: Int64) -> JSONValue {
        var payload = RTMSFieldWriter()
        payload.add(descriptor.id)
        payload.add("rtms_stream_id", descriptor.streamID)
        payload.add("server_urls", descriptor.serverURLs.joined(separator: ","))
        return .object([
            JSONField("event", .string(event)), JSONField("event_ts", .int(eventTimestamp)),
            JSONField("payload", payload.object),
        ])
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
