/// `state` of session state updates and responses (notes: "Session state: 0 inactive, 1 initialize, 2 started,
/// 3 paused, 4 resumed, 5 stopped.").
public struct RTMSSessionState: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let inactive = Self(rawValue: 0)
    public static let initialize = Self(rawValue: 1)
    public static let started = Self(rawValue: 2)
    public static let paused = Self(rawValue: 3)
    public static let resumed = Self(rawValue: 4)
    public static let stopped = Self(rawValue: 5)
    public static let knownNames: [Int: String] = [
        0: "inactive", 1: "initialize", 2: "started", 3: "paused", 4: "resumed", 5: "stopped",
    ]
}

/// `state` of stream state updates and responses (notes: "Stream state: 0 inactive, 1 active, 2 interrupted,
/// 3 terminating, 4 terminated, 5 paused, 6 resumed.").
public struct RTMSStreamState: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let inactive = Self(rawValue: 0)
    public static let active = Self(rawValue: 1)
    public static let interrupted = Self(rawValue: 2)
    public static let terminating = Self(rawValue: 3)
    public static let terminated = Self(rawValue: 4)
    public static let paused = Self(rawValue: 5)
    public static let resumed = Self(rawValue: 6)
    public static let knownNames: [Int: String] = [
        0: "inactive", 1: "active", 2: "interrupted", 3: "terminating", 4: "terminated", 5: "paused", 6: "resumed",
    ]
}

/// `reason` / `stop_reason` (notes: "Stop reason: 0 undefined, 1 host triggered, ... 26 streaming not supported.").
public struct RTMSStopReason: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let undefined = Self(rawValue: 0)
    public static let hostTriggered = Self(rawValue: 1)
    public static let userTriggered = Self(rawValue: 2)
    public static let userLeft = Self(rawValue: 3)
    public static let userEjected = Self(rawValue: 4)
    public static let hostDisabledApp = Self(rawValue: 5)
    public static let meetingEnded = Self(rawValue: 6)
    public static let streamCanceled = Self(rawValue: 7)
    public static let streamRevoked = Self(rawValue: 8)
    public static let allAppsDisabled = Self(rawValue: 9)
    public static let internalException = Self(rawValue: 10)
    public static let connectionTimeout = Self(rawValue: 11)
    public static let instanceConnectionInterrupted = Self(rawValue: 12)
    public static let signalConnectionInterrupted = Self(rawValue: 13)
    public static let dataConnectionInterrupted = Self(rawValue: 14)
    public static let signalConnectionClosedAbnormally = Self(rawValue: 15)
    public static let dataConnectionClosedAbnormally = Self(rawValue: 16)
    public static let exitSignal = Self(rawValue: 17)
    public static let authenticationFailure = Self(rawValue: 18)
    public static let awaitReconnectionTimeout = Self(rawValue: 19)
    public static let receiverRequestClose = Self(rawValue: 20)
    public static let customerDisconnected = Self(rawValue: 21)
    public static let agentDisconnected = Self(rawValue: 22)
    public static let adminDisabledApp = Self(rawValue: 23)
    public static let keepAliveTimeout = Self(rawValue: 24)
    public static let manualAPITriggered = Self(rawValue: 25)
    public static let streamingNotSupported = Self(rawValue: 26)
    public static let knownNames: [Int: String] = [
        0: "undefined", 1: "host_triggered", 2: "user_triggered", 3: "user_left", 4: "user_ejected",
        5: "host_disabled_app", 6: "meeting_ended", 7: "stream_canceled", 8: "stream_revoked",
        9: "all_apps_disabled", 10: "internal_exception", 11: "connection_timeout",
        12: "instance_connection_interrupted", 13: "signal_connection_interrupted",
        14: "data_connection_interrupted", 15: "signal_connection_closed_abnormally",
        16: "data_connection_closed_abnormally", 17: "exit_signal", 18: "authentication_failure",
        19: "await_reconnection_timeout", 20: "receiver_request_close", 21: "customer_disconnected",
        22: "agent_disconnected", 23: "admin_disabled_app", 24: "keep_alive_timeout", 25: "manual_api_triggered",
        26: "streaming_not_supported",
    ]
}
