import NIOCore

/// The client side of an RTMP NetConnection and one NetStream, as a state machine: messages in, actions out, no
/// I/O. The driver (MediaTransport) does the handshake, feeds every decoded message to `receive(_:)`, reports
/// bytes read with `bytesRead(_:)`, and carries out the actions in order.
///
/// The conversation follows what servers expect from a publisher (rtmp-peer-notes.md, "The publish
/// conversation"): Set Chunk Size first, `connect`, then `releaseStream`, `FCPublish`, `createStream`,
/// `publish`; a player does `createStream`, Set Buffer Length, `play`.
public struct RTMPClientSession: Sendable {
    public enum Role: Sendable, Equatable {
        case publish(name: String)
        case play(name: String)
        /// Connect only (probe of a server without a stream name).
        case connectOnly
    }

    public struct Configuration: Sendable, Equatable {
        /// The `app` property of `connect`, with any query (auth parameters) appended.
        public var app: String
        /// `scheme://host[:port]/app[?query]`, never with credentials.
        public var tcUrl: String
        public var flashVersion: String
        public var role: Role
        /// The chunk size this client announces before `connect` and uses from then on.
        public var chunkSize: Int
        /// Buffer length asked for when playing.
        public var playBufferMilliseconds: UInt32
        /// Enhanced RTMP: codecs this client can send or receive, announced in `connect` as `fourCcList`.
        public var fourCcList: [String]

        public init(
            app: String, tcUrl: String, flashVersion: String = RTMPClientSession.defaultFlashVersion,
            role: Role, chunkSize: Int = RTMPClientSession.defaultChunkSize, playBufferMilliseconds: UInt32 = 1000,
            fourCcList: [String] = []
        ) {
            self.app = app
            self.tcUrl = tcUrl
            self.flashVersion = flashVersion
            self.role = role
            self.chunkSize = chunkSize
            self.playBufferMilliseconds = playBufferMilliseconds
            self.fourCcList = fourCcList
        }
    }

    public enum Action: Sendable, Equatable {
        /// Encode and write this message.
        case send(RTMPMessage)
        /// From now on, encode outgoing chunks with this size (after the Set Chunk Size message was written).
        case setOutgoingChunkSize(Int)
        /// `connect` succeeded.
        case connected(RTMPServerInfo)
        /// `NetStream.Publish.Start` or `NetStream.Play.Start` arrived on the created stream.
        case streamStarted(streamID: UInt32, status: RTMPStatus)
        /// Any other `onStatus` after the stream started (for example `NetStream.Play.UnpublishNotify`).
        case status(RTMPStatus)
        /// `onMetaData` received while playing.
        case metadata(AMF0Object)
        /// An audio or video message received while playing.
        case media(RTMPMessage)
        /// `connect` was refused with this description; it may be an authentication challenge
        /// (`RTMPAuthNegotiation` decides), otherwise it is final.
        case connectRejected(RTMPStatus)
        /// The server ended the session or the stream (`close`, `NetConnection.Connect.Closed`, an error status).
        case failed(MediaError)
        /// Enhanced RTMP `NetConnection.Connect.ReconnectRequest`: the server asks the client to reconnect,
        /// optionally to another `tcUrl`.
        case reconnectRequested(tcUrl: String?)
    }

    /// "FMLE/3.0 (compatible; FMSc/1.0)" is what Flash Media Live Encoder sent and what ingest servers
    /// recognise as a publisher (rtmp-peer-notes.md: "flashVer (FMLE style when publishing)").
    public static let defaultFlashVersion = "FMLE/3.0 (compatible; mediactl)"
    /// OBS announces 4096; a larger chunk means fewer chunk headers and fewer reads on the server. The RTMP
    /// specification: "The maximum chunk size can be 65536 bytes and minimum 128 bytes."
    public static let defaultChunkSize = 65536

    public private(set) var configuration: Configuration
    public private(set) var serverInfo = RTMPServerInfo()
    public private(set) var streamID: UInt32?
    public private(set) var isStreamStarted = false

