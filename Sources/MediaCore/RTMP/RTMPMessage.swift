import NIOCore

/// One RTMP message as the chunk stream carries it: the header fields of RTMP Specification 1.0 section 5.1 plus
/// the chunk stream it travelled on, and the reassembled payload.
///
/// "The format of a message that can be split into chunks to support multiplexing depends on a higher level
/// protocol. The message format SHOULD however contain the following fields which are necessary for creating the
/// chunks": timestamp, length, type id and message stream id (section 5.1). The length is `payload.readableBytes`.
public struct RTMPMessage: Sendable, Equatable {
    /// The message type id (section 5.1, "Type Id"); see `RTMPMessageType` for the ones RTMP defines.
    public var typeID: UInt8
    /// "Message Stream ID: The message stream ID can be any arbitrary value." (section 5.1). 0 is the control stream.
    public var streamID: UInt32
    /// Absolute timestamp in milliseconds; "Because timestamps are 32 bits long, they roll over every 49 days"
    /// (section 4), so it wraps.
    public var timestamp: UInt32
    /// The chunk stream the message was received on or is to be sent on (2...65599, see `RTMPChunkStreamID`).
    public var chunkStreamID: UInt32
    /// The message payload (at most 16777215 bytes: the length field is 3 bytes).
    public var payload: ByteBuffer

    public init(typeID: UInt8, streamID: UInt32, timestamp: UInt32, chunkStreamID: UInt32, payload: ByteBuffer) {
        self.typeID = typeID
        self.streamID = streamID
        self.timestamp = timestamp
        self.chunkStreamID = chunkStreamID
        self.payload = payload
    }
}
