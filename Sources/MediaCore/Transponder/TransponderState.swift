/// Where a transponder is in its life, as `transponder ls` shows it.
public enum TransponderState: String, Sendable, Equatable, CaseIterable {
    /// Connecting to the RTMP server for the first time (handshake, connect, publish).
    case connecting
    /// The server accepted the publish; media flows.
    case publishing
    /// The link dropped; waiting to reconnect or reconnecting.
    case reconnecting
    /// Ended: the source ended, or `transponder stop` / SIGINT stopped it after a clean unpublish.
    case stopped
    /// Ended with an error (its process exits with that error's status).
    case failed

    /// True for the states after which the process exits.
    public var isFinal: Bool { self == .stopped || self == .failed }
}