    private var nextTransactionID: Double = 1
    private var pending: [Double: String] = [:]
    private var windowAcknowledgementSize: UInt32 = 0
    private var lastAcknowledged: UInt64 = 0
    private var announcedWindowSize: UInt32?

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    // MARK: Outgoing

    /// The first messages, written right after the handshake.
    public mutating func start() -> [Action] {
        var command: AMF0Object = [
            "app": .string(configuration.app),
            "type": .string("nonprivate"),
            "flashVer": .string(configuration.flashVersion),
            "tcUrl": .string(configuration.tcUrl),
        ]
        if case .publish = configuration.role {
        } else {
            // What players send: capabilities and codecs they accept (values as Flash Player sent them).
            command["fpad"] = .boolean(false)
            command["capabilities"] = .number(15)
            command["audioCodecs"] = .number(4071)
            command["videoCodecs"] = .number(252)
            command["videoFunction"] = .number(1)
        }
        if !configuration.fourCcList.isEmpty {
            command["fourCcList"] = .strictArray(configuration.fourCcList.map { .string($0) })
        }
        return [
            .send(Self.control(.setChunkSize(UInt32(configuration.chunkSize)))),
            .setOutgoingChunkSize(configuration.chunkSize),
            makeCommand(name: "connect", object: .object(command), arguments: []),
        ]
    }

    /// What to send when closing a session that got as far as a stream: `FCUnpublish` and `deleteStream`.
    public mutating func stop() -> [Action] {
        var actions: [Action] = []
        if case .publish(let name) = configuration.role, isStreamStarted {
            actions.append(makeCommand(name: "FCUnpublish", object: .null, arguments: [.string(name)]))
        }
        if let streamID {
            actions.append(makeCommand(name: "deleteStream", object: .null, arguments: [.number(Double(streamID))]))
        }
        isStreamStarted = false
        return actions
    }

    /// An audio, video or data message on the published stream. Audio, video and data go on chunk streams of
    /// their own so that each keeps its header compression.
    public func mediaMessage(type: FLVTagType, timestamp: UInt32, payload: ByteBuffer) -> RTMPMessage {
        let chunkStream: UInt32
        switch type {
        case .audio: chunkStream = RTMPChunkStreamID.audio
        case .video: chunkStream = RTMPChunkStreamID.video
        case .scriptData: chunkStream = RTMPChunkStreamID.data
        }
        return RTMPMessage(
            typeID: type.rawValue, streamID: streamID ?? 1, timestamp: timestamp, chunkStreamID: chunkStream,
            payload: payload)
    }

    /// `@setDataFrame("onMetaData", metadata)`: how a publisher hands the server the metadata that players get.
    public func metadataMessage(_ metadata: AMF0Object, timestamp: UInt32 = 0) -> RTMPMessage {
        var payload = ByteBuffer()
        payload.writeAMF0Value(.string("@setDataFrame"))
        payload.writeAMF0Value(.string("onMetaData"))
        payload.writeAMF0Value(.ecmaArray(metadata))
        return mediaMessage(type: .scriptData, timestamp: timestamp, payload: payload)
    }

    // MARK: Incoming

    /// Call after every read with the total number of bytes read from the socket: a client "MUST send an
    /// acknowledgment to the peer after receiving bytes equal to the window size" (RTMP 5.4.3).
    public mutating func bytesRead(_ total: UInt64) -> [Action] {
        guard windowAcknowledgementSize > 0, total - lastAcknowledged >= UInt64(windowAcknowledgementSize) else {
            return []
        }
        lastAcknowledged = total
        return [.send(Self.control(.acknowledgement(sequenceNumber: UInt32(truncatingIfNeeded: total))))]
    }

