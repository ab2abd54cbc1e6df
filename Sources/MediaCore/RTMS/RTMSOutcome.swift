/// How an RTMS client session ended.
public enum RTMSOutcome: Sendable, Equatable {
    /// The server said the stream is over: a stream state update (or response) with state 4, terminated, and its
    /// reason (notes: "A stream state update `{state: 4, reason: 6}` (terminated, meeting ended) ends a session
    /// cleanly.").
    case terminated(reason: RTMSStopReason?)
    /// Stopped on request (`stopRequested`), after the stream close response when one was asked for.
    case stopped
    /// A handshake answered with a non-zero status code. Notes: "Treat every non-zero code as failure, always show
    /// the `reason` text, and never present a name for a code as certain."
    case refused(connection: RTMSConnectionID, statusCode: Int64, reason: String)
    /// The connection kept failing: `attempts` reconnections in a row did not bring media back.
    case reconnectsExhausted(attempts: Int, lastReason: String)
    /// The session could not run at all (no signature, no server URL, no usable media URL).
    case failed(MediaError)

    /// A clean end (terminated or stopped) has no error; every other outcome maps to a `MediaError`.
    public var error: MediaError? {
        switch self {
        case .terminated, .stopped: return nil
        case .refused(let connection, let statusCode, let reason):
            return MediaError(
                .peerRefused,
                "RTMS \(connection) handshake refused: \(RTMSStatus.describe(code: statusCode, reason: reason))")
        case .reconnectsExhausted(let attempts, let lastReason):
            // Retryable, like a timeout (EX_TEMPFAIL): the stream may well still be there.
            return MediaError(
                .timeout, "RTMS connection lost and \(attempts) reconnection attempts failed (last: \(lastReason))")
        case .failed(let error): return error
        }
    }

    /// "terminated", "stopped", "refused", "reconnects_exhausted", "failed".
    public var name: String {
        switch self {
        case .terminated: return "terminated"
        case .stopped: return "stopped"
        case .refused: return "refused"
        case .reconnectsExhausted: return "reconnects_exhausted"
        case .failed: return "failed"
        }
    }
}

/// RTMS status codes are shown as a number and the server's reason text, never a name (notes: "Two incompatible
/// public tables of the non-zero codes exist (one has 3 = invalid signature, the other 15).").
public enum RTMSStatus {
    /// `status 15 ("signature mismatch")`, or `status 15 (no reason given)`.
    public static func describe(code: Int64, reason: String?) -> String {
        if let reason, !reason.isEmpty {
            return "status \(code) (\(JSONValue.string(reason).jsonString))"
        }
        return "status \(code) (no reason given)"
    }
}
