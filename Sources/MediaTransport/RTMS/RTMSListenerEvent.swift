import MediaCore

/// What an `RTMSListener` reports to the command that runs it.
public enum RTMSListenerEvent: Sendable {
    /// An event of one stream's session (media, state, connection, end...).
    case session(RTMSEvent)
    /// A stream is being joined (from a webhook or from the command line).
    case joining(RTMSStreamDescriptor)
    /// A stream's recording file was created.
    case recording(stream: String, path: String)
    /// Writing a stream's recording failed: recording stops and the stream is left cleanly.
    case recordingFailed(stream: String, MediaError)
    /// The webhook server listens.
    case webhookListening(host: String, port: Int, path: String?)
    /// A webhook request was refused (bad or stale signature, bad JSON, wrong path or method).
    case webhookRejected(status: Int, reason: String)
    /// An `endpoint.url_validation` request was answered.
    case webhookValidated
    /// A `*.rtms_started` webhook for a stream that is already running: ignored.
    case webhookDuplicate(streamID: String)
    /// A `*.rtms_stopped` webhook: the stream is left (`known` false when no such stream runs).
    case webhookStopped(streamID: String?, known: Bool)
    /// Any other webhook event, accepted and ignored.
    case webhookIgnored(event: String)
}
