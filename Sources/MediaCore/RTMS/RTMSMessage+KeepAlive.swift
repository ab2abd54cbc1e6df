extension RTMSMessage {
    /// msg_type 12 (server -> app, on every connection) and 13 (app -> server). Reference: "RTMS servers send a
    /// keep-alive request to both the signaling and media connections every 10 seconds." and "The timestamp in the
    /// response must match the request." Notes: "the request carries `timestamp` and `sequence`, and the response
    /// (13) echoes both."
    public struct KeepAlive: Sendable, Equatable {
        public var timestamp: Int64?
        public var sequence: Int64?
        public var extra: [JSONField]

        public init(timestamp: Int64?, sequence: Int64? = nil, extra: [JSONField] = []) {
            self.timestamp = timestamp
            self.sequence = sequence
            self.extra = extra
        }

        /// The response to this request: the same `timestamp` and `sequence`, nothing else.
        public var response: KeepAlive { KeepAlive(timestamp: timestamp, sequence: sequence) }

        init(reading r: inout RTMSFieldReader) throws {
            timestamp = try r.int("timestamp")
            sequence = try r.int("sequence")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("timestamp", timestamp)
            w.add("sequence", sequence)
            w.append(extra)
        }
    }
}
