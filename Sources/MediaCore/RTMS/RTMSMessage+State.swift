extension RTMSMessage {
    /// msg_type 8, signaling -> app. Reference: "state int The state of a stream, including if a stream is active,
    /// experiencing connection issues, or needs to be terminated."; "reason int Describes why a stream status has
    /// been updated." Notes: "A stream state update `{state: 4, reason: 6}` (terminated, meeting ended) ends a
    /// session cleanly."
    public struct StreamStateUpdate: Sendable, Equatable {
        public var state: RTMSStreamState?
        public var reason: RTMSStopReason?
        public var timestamp: Int64?
        public var extra: [JSONField]

        public init(state: RTMSStreamState?, reason: RTMSStopReason? = nil, timestamp: Int64? = nil, extra: [JSONField] = []) {
            self.state = state
            self.reason = reason
            self.timestamp = timestamp
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            state = try r.code("state")
            reason = try r.code("reason")
            timestamp = try r.int("timestamp")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("state", state)
            w.add("reason", reason)
            w.add("timestamp", timestamp)
            w.append(extra)
        }
    }

    /// msg_type 9, signaling -> app. Reference: "A session can stop and resume during a stream." The example names
    /// the stop reason `stop_reason`, the field table `reason`: both are read, each into its own field.
    public struct SessionStateUpdate: Sendable, Equatable {
        public var state: RTMSSessionState?
        public var stopReason: RTMSStopReason?
        public var reason: RTMSStopReason?
        public var timestamp: Int64?
        public var sessionID: String?
        public var extra: [JSONField]

        public init(
            state: RTMSSessionState?, stopReason: RTMSStopReason? = nil, reason: RTMSStopReason? = nil,
            timestamp: Int64? = nil, sessionID: String? = nil, extra: [JSONField] = []
        ) {
            self.state = state
            self.stopReason = stopReason
            self.reason = reason
            self.timestamp = timestamp
            self.sessionID = sessionID
            self.extra = extra
        }

        /// `stop_reason`, else `reason`.
        public var effectiveStopReason: RTMSStopReason? { stopReason ?? reason }

        init(reading r: inout RTMSFieldReader) throws {
            state = try r.code("state")
            stopReason = try r.code("stop_reason")
            reason = try r.code("reason")
            timestamp = try r.int("timestamp")
            sessionID = try r.string("rtms_session_id")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("state", state)
            w.add("stop_reason", stopReason)
            w.add("reason", reason)
            w.add("timestamp", timestamp)
            w.add("rtms_session_id", sessionID)
            w.append(extra)
        }
    }

    /// msg_type 10, app -> signaling: "query the current session state".
    public struct SessionStateRequest: Sendable, Equatable {
        public var sessionID: String?
        public var extra: [JSONField]

        public init(sessionID: String?, extra: [JSONField] = []) {
            self.sessionID = sessionID
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            sessionID = try r.string("rtms_session_id")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("rtms_session_id", sessionID)
            w.append(extra)
        }
    }

    /// msg_type 11, signaling -> app. Reference: "timestamp ... Use this to pair requests and responses."
    public struct SessionStateResponse: Sendable, Equatable {
        public var sessionID: String?
        public var state: RTMSSessionState?
        public var timestamp: Int64?
        public var extra: [JSONField]

        public init(sessionID: String?, state: RTMSSessionState?, timestamp: Int64? = nil, extra: [JSONField] = []) {
            self.sessionID = sessionID
            self.state = state
            self.timestamp = timestamp
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            sessionID = try r.string("rtms_session_id")
            state = try r.code("state")
            timestamp = try r.int("timestamp")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("rtms_session_id", sessionID)
            w.add("state", state)
            w.add("timestamp", timestamp)
            w.append(extra)
        }
    }

    /// msg_type 19, app -> signaling: "query the current stream state".
    public struct StreamStateRequest: Sendable, Equatable {
        public var streamID: String?
        public var extra: [JSONField]

        public init(streamID: String?, extra: [JSONField] = []) {
            self.streamID = streamID
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            streamID = try r.string("rtms_stream_id")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("rtms_stream_id", streamID)
            w.append(extra)
        }
    }

    /// msg_type 20, signaling -> app: "Streams can be in one of the following states: inactive, active,
    /// interrupted, terminating, terminated, paused, or resumed."
    public struct StreamStateResponse: Sendable, Equatable {
        public var state: RTMSStreamState?
        public var streamID: String?
        public var timestamp: Int64?
        public var extra: [JSONField]

        public init(state: RTMSStreamState?, streamID: String?, timestamp: Int64? = nil, extra: [JSONField] = []) {
            self.state = state
            self.streamID = streamID
            self.timestamp = timestamp
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            state = try r.code("state")
            streamID = try r.string("rtms_stream_id")
            timestamp = try r.int("timestamp")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("state", state)
            w.add("rtms_stream_id", streamID)
            w.add("timestamp", timestamp)
            w.append(extra)
        }
    }
}
