extension RTMSMessage {
    /// msg_type 7, app -> signaling. Reference: "After the app receives the data handshake response from the media
    /// connection, it needs to send a client ready ack to the signaling connection to indicate that the full
    /// handshake has completed and that it is ready to receive media data."
    public struct ClientReadyAck: Sendable, Equatable {
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

    /// msg_type 21, app -> signaling. Reference: "To gracefully close a stream from the app backend, send a
    /// STREAM_CLOSE_REQ message through the signaling connection. RTMS will respond with a STREAM_CLOSE_RESP message
    /// and terminate the stream."
    public struct StreamCloseRequest: Sendable, Equatable {
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

    /// msg_type 22, signaling -> app: "responds to a stream close request with a STREAM_CLOSE_RESP message
    /// confirming the result."
    public struct StreamCloseResponse: Sendable, Equatable {
        public var streamID: String?
        public var statusCode: Int64?
        public var reason: String?
        public var timestamp: Int64?
        public var extra: [JSONField]

        public init(
            streamID: String?, statusCode: Int64? = 0, reason: String? = nil, timestamp: Int64? = nil,
            extra: [JSONField] = []
        ) {
            self.streamID = streamID
            self.statusCode = statusCode
            self.reason = reason
            self.timestamp = timestamp
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            streamID = try r.string("rtms_stream_id")
            statusCode = try r.int("status_code")
            reason = try r.string("reason")
            timestamp = try r.int("timestamp")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("rtms_stream_id", streamID)
            w.add("status_code", statusCode)
            w.add("reason", reason)
            w.add("timestamp", timestamp)
            w.append(extra)
        }
    }

    /// msg_type 28, app -> signaling. Reference: "To subscribe to an individual participant's video stream, send
    /// this message through the signaling connection containing the user_id obtained from a PARTICIPANT_VIDEO_ON
    /// event. The RTMS server supports subscribing to a single individual video stream at a time".
    public struct VideoSubscriptionRequest: Sendable, Equatable {
        public var userID: Int64?
        public var subscribe: Bool?
        public var timestamp: Int64?
        public var extra: [JSONField]

        public init(userID: Int64?, subscribe: Bool? = true, timestamp: Int64? = nil, extra: [JSONField] = []) {
            self.userID = userID
            self.subscribe = subscribe
            self.timestamp = timestamp
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            userID = try r.int("user_id")
            subscribe = try r.bool("subscribe")
            timestamp = try r.int("timestamp")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("user_id", userID)
            w.add("subscribe", subscribe)
            w.add("timestamp", timestamp)
            w.append(extra)
        }
    }

    /// msg_type 29, signaling -> app: "If successful, the subscribed participant's video stream will begin
    /// transmitting through the video data socket connection."
    public struct VideoSubscriptionResponse: Sendable, Equatable {
        public var userID: Int64?
        public var statusCode: Int64?
        public var reason: String?
        public var timestamp: Int64?
        public var extra: [JSONField]

        public init(
            userID: Int64?, statusCode: Int64? = 0, reason: String? = nil, timestamp: Int64? = nil,
            extra: [JSONField] = []
        ) {
            self.userID = userID
            self.statusCode = statusCode
            self.reason = reason
            self.timestamp = timestamp
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            userID = try r.int("user_id")
            statusCode = try r.int("status_code")
            reason = try r.string("reason")
            timestamp = try r.int("timestamp")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("user_id", userID)
            w.add("status_code", statusCode)
            w.add("reason", reason)
            w.add("timestamp", timestamp)
            w.append(extra)
        }
    }
}
