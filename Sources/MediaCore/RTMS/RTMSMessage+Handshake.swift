extension RTMSMessage {
    /// msg_type 1, app -> signaling. Reference: "sequence int The sequence number of the message. Must start at 1.";
    /// "buffer_data bool Optional. Default is true. When set to false, any audio data captured between the time the
    /// rtms_started webhook event is received and the time the signaling connection is established will be dropped."
    public struct SignalingHandshakeRequest: Sendable, Equatable {
        public var protocolVersion: Int64?
        public var sequence: Int64?
        public var id: RTMSInstanceID?
        public var streamID: String?
        public var signature: String?
        public var bufferData: Bool?
        public var extra: [JSONField]

        public init(
            protocolVersion: Int64? = 1, sequence: Int64?, id: RTMSInstanceID?, streamID: String?,
            signature: String?, bufferData: Bool? = nil, extra: [JSONField] = []
        ) {
            self.protocolVersion = protocolVersion
            self.sequence = sequence
            self.id = id
            self.streamID = streamID
            self.signature = signature
            self.bufferData = bufferData
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            protocolVersion = try r.int("protocol_version")
            sequence = try r.int("sequence")
            id = try r.instanceID()
            streamID = try r.string("rtms_stream_id")
            signature = try r.string("signature")
            bufferData = try r.bool("buffer_data")
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("protocol_version", protocolVersion)
            w.add("sequence", sequence)
            w.add(id)
            w.add("rtms_stream_id", streamID)
            w.add("signature", signature)
            w.add("buffer_data", bufferData)
            w.append(extra)
        }
    }

    /// msg_type 2, signaling -> app. Reference: "status_code int The status code of the message. Status 0 means
    /// success."; "server_urls object Locations of available media connections. The response will depend on the
    /// app's available scopes." Notes: keys are `audio`, `video`, `transcript`, `deskshare`, `chat`, `all`.
    public struct SignalingHandshakeResponse: Sendable, Equatable {
        /// One entry of `media_server.server_urls`, in the server's order.
        public struct MediaURL: Sendable, Equatable {
            public var key: String
            public var url: String
            public init(_ key: String, _ url: String) {
                self.key = key
                self.url = url
            }
        }

        public var protocolVersion: Int64?
        public var sequence: Int64?
        public var statusCode: Int64?
        public var reason: String?
        /// `media_server.server_urls`; nil when the response has no `media_server` (a refusal).
        public var mediaURLs: [MediaURL]?
        /// Other fields of `media_server`.
        public var mediaServerExtra: [JSONField]
        public var extra: [JSONField]

        public init(
            protocolVersion: Int64? = 1, sequence: Int64? = 0, statusCode: Int64? = 0, reason: String? = "",
            mediaURLs: [MediaURL]?, mediaServerExtra: [JSONField] = [], extra: [JSONField] = []
        ) {
            self.protocolVersion = protocolVersion
            self.sequence = sequence
            self.statusCode = statusCode
            self.reason = reason
            self.mediaURLs = mediaURLs
            self.mediaServerExtra = mediaServerExtra
            self.extra = extra
        }

        /// The media URL offered under `key` ("audio", ..., "all").
        public func mediaURL(for key: String) -> String? { mediaURLs?.first(where: { $0.key == key })?.url }

        init(reading r: inout RTMSFieldReader) throws {
            protocolVersion = try r.int("protocol_version")
            sequence = try r.int("sequence")
            statusCode = try r.int("status_code")
            reason = try r.string("reason")
            if let server = try r.object("media_server") {
                var s = RTMSFieldReader(server, context: r.context + " media_server")
                var urls: [MediaURL] = []
                if let list = try s.object("server_urls") {
                    for field in list {
                        guard case .string(let url) = field.value else {
                            throw MediaError(
                                .protocolViolation,
                                "RTMS \(r.context): media_server.server_urls.\(field.key) is \(field.value.jsonTypeName), expected a string"
                            )
                        }
                        urls.append(MediaURL(field.key, url))
                    }
                }
                mediaURLs = urls
                mediaServerExtra = s.rest
            } else {
                mediaURLs = nil
                mediaServerExtra = []
            }
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("protocol_version", protocolVersion)
            w.add("sequence", sequence)
            w.add("status_code", statusCode)
            w.add("reason", reason)
            if let mediaURLs {
                let urls = JSONValue.object(mediaURLs.map { JSONField($0.key, .string($0.url)) })
                w.add("media_server", .object([JSONField("server_urls", urls)] + mediaServerExtra))
            }
            w.append(extra)
        }
    }

    /// msg_type 3, app -> media connection. Reference: "To request only one media type, specify that media type in
    /// the media_type field. ... Use "media_type": 32 for all." and "Media parameters (media_params) are optional."
    public struct DataHandshakeRequest: Sendable, Equatable {
        public var protocolVersion: Int64?
        public var sequence: Int64?
        public var id: RTMSInstanceID?
        public var streamID: String?
        public var signature: String?
        public var mediaType: RTMSMediaType?
        public var mediaParameters: RTMSMediaParameters?
        public var extra: [JSONField]

        public init(
            protocolVersion: Int64? = 1, sequence: Int64?, id: RTMSInstanceID?, streamID: String?,
            signature: String?, mediaType: RTMSMediaType?, mediaParameters: RTMSMediaParameters? = nil,
            extra: [JSONField] = []
        ) {
            self.protocolVersion = protocolVersion
            self.sequence = sequence
            self.id = id
            self.streamID = streamID
            self.signature = signature
            self.mediaType = mediaType
            self.mediaParameters = mediaParameters
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            protocolVersion = try r.int("protocol_version")
            sequence = try r.int("sequence")
            id = try r.instanceID()
            streamID = try r.string("rtms_stream_id")
            signature = try r.string("signature")
            mediaType = try r.int("media_type").map { RTMSMediaType(rawValue: Int(truncatingIfNeeded: $0)) }
            mediaParameters = try r.take("media_params").map {
                try RTMSMediaParameters(json: $0, context: r.context + " media_params")
            }
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("protocol_version", protocolVersion)
            w.add("sequence", sequence)
            w.add(id)
            w.add("rtms_stream_id", streamID)
            w.add("signature", signature)
            w.add("media_type", mediaType.map { Int64($0.rawValue) })
            w.add("media_params", mediaParameters?.json)
            w.append(extra)
        }
    }

    /// msg_type 4, media connection -> app. Reference: "The media connection responds with confirmed parameters of
    /// the requested media types."
    public struct DataHandshakeResponse: Sendable, Equatable {
        public var protocolVersion: Int64?
        public var statusCode: Int64?
        public var reason: String?
        public var sequence: Int64?
        public var payloadEncrypted: Bool?
        public var mediaParameters: RTMSMediaParameters?
        public var extra: [JSONField]

        public init(
            protocolVersion: Int64? = 1, statusCode: Int64? = 0, reason: String? = "", sequence: Int64? = 0,
            payloadEncrypted: Bool? = nil, mediaParameters: RTMSMediaParameters? = nil, extra: [JSONField] = []
        ) {
            self.protocolVersion = protocolVersion
            self.statusCode = statusCode
            self.reason = reason
            self.sequence = sequence
            self.payloadEncrypted = payloadEncrypted
            self.mediaParameters = mediaParameters
            self.extra = extra
        }

        init(reading r: inout RTMSFieldReader) throws {
            protocolVersion = try r.int("protocol_version")
            statusCode = try r.int("status_code")
            reason = try r.string("reason")
            sequence = try r.int("sequence")
            payloadEncrypted = try r.bool("payload_encrypted")
            mediaParameters = try r.take("media_params").map {
                try RTMSMediaParameters(json: $0, context: r.context + " media_params")
            }
            extra = r.rest
        }

        func write(to w: inout RTMSFieldWriter) {
            w.add("protocol_version", protocolVersion)
            w.add("status_code", statusCode)
            w.add("reason", reason)
            w.add("sequence", sequence)
            w.add("payload_encrypted", payloadEncrypted)
            w.add("media_params", mediaParameters?.json)
            w.append(extra)
        }
    }
}
