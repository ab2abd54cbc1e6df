/// The app credentials the handshake signature is made from (`ZM_RTMS_CLIENT`, `ZM_RTMS_SECRET`). Never printed:
/// `description` hides the secret.
public struct RTMSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var clientID: String
    public var clientSecret: String

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    public var description: String { "RTMSCredentials(clientID: \(clientID), clientSecret: <redacted>)" }
}

/// How media connections are opened. Notes: "Clients may open one media connection per type (Zoom's SDK does; it
/// fails when only `all` is offered) or one `all` connection."
public enum RTMSConnectionMode: String, Sendable, CaseIterable {
    /// One `all` connection when every type is wanted and `all` is offered; otherwise one connection per wanted
    /// type, and types without their own URL together on the `all` URL when it is offered.
    case auto
    /// Everything wanted on the `all` URL (media_type = the wanted mask, 32 for all).
    case all
    /// One connection per type, never the `all` URL.
    case perType = "per-type"
}

/// What an RTMS client session asks for.
public struct RTMSClientOptions: Sendable, Equatable {
    /// Reference, "Subscribe to events": don't subscribe to 1 and 7, they are sent anyway. The default is every
    /// other meeting event: active speaker, participant join/leave, sharing start/stop, video on/off.
    public static let defaultEvents: [RTMSEventType] = [
        .activeSpeakerChange, .participantJoin, .participantLeave, .sharingStart, .sharingStop,
        .participantVideoOn, .participantVideoOff,
    ]

    /// The media types wanted; `.all` (the default) takes whatever the app's scopes allow.
    public var mediaTypes: RTMSMediaType
    /// `media_params` of the media handshakes; each connection gets the parameters of its own types.
    public var mediaParameters: RTMSMediaParameters
    /// Events subscribed to (msg_type 5) once per signaling connection, after the first ready media connection.
    /// Empty sends no subscription.
    public var events: [RTMSEventType]
    public var connectionMode: RTMSConnectionMode
    /// `buffer_data` of the signaling handshake; nil leaves it out (server default: true).
    public var bufferData: Bool?
    /// Subscribe to this participant's individual video (msg_type 28) once the video connection is ready. Needs
    /// video `data_opt` 4 and the video on/off events (reference, "Video subscription request").
    public var videoUserID: Int64?
    /// Reconnection attempts in a row, without media coming back, before the session gives up.
    public var maxReconnectAttempts: Int
    /// Notes: "A client that hears no keep-alive for 65 s should redo the signaling handshake."
    public var keepAliveTimeout: Double
    /// How long a stop with `closeStream` waits for the stream close response (22) before closing anyway.
    public var stopTimeout: Double
    /// Extra fields for the signaling handshake request (notes: Zoom's SDK adds `rtms_client_agent`).
    public var handshakeExtra: [JSONField]

    public init(
        mediaTypes: RTMSMediaType = .all, mediaParameters: RTMSMediaParameters = RTMSMediaParameters(),
        events: [RTMSEventType] = RTMSClientOptions.defaultEvents, connectionMode: RTMSConnectionMode = .auto,
        bufferData: Bool? = nil, videoUserID: Int64? = nil, maxReconnectAttempts: Int = 10,
        keepAliveTimeout: Double = 65, stopTimeout: Double = 5, handshakeExtra: [JSONField] = []
    ) {
        self.mediaTypes = mediaTypes
        self.mediaParameters = mediaParameters
        self.events = events
        self.connectionMode = connectionMode
        self.bufferData = bufferData
        self.videoUserID = videoUserID
        self.maxReconnectAttempts = maxReconnectAttempts
        self.keepAliveTimeout = keepAliveTimeout
        self.stopTimeout = stopTimeout
        self.handshakeExtra = handshakeExtra
    }
}
