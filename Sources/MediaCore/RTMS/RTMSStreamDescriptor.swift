/// The Zoom product a stream belongs to, from the webhook event name (notes, "Webhooks": `meeting.rtms_started`,
/// `webinar.rtms_started`, `session.rtms_started` (Video SDK), `contact_center.voice_rtms_started`).
public enum RTMSProduct: String, Sendable, CaseIterable {
    case meeting
    case webinar
    case session
    case contactCenter = "contact_center"

    /// The product named by the prefix of a webhook event name ("meeting.rtms_started" -> .meeting).
    public init?(eventName: String) {
        guard let dot = eventName.firstIndex(of: ".") else { return nil }
        self.init(rawValue: String(eventName[..<dot]))
    }

    /// Notes, "Signature": "`<id>` is `meeting_uuid` for meetings and webinars, `session_id` for Video SDK sessions
    /// and `engagement_id` for Contact Center."
    public var idKind: RTMSInstanceID.Kind {
        switch self {
        case .meeting, .webinar: return .meetingUUID
        case .session: return .sessionID
        case .contactCenter: return .engagementID
        }
    }
}

/// The meeting, webinar, Video SDK session or Contact Center engagement a stream belongs to: the `<id>` of the
/// handshake signature, sent in handshakes under its own key. (Reference: "The examples on this page use
/// meeting-specific values (such as meeting_uuid and meeting.rtms_started), but the message structure is the same
/// across all RTMS-supported products.")
public struct RTMSInstanceID: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case meetingUUID = "meeting_uuid"
        case sessionID = "session_id"
        case engagementID = "engagement_id"
    }

    public var kind: Kind
    public var value: String

    public init(_ kind: Kind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    /// The JSON key: "meeting_uuid", "session_id" or "engagement_id".
    public var key: String { kind.rawValue }

    public var description: String { "\(kind.rawValue)=\(value)" }
}

/// Everything needed to join one RTMS stream, as a `*.rtms_started` webhook announces it.
public struct RTMSStreamDescriptor: Sendable, Equatable {
    public var product: RTMSProduct
    public var id: RTMSInstanceID
    /// `rtms_stream_id`.
    public var streamID: String
    /// `server_urls`, split at commas (notes: "`server_urls` may hold several comma-separated URLs").
    public var serverURLs: [String]
    /// A precomputed handshake signature from the webhook (notes: "A webhook payload may carry a precomputed
    /// `signature`; use it when present."). Never written into recordings.
    public var signature: String?
    /// `event_ts` of the webhook, Unix milliseconds.
    public var eventTimestamp: Int64?

    public init(
        product: RTMSProduct, id: RTMSInstanceID, streamID: String, serverURLs: [String], signature: String? = nil,
        eventTimestamp: Int64? = nil
    ) {
        self.product = product
        self.id = id
        self.streamID = streamID
        self.serverURLs = serverURLs
        self.signature = signature
        self.eventTimestamp = eventTimestamp
    }

    /// "wss://a, wss://b" -> ["wss://a", "wss://b"]; blanks dropped.
    public static func splitServerURLs(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.rtmsTrimmed() }.filter { !$0.isEmpty }
    }

    /// `{"product":"meeting","meeting_uuid":...,"rtms_stream_id":...,"server_urls":"a,b","event_ts":...}`: the
    /// shape of a webhook payload plus `product`. The signature only when asked for (never in a recording).
    public func jsonObject(includeSignature: Bool = false) -> JSONValue {
        var w = RTMSFieldWriter()
        w.add("product", product.rawValue)
        w.add(id)
        w.add("rtms_stream_id", streamID)
        w.add("server_urls", serverURLs.joined(separator: ","))
        if includeSignature { w.add("signature", signature) }
        w.add("event_ts", eventTimestamp)
        return w.object
    }

    /// Reads `jsonObject(...)` back, or a webhook payload given the product separately (without either, the kind
    /// of id decides). `server_urls` may be a
    /// comma-separated string or an array of strings.
    public init(json: JSONValue, product: RTMSProduct? = nil) throws {
        var r = try RTMSFieldReader(object: json, context: "stream descriptor")
        let productName = try r.string("product")
        guard let id = try r.instanceID() else {
            throw MediaError(.malformedInput, "stream descriptor: no meeting_uuid, session_id or engagement_id")
        }
        let resolved: RTMSProduct
        if let product {
            resolved = product
        } else if let productName {
            guard let named = RTMSProduct(rawValue: productName) else {
                throw MediaError(.malformedInput, "stream descriptor: unknown product \"\(productName)\"")
            }
            resolved = named
        } else {
            // Without a name, the kind of id tells: session_id is Video SDK, engagement_id is Contact Center.
            switch id.kind {
            case .meetingUUID: resolved = .meeting
            case .sessionID: resolved = .session
            case .engagementID: resolved = .contactCenter
            }
        }
        guard let streamID = try r.string("rtms_stream_id"), !streamID.isEmpty else {
            throw MediaError(.malformedInput, "stream descriptor: no rtms_stream_id")
        }
        var urls: [String] = []
        switch r.take("server_urls") {
        case .string(let s): urls = Self.splitServerURLs(s)
        case .array(let a):
            for element in a {
                guard case .string(let s) = element else {
                    throw MediaError(.malformedInput, "stream descriptor: server_urls holds \(element.jsonTypeName)")
                }
                urls.append(contentsOf: Self.splitServerURLs(s))
            }
        case nil: break
        case let other?: throw MediaError(.malformedInput, "stream descriptor: server_urls is \(other.jsonTypeName)")
        }
        self.init(
            product: resolved, id: id, streamID: streamID, serverURLs: urls, signature: try r.string("signature"),
            eventTimestamp: try r.int("event_ts"))
    }
}

extension StringProtocol {
    func rtmsTrimmed() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
