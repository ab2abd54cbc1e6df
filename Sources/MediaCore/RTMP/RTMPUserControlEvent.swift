import NIOCore

/// A User Control message's event (message type 4; sections 6.2 and 7.1.7).
///
/// "The first 2 bytes of the message data are used to identify the Event type. Event type is followed by Event data."
/// (section 6.2)
public enum RTMPUserControlEvent: Sendable, Equatable {
    /// Stream Begin (=0): "The event data is 4-byte and represents the stream ID of the stream that became functional."
    case streamBegin(UInt32)
    /// Stream EOF (=1): "The 4 bytes of event data represent the ID of the stream on which playback has ended."
    case streamEOF(UInt32)
    /// StreamDry (=2): "The 4 bytes of event data represent the stream ID of the dry stream."
    case streamDry(UInt32)
    /// SetBuffer Length (=3): "The first 4 bytes of the event data represent the stream ID and the next 4 bytes
    /// represent the buffer length, in milliseconds."
    case setBufferLength(streamID: UInt32, milliseconds: UInt32)
    /// StreamIs Recorded (=4): "The 4 bytes event data represent the stream ID of the recorded stream."
    case streamIsRecorded(UInt32)
    /// PingRequest (=6): "Event data is a 4-byte timestamp, representing the local server time when the server
    /// dispatched the command. The client responds with PingResponse on receiving MsgPingRequest."
    case pingRequest(UInt32)
    /// PingResponse (=7): "The event data is a 4-byte timestamp, which was received with the PingRequest request."
    case pingResponse(UInt32)
    /// Any other event type (Flash Media Server sends 31 and 32, buffer empty/ready), its data kept verbatim.
    case other(eventType: UInt16, data: ByteBuffer)

    /// The event type number.
    public var eventType: UInt16 {
        switch self {
        case .streamBegin: return 0
        case .streamEOF: return 1
        case .streamDry: return 2
        case .setBufferLength: return 3
        case .streamIsRecorded: return 4
        case .pingRequest: return 6
        case .pingResponse: return 7
        case .other(let eventType, _): return eventType
        }
    }
}

extension ByteBuffer {
    /// Reads a User Control message payload (all readable bytes).
    mutating func readRTMPUserControlEvent() throws -> RTMPUserControlEvent {
        guard let eventType = self.readInteger(as: UInt16.self) else {
            throw MediaError(
                .protocolViolation,
                "RTMP User Control message: payload has \(self.readableBytes) bytes, expected at least 2 (event type)"
            )
        }
        func value(_ name: String) throws -> UInt32 {
            guard let value = self.readInteger(as: UInt32.self) else {
                throw MediaError(
                    .protocolViolation,
                    "RTMP User Control event \(eventType): \(name) needs 4 bytes at payload byte "
                        + "\(self.readerIndex), \(self.readableBytes) left"
                )
            }
            return value
        }
        switch eventType {
        case 0: return .streamBegin(try value("stream id"))
        case 1: return .streamEOF(try value("stream id"))
        case 2: return .streamDry(try value("stream id"))
        case 3:
            let streamID = try value("stream id")
            return .setBufferLength(streamID: streamID, milliseconds: try value("buffer length"))
        case 4: return .streamIsRecorded(try value("stream id"))
        case 6: return .pingRequest(try value("timestamp"))
        case 7: return .pingResponse(try value("timestamp"))
        default: return .other(eventType: eventType, data: self.readSlice(length: self.readableBytes)!)
        }
    }

    /// Writes a User Control message payload: event type, then event data.
    mutating func writeRTMPUserControlEvent(_ event: RTMPUserControlEvent) {
        switch event {
        case .streamBegin(let value), .streamEOF(let value), .streamDry(let value), .streamIsRecorded(let value),
            .pingRequest(let value), .pingResponse(let value):
            self.writeMultipleIntegers(event.eventType, value)
        case .setBufferLength(let streamID, let milliseconds):
            self.writeMultipleIntegers(event.eventType, streamID, milliseconds)
        case .other(let eventType, let data):
            self.writeInteger(eventType)
            self.writeImmutableBuffer(data)
        }
    }
}
