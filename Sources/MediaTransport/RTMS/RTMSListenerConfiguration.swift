import MediaCore

/// How an `RTMSListener` joins streams.
public struct RTMSListenerConfiguration: Sendable {
    public var options: RTMSClientOptions
    /// The app credentials the handshake signature is made from; nil when every webhook carries its signature.
    public var credentials: RTMSCredentials?
    public var tls: TLSOptions
    /// `--record DIR`: one directory per stream below it; nil records nothing.
    public var recordDirectory: String?

    public init(
        options: RTMSClientOptions, credentials: RTMSCredentials?, tls: TLSOptions = TLSOptions(),
        recordDirectory: String? = nil
    ) {
        self.options = options
        self.credentials = credentials
        self.tls = tls
        self.recordDirectory = recordDirectory
    }
}

/// How one stream ended.
public struct RTMSStreamResult: Sendable {
    public var stream: String
    public var outcome: RTMSOutcome
    /// Set when the recording could not be written (the stream was then left cleanly).
    public var recordingError: MediaError?
    /// The recording file, if one was written.
    public var recordingPath: String?
}
