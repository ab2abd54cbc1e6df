/// The one error type of mediactl: a stable `kind` a program can match on (and that decides the exit code and
/// the JSON `code` field), plus a human message that says what went wrong and where.
public struct MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A command line, URL or option that cannot work (sysexits EX_USAGE).
        case usage
        /// A malformed file or stream: bad FLV, bad AMF, bad JSON, a recording damaged mid-way (EX_DATAERR).
        case malformedInput
        /// The peer broke the protocol: wrong handshake version, hostile lengths, unexpected messages (EX_DATAERR).
        case protocolViolation
        /// An input file that does not exist or cannot be opened (EX_NOINPUT).
        case inputMissing
        /// Connection refused, DNS failure, host unreachable (EX_UNAVAILABLE).
        case peerUnavailable
        /// The peer answered and said no: `_error`, `onStatus` failure, RTMS non-zero status (EX_UNAVAILABLE).
        case peerRefused
        /// Credentials were wrong or missing for an authentication challenge (EX_NOPERM).
        case authenticationFailed
        /// TLS handshake or certificate failure (EX_PROTOCOL).
        case tls
        /// Reading or writing a local file failed: full disk, permissions (EX_IOERR).
        case io
        /// A peer or stream did not answer in time (EX_TEMPFAIL: retryable).
        case timeout
        /// The stream was not what a `--require` assertion asked for.
        case assertionFailed
        /// No such object (for example an unknown transponder id).
        case notFound
        /// A conflicting object already exists (for example a second transponder for one source and URL).
        case conflict
        /// SIGINT/SIGTERM.
        case interrupted
        /// Anything else.
        case failure
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// sysexits-style exit codes; the man page lists them (see `ExitCodes.table`).
    public var exitCode: Int32 { kind.exitCode }
}

extension MediaError.Kind {
    public var exitCode: Int32 {
        switch self {
        case .failure: return 1
        case .assertionFailed: return 3
        case .notFound: return 4
        case .conflict: return 5
        case .usage: return 64
        case .malformedInput, .protocolViolation: return 65
        case .inputMissing: return 66
        case .peerUnavailable, .peerRefused: return 69
        case .io: return 74
        case .timeout: return 75
        case .tls: return 76
        case .authenticationFailed: return 77
        case .interrupted: return 130
        }
    }

    /// The JSON `code` field: stable, snake_case.
    public var code: String {
        switch self {
        case .usage: return "usage"
        case .malformedInput: return "malformed_input"
        case .protocolViolation: return "protocol_violation"
        case .inputMissing: return "input_missing"
        case .peerUnavailable: return "peer_unavailable"
        case .peerRefused: return "peer_refused"
        case .authenticationFailed: return "authentication_failed"
        case .tls: return "tls"
        case .io: return "io"
        case .timeout: return "timeout"
        case .assertionFailed: return "assertion_failed"
        case .notFound: return "not_found"
        case .conflict: return "conflict"
        case .interrupted: return "interrupted"
        case .failure: return "failure"
        }
    }
}