    public mutating func receive(_ message: RTMPMessage) throws -> [Action] {
        let body = try RTMPBody(decoding: message)
        switch body {
        case .setChunkSize(let size):
            serverInfo.serverChunkSize = Int(size)
            return []
        case .windowAcknowledgementSize(let size):
            windowAcknowledgementSize = size
            serverInfo.windowAcknowledgementSize = size
            return []
        case .setPeerBandwidth(let size, let limit):
            serverInfo.peerBandwidth = size
            serverInfo.peerBandwidthLimit = limit
            // "The receiver of this message SHOULD respond with a Window Acknowledgement Size message if the
            // window size is different from the last one sent to the sender of this message." (RTMP 5.4.5)
            guard announcedWindowSize != size else { return [] }
            announcedWindowSize = size
            return [.send(Self.control(.windowAcknowledgementSize(size)))]
        case .userControl(.pingRequest(let time)):
            return [.send(Self.control(.userControl(.pingResponse(time))))]
        case .acknowledgement, .abort, .userControl:
            return []
        case .command(let command):
            return try receive(command)
        case .data(let values):
            return receiveData(values)
        case .audio, .video:
            guard case .play = configuration.role else { return [] }
            return [.media(message)]
        case .aggregate(let payload):
            guard case .play = configuration.role else { return [] }
            return try Self.splitAggregate(payload, message: message).map { .media($0) }
        case .other:
            return []
        }
    }

    private mutating func receive(_ command: RTMPCommand) throws -> [Action] {
        switch command.name {
        case "_result", "_error":
            let request = pending.removeValue(forKey: command.transactionID)
            let isError = command.name == "_error"
            switch request {
            case "connect":
                let status = RTMPStatus(command.arguments.first)
                if isError { return [.connectRejected(status)] }
                return connectSucceeded(command)
            case "createStream":
                if isError {
                    return [.failed(MediaError(.peerRefused, "server refused createStream: \(RTMPStatus(command.arguments.first))"))]
                }
                guard let id = command.arguments.first?.numberValue, id >= 0, id <= Double(UInt32.max) else {
                    throw MediaError(.protocolViolation, "createStream answered without a stream id")
                }
                streamID = UInt32(id)
                return streamCreated(UInt32(id))
            default:
                // `_error` answers to releaseStream and FCPublish are harmless (rtmp-peer-notes.md).
                return []
            }
        case "onStatus":
            return receiveStatus(RTMPStatus(command.arguments.first))
        case "close":
            return [.failed(MediaError(.peerRefused, "server closed the connection"))]
        default:
            // onBWDone, onFCPublish, onFCUnpublish, _checkbw...: informational.
            return []
        }
    }

    private mutating func connectSucceeded(_ command: RTMPCommand) -> [Action] {
        let properties = command.commandObject.objectValue
        let information = command.arguments.first?.objectValue
        serverInfo.properties = properties
        serverInfo.information = information
        serverInfo.serverVersion = properties?["fmsVer"]?.stringValue
        serverInfo.capabilities = properties?["capabilities"]?.numberValue
        serverInfo.mode = properties?["mode"]?.numberValue
        serverInfo.code = information?["code"]?.stringValue
        serverInfo.description = information?["description"]?.stringValue
        serverInfo.objectEncoding = information?["objectEncoding"]?.numberValue
        var actions: [Action] = [.connected(serverInfo)]
        switch configuration.role {
        case .publish(let name):
            actions.append(makeCommand(name: "releaseStream", object: .null, arguments: [.string(name)]))
            actions.append(makeCommand(name: "FCPublish", object: .null, arguments: [.string(name)]))
            actions.append(makeCommand(name: "createStream", object: .null, arguments: []))
        case .play:
            actions.append(makeCommand(name: "createStream", object: .null, arguments: []))
        case .connectOnly:
            break
        }
        return actions
    }

    private mutating func streamCreated(_ id: UInt32) -> [Action] {
        switch configuration.role {
        case .publish(let name):
            return [
                makeCommand(
                    name: "publish", object: .null, arguments: [.string(name), .string("live")], streamID: id,
                    transaction: 0)
            ]
        case .play(let name):
            return [
                .send(
                    Self.control(
                        .userControl(.setBufferLength(streamID: id, milliseconds: configuration.playBufferMilliseconds)))),
                makeCommand(
                    name: "play", object: .null, arguments: [.string(name), .number(-2000)], streamID: id,
                    transaction: 0),
            ]
        case .connectOnly:
            return []
        }
    }

