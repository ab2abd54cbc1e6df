extension RTMSMessage {
    /// msg_type 5, app -> signaling. Reference: "Send this message to the signaling connection to get data about
    /// behavior during sessions."; "subscribe bool ... True - subscribe to events False - unsubscribe from events".
    public struct EventSubscription: Sendable, Equatable {
        public struct Entry: Sendable, Equatable {
            public var eventType: RTMSEventType
            public var subscribe: Bool?
            public var extra: [JSONField]
            public init(_ eventType: RTMSEventType, subscribe: Bool? = true, extra: [JSONField] = []) {
                self.eventType = eventType
                self.subscribe = subscribe
                self.extra = extra
            }
        }

        public var events: [Entry]
        public var extra: [JSONField]

        public init(events: [Entry], extra: [JSONField] = []) {
            self.events = events
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            events = []
            for (i, element) in (try r.array("events") ?? []).enumerated() {
                var e = try RTMSFieldReader(object: element, context: r.context + " events[\(i)]")
                guard let type: RTMSEventType = try e.code("event_type") else {
                    throw MediaError(.protocolViolation, "RTMS \(e.context): no event_type")
                }
                events.append(Entry(type, subscribe: try e.bool("subscribe"), extra: e.rest))
            }
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            let list = events.map { entry -> JSONValue in
                var e = RTMSFieldWriter()
                e.add("event_type", entry.eventType)
                e.add("subscribe", entry.subscribe)
                e.append(entry.extra)
                return e.object
            }
            w.add("events", .array(list))
            w.append(extra)
        }
    }

    /// msg_type 6, signaling -> app: `{"msg_type": 6, "event": {"event_type": N, "timestamp": ..., ...}}` with
    /// `user_id`/`user_name` (active speaker, sharing start) or `participants` (join, leave, video on/off).
    public struct EventUpdate: Sendable, Equatable {
        public struct Participant: Sendable, Equatable {
            public var userID: Int64?
            public var userName: String?
            public var extra: [JSONField]
            public init(userID: Int64?, userName: String? = nil, extra: [JSONField] = []) {
                self.userID = userID
                self.userName = userName
                self.extra = extra
            }
        }

        public var eventType: RTMSEventType
        public var timestamp: Int64?
        public var userID: Int64?
        public var userName: String?
        public var participants: [Participant]?
        /// Other fields of `event`.
        public var eventExtra: [JSONField]
        /// Other fields of the message.
        public var extra: [JSONField]

        public init(
            eventType: RTMSEventType, timestamp: Int64?, userID: Int64? = nil, userName: String? = nil,
            participants: [Participant]? = nil, eventExtra: [JSONField] = [], extra: [JSONField] = []
        ) {
            self.eventType = eventType
            self.timestamp = timestamp
            self.userID = userID
            self.userName = userName
            self.participants = participants
            self.eventExtra = eventExtra
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            guard let event = r.take("event") else { throw MediaError(.protocolViolation, "RTMS \(r.context): no event") }
            var e = try RTMSFieldReader(object: event, context: r.context + " event")
            guard let type: RTMSEventType = try e.code("event_type") else {
                throw MediaError(.protocolViolation, "RTMS \(e.context): no event_type")
            }
            eventType = type
            timestamp = try e.int("timestamp")
            userID = try e.int("user_id")
            userName = try e.string("user_name")
            if let list = try e.array("participants") {
                participants = try list.enumerated().map { i, element in
                    var p = try RTMSFieldReader(object: element, context: e.context + " participants[\(i)]")
                    return Participant(userID: try p.int("user_id"), userName: try p.string("user_name"), extra: p.rest)
                }
            } else {
                participants = nil
            }
            eventExtra = e.rest
            extra = r.rest
        }

        /// The `event` object.
        var eventJSON: JSONValue {
            var e = RTMSFieldWriter()
            e.add("event_type", eventType)
            e.add("timestamp", timestamp)
            e.add("user_id", userID)
            e.add("user_name", userName)
            if let participants {
                e.add("participants", .array(participants.map(\.json)))
            }
            e.append(eventExtra)
            return e.object
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("event", eventJSON)
            w.append(extra)
        }
    }
}

extension RTMSMessage.EventUpdate.Participant {
    var json: JSONValue {
        var p = RTMSFieldWriter()
        p.add("user_id", userID)
        p.add("user_name", userName)
        p.append(extra)
        return p.object
    }
}
