/// How an emulated RTMS server behaves. The defaults are the protocol's own numbers.
public struct RTMSServerOptions: Sendable {
    /// Reference: "RTMS servers send a keep-alive request to both the signaling and media connections every 10
    /// seconds."
    public var keepAliveInterval: Double
    /// Notes: "After three unanswered requests the server interrupts the connection".
    public var missedKeepAliveLimit: Int
    /// A connection that sends no handshake request within this many seconds is closed.
    public var handshakeTimeout: Double
    /// Notes: the server "ends the stream after 60 s (signaling) or 65 s (media)" without a reconnection.
    public var signalingReconnectWait: Double
    public var mediaReconnectWait: Double
    /// How long after the terminated update the server closes the connections the client has not closed.
    public var endGrace: Double
    /// Playback speed: 1 is the recorded pace.
    public var speed: Double
    /// Start the recording over at its end instead of ending the stream.
    public var loop: Bool
    public var faults: [RTMSServerFault]
    /// What handshake signatures are checked against; nil accepts any signature.
    public var credentials: RTMSCredentials?
    /// "ws://127.0.0.1:8765": the media URLs of the signaling response start with it.
    public var baseURL: String

    public init(
        keepAliveInterval: Double = 10, missedKeepAliveLimit: Int = 3, handshakeTimeout: Double = 10,
        signalingReconnectWait: Double = 60, mediaReconnectWait: Double = 65, endGrace: Double = 1, speed: Double = 1,
        loop: Bool = false,
        faults: [RTMSServerFault] = [], credentials: RTMSCredentials?, baseURL: String
    ) {
        self.keepAliveInterval = keepAliveInterval
        self.missedKeepAliveLimit = missedKeepAliveLimit
        self.handshakeTimeout = handshakeTimeout
        self.signalingReconnectWait = signalingReconnectWait
        self.mediaReconnectWait = mediaReconnectWait
        self.endGrace = endGrace
        self.speed = speed
        self.loop = loop
        self.faults = faults
        self.credentials = credentials
        self.baseURL = baseURL
    }

    /// The status code `--fault status=N` answers signaling handshakes with.
    var signalingStatusFault: Int64? {
        for case .status(let code) in faults { return code }
        return nil
    }

    /// The status code `--fault media-status=N` answers media handshakes with.
    var mediaStatusFault: Int64? {
        for case .mediaStatus(let code) in faults { return code }
        return nil
    }
}