    private mutating func receiveStatus(_ status: RTMPStatus) -> [Action] {
        switch status.code {
        case "NetStream.Publish.Start", "NetStream.Play.Start":
            guard !isStreamStarted else { return [.status(status)] }
            isStreamStarted = true
            return [.streamStarted(streamID: streamID ?? 0, status: status)]
        case "NetConnection.Connect.ReconnectRequest":
            return [.reconnectRequested(tcUrl: nil)]
        case "NetConnection.Connect.Closed":
            return [.failed(MediaError(.peerRefused, "server closed the connection: \(status)"))]
        default:
            if status.isError {
                return [.failed(MediaError(.peerRefused, "server error \(status)"))]
            }
            return [.status(status)]
        }
    }

    private func receiveData(_ values: [AMF0Value]) -> [Action] {
        var values = values[...]
        if values.first?.stringValue == "@setDataFrame" { values = values.dropFirst() }
        guard values.first?.stringValue == "onMetaData", let object = values.dropFirst().first?.objectValue else {
            return []
        }
        return [.metadata(object)]
    }

    // MARK: Building messages

    private mutating func makeCommand(
        name: String, object: AMF0Value, arguments: [AMF0Value], streamID: UInt32 = 0, transaction: Double? = nil
    ) -> Action {
        let id: Double
        if let transaction {
            id = transaction
        } else {
            id = nextTransactionID
            nextTransactionID += 1
            pending[id] = name
        }
        let body = RTMPBody.command(RTMPCommand(name: name, transactionID: id, commandObject: object, arguments: arguments))
        let chunkStream = streamID == 0 ? RTMPChunkStreamID.command : Self.streamCommandChunkStream
        return .send(body.message(streamID: streamID, timestamp: 0, chunkStreamID: chunkStream))
    }

    /// Commands on a created stream (publish, play, deleteStream) go on a chunk stream of their own, as
    /// ffmpeg's and OBS's do, so that the command chunk stream keeps message stream 0.
    static let streamCommandChunkStream: UInt32 = 8

    static func control(_ body: RTMPBody) -> RTMPMessage {
        body.message(streamID: 0, timestamp: 0, chunkStreamID: RTMPChunkStreamID.protocolControl)
    }

    /// "The message stream ID of the aggregate message overrides the message stream IDs of the sub-messages
    /// inside the aggregate. The difference between the timestamps of the aggregate message and the first
    /// sub-message is the offset used to renormalize the timestamps of the sub-messages to the stream time
    /// scale." (RTMP 7.1.6) Each sub-message is an FLV tag followed by its back pointer.
    static func splitAggregate(_ payload: ByteBuffer, message: RTMPMessage) throws -> [RTMPMessage] {
        var payload = payload
        var result: [RTMPMessage] = []
        var offset: Int64?
        while payload.readableBytes > 0 {
            guard payload.readableBytes >= 11,
                let type = payload.readInteger(as: UInt8.self),
                let size = payload.readUInt24(),
                let low = payload.readUInt24(),
                let high = payload.readInteger(as: UInt8.self),
                payload.readUInt24() != nil,
                let body = payload.readSlice(length: Int(size))
            else {
                throw MediaError(.protocolViolation, "aggregate message truncated")
            }
            _ = payload.readInteger(as: UInt32.self)  // back pointer
            let timestamp = Int64(UInt32(high) << 24 | low)
            let base = offset ?? (Int64(message.timestamp) - timestamp)
            offset = base
            result.append(
                RTMPMessage(
                    typeID: type & 0x1F, streamID: message.streamID,
                    timestamp: UInt32(truncatingIfNeeded: timestamp + base), chunkStreamID: message.chunkStreamID,
                    payload: body))
        }
        return result
    }
}

extension ByteBuffer {
    mutating func readUInt24() -> UInt32? {
        guard let bytes = readBytes(length: 3) else { return nil }
        return UInt32(bytes[0]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[2])
    }
}
