import NIOCore

/// The payload of an RTMP message, decoded by its type id: one case per message type.
///
/// Audio, video and aggregate payloads stay opaque bytes ("The payload format and interpretation are beyond the scope
/// of this document", section 6.1.2). AMF3 data, AMF3 commands, shared objects and unknown types are kept verbatim as
/// `.other`.
public enum RTMPBody: Sendable, Equatable {
    /// Type 1, section 5.4.1: the sender's new maximum chunk size (1...0x7FFFFFFF).
    case setChunkSize(UInt32)
    /// Type 2, section 5.4.2: "This field holds the chunk stream ID, whose current message is to be discarded."
    case abort(chunkStreamID: UInt32)
    /// Type 3, section 5.4.3: "This field holds the number of bytes received so far."
    case acknowledgement(sequenceNumber: UInt32)
    /// Type 4, section 6.2.
    case userControl(RTMPUserControlEvent)
    /// Type 5, section 5.4.4: "The receiving peer MUST send an Acknowledgement (Section 5.4.3) after receiving the
    /// indicated number of bytes since the last Acknowledgement was sent".
    case windowAcknowledgementSize(UInt32)
    /// Type 6, section 5.4.5: "Acknowledgement Window size" (4 bytes) and "Limit Type" (1 byte).
    case setPeerBandwidth(size: UInt32, limit: RTMPBandwidthLimit)
    /// Type 8, section 7.1.4 (an FLV audio tag body).
    case audio(ByteBuffer)
    /// Type 9, section 7.1.5 (an FLV video tag body).
    case video(ByteBuffer)
    /// Type 18, section 7.1.2: AMF0 values, e.g. `"@setDataFrame", "onMetaData", {...}`.
    case data([AMF0Value])
    /// Type 20, section 7.1.1.
    case command(RTMPCommand)
    /// Type 22, section 7.1.6: "a single message that contains a series of RTMP sub-messages".
    case aggregate(ByteBuffer)
    /// Any other type id, payload verbatim.
    case other(typeID: UInt8, payload: ByteBuffer)

    /// Decodes `message.payload` according to `message.typeID`.
    ///
    /// Throws `MediaError(.protocolViolation, ...)` when a payload is too short, a Set Chunk Size is 0 or has its high
    /// bit set, a limit type is unknown, or AMF0 is malformed.
    public init(decoding message: RTMPMessage) throws {
        var payload = message.payload
        func uint32(_ what: String) throws -> UInt32 {
            guard let value = payload.readInteger(as: UInt32.self) else {
                throw MediaError(
                    .protocolViolation,
                    "RTMP \(what) (message type \(message.typeID)): payload has \(message.payload.readableBytes) "
                        + "bytes, expected at least \(payload.readerIndex - message.payload.readerIndex + 4)"
                )
            }
            return value
        }
        switch RTMPMessageType(rawValue: message.typeID) {
        case .setChunkSize:
            self = .setChunkSize(try payload.readRTMPSetChunkSize())
        case .abort:
            self = .abort(chunkStreamID: try payload.readRTMPAbortChunkStreamID())
        case .acknowledgement:
            self = .acknowledgement(sequenceNumber: try uint32("Acknowledgement"))
        case .userControl:
            self = .userControl(try payload.readRTMPUserControlEvent())
        case .windowAcknowledgementSize:
            self = .windowAcknowledgementSize(try uint32("Window Acknowledgement Size"))
        case .setPeerBandwidth:
            let size = try uint32("Set Peer Bandwidth")
            guard let limitType = payload.readInteger(as: UInt8.self) else {
                throw MediaError(
                    .protocolViolation,
                    "RTMP Set Peer Bandwidth (message type 6): payload has 4 bytes, expected 5 (limit type missing)"
                )
            }
            guard let limit = RTMPBandwidthLimit(rawValue: limitType) else {
                throw MediaError(
                    .protocolViolation,
                    "RTMP Set Peer Bandwidth (message type 6): limit type \(limitType) at payload byte 4 is not "
                        + "0 (hard), 1 (soft) or 2 (dynamic)"
                )
            }
            self = .setPeerBandwidth(size: size, limit: limit)
        case .audio:
            self = .audio(payload)
        case .video:
            self = .video(payload)
        case .aggregate:
            self = .aggregate(payload)
        case .dataAMF0:
            self = .data(try Self.readAMF0Values(&payload, what: "data message (type 18)"))
        case .commandAMF0:
            self = .command(try Self.readCommand(&payload))
        case .dataAMF3, .sharedObjectAMF3, .commandAMF3, .sharedObjectAMF0, nil:
            self = .other(typeID: message.typeID, payload: payload)
        }
    }

    /// The message type id this body is sent with.
    public var typeID: UInt8 {
        switch self {
        case .setChunkSize: return RTMPMessageType.setChunkSize.rawValue
        case .abort: return RTMPMessageType.abort.rawValue
        case .acknowledgement: return RTMPMessageType.acknowledgement.rawValue
        case .userControl: return RTMPMessageType.userControl.rawValue
        case .windowAcknowledgementSize: return RTMPMessageType.windowAcknowledgementSize.rawValue
        case .setPeerBandwidth: return RTMPMessageType.setPeerBandwidth.rawValue
        case .audio: return RTMPMessageType.audio.rawValue
        case .video: return RTMPMessageType.video.rawValue
        case .data: return RTMPMessageType.dataAMF0.rawValue
        case .command: return RTMPMessageType.commandAMF0.rawValue
        case .aggregate: return RTMPMessageType.aggregate.rawValue
        case .other(let typeID, _): return typeID
        }
    }

    /// Appends the payload bytes.
    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .setChunkSize(let size):
            buffer.writeRTMPSetChunkSize(size)
        case .abort(let chunkStreamID):
            buffer.writeInteger(chunkStreamID)
        case .acknowledgement(let sequenceNumber):
            buffer.writeInteger(sequenceNumber)
        case .userControl(let event):
            buffer.writeRTMPUserControlEvent(event)
        case .windowAcknowledgementSize(let size):
            buffer.writeInteger(size)
        case .setPeerBandwidth(let size, let limit):
            buffer.writeMultipleIntegers(size, limit.rawValue)
        case .audio(let bytes), .video(let bytes), .aggregate(let bytes), .other(_, let bytes):
            buffer.writeImmutableBuffer(bytes)
        case .data(let values):
            for value in values {
                buffer.writeAMF0Value(value)
            }
        case .command(let command):
            buffer.writeAMF0Value(.string(command.name))
            buffer.writeAMF0Value(.number(command.transactionID))
            buffer.writeAMF0Value(command.commandObject)
            for argument in command.arguments {
                buffer.writeAMF0Value(argument)
            }
        }
    }

    /// A message carrying this body.
    ///
    /// Protocol control messages "MUST have message stream ID 0 (known as the control stream) and be sent in chunk
    /// stream ID 2" (section 5.4); that is the caller's choice of arguments (see `RTMPChunkStreamID`).
    public func message(streamID: UInt32, timestamp: UInt32, chunkStreamID: UInt32) -> RTMPMessage {
        var payload: ByteBuffer
        switch self {
        case .audio(let bytes), .video(let bytes), .aggregate(let bytes), .other(_, let bytes):
            payload = bytes  // no copy for media
        default:
            payload = ByteBuffer()
            self.write(into: &payload)
        }
        return RTMPMessage(
            typeID: self.typeID,
            streamID: streamID,
            timestamp: timestamp,
            chunkStreamID: chunkStreamID,
            payload: payload
        )
    }

    // MARK: - AMF0 bodies

    private static func readAMF0Values(_ payload: inout ByteBuffer, what: String) throws -> [AMF0Value] {
        do {
            return try payload.readAMF0Values()
        } catch let error as MediaError {
            throw MediaError(.protocolViolation, "RTMP \(what): \(error.message)")
        }
    }

    /// "Command Name | String", "Transaction ID | Number", "Command Object | Object", then optional values
    /// (section 7.2.1.1).
    private static func readCommand(_ payload: inout ByteBuffer) throws -> RTMPCommand {
        var values = try self.readAMF0Values(&payload, what: "command message (type 20)")
        guard !values.isEmpty, case .string(let name) = values.removeFirst() else {
            throw MediaError(.protocolViolation, "RTMP command message (type 20): does not start with a command name string")
        }
        guard !values.isEmpty, case .number(let transactionID) = values.removeFirst() else {
            throw MediaError(
                .protocolViolation,
                "RTMP command message (type 20) \"\(name)\": the second value is not a transaction id number"
            )
        }
        // A command object is required by section 7.2, but a missing one carries no information: read it as null.
        let commandObject = values.isEmpty ? AMF0Value.null : values.removeFirst()
        return RTMPCommand(name: name, transactionID: transactionID, commandObject: commandObject, arguments: values)
    }
}
