import NIOCore

/// Splits RTMP messages into chunks (RTMP Specification 1.0 section 5.3), compressing headers per chunk stream.
///
/// "An implementation SHOULD use the most compact representation possible for each chunk message header."
/// (section 5.3.1.2) For each message the encoder picks:
/// - type 0 for the first message of a chunk stream, when the message stream id changes, and when the timestamp goes
///   backward ("This type MUST be used at the start of a chunk stream, and whenever the stream timestamp goes
///   backward", section 5.3.1.2.1). Backward means a negative delta in serial number arithmetic: "an application
///   assumes that all adjacent timestamps are within 2^31 - 1 milliseconds of each other, so 10000 comes after
///   4000000000" (section 4), so a timestamp that wraps past 2^32 still moves forward with a type 1/2/3 header.
/// - type 1 when the length or type id changed ("Streams with variable-sized messages (for example, many video
///   formats) SHOULD use this format for the first chunk of each new message after the first", section 5.3.1.2.2),
/// - type 2 when only the delta changed (section 5.3.1.2.3),
/// - type 3 when the delta equals the one a type 1 or 2 header set before ("A stream consisting of messages of
///   exactly the same size, stream ID and spacing in time SHOULD use this type for all chunks after a chunk of
///   Type 2", section 5.3.1.2.4). The encoder never relies on the rule that a type 3 after a type 0 reuses the type 0's
///   timestamp as delta: it sends a type 2 first, which every decoder reads the same way.
///
/// Every chunk after the first of a message is type 3 and, when the message's type 0/1/2 header carried an extended
/// timestamp, repeats that field: "This field is present in Type 3 chunks when the most recent Type 0, 1, or 2 chunk
/// for the same chunk stream ID indicated the presence of an extended timestamp field." (section 5.3.1.3)
///
/// Programmer errors trap: a chunk stream id outside 2...65599 or a payload above 16777215 bytes.
public struct RTMPChunkEncoder: Sendable {
    /// The chunk size this side announced: 128 until `setChunkSize(_:)`.
    public private(set) var chunkSize: Int

    private var chunkStreams: [UInt32: ChunkStreamState] = [:]

    /// What the peer's decoder holds for a chunk stream after our last header on it.
    private struct ChunkStreamState {
        var timestamp: UInt32
        /// The delta a type-3 header would add; nil after a type 0 (see the type-3 note above).
        var timestampDelta: UInt32?
        var messageLength: Int
        var typeID: UInt8
        var streamID: UInt32
        /// The extended timestamp field of the most recent type 0/1/2 header, repeated on type-3 chunks; nil if none.
        var extendedTimestamp: UInt32?
    }

    public init(chunkSize: Int = RTMPChunkDecoder.defaultChunkSize) {
        precondition((1...0x7FFF_FFFF).contains(chunkSize), "RTMP chunk size \(chunkSize) outside 1...2147483647")
        self.chunkSize = chunkSize
    }

    /// Switches to a new outgoing chunk size. Encode the Set Chunk Size message that announces it first (with the old
    /// size), then call this: "This field holds the new maximum chunk size, in bytes, which will be used for all of the
    /// sender's subsequent chunks until further notice." (section 5.4.1)
    public mutating func setChunkSize(_ size: Int) {
        precondition((1...0x7FFF_FFFF).contains(size), "RTMP chunk size \(size) outside 1...2147483647")
        self.chunkSize = size
    }

    /// Appends the chunks of `message` to `buffer`.
    public mutating func encode(_ message: RTMPMessage, into buffer: inout ByteBuffer) {
        let header = nextHeader(for: message)
        let length = header.length
        let chunkSize = self.effectiveChunkSize

        // Reserve once: first header + payload + one basic header (and extended timestamp) per further chunk.
        let chunkCount = length == 0 ? 1 : (length + chunkSize - 1) / chunkSize
        buffer.reserveCapacity(
            minimumWritableBytes: header.firstLength + length + (chunkCount - 1) * header.continuationLength)
        header.writeFirst(into: &buffer)

        // Chunk data, with a type-3 header before every chunk after the first.
        guard length > chunkSize else {
            buffer.writeImmutableBuffer(message.payload)
            return
        }
        message.payload.withUnsafeReadableBytes { payload in
            var offset = 0
            while true {
                let end = min(offset + chunkSize, length)
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: payload[offset..<end]))
                offset = end
                if offset == length { break }
                header.writeContinuation(into: &buffer)
            }
        }
    }

    /// Appends the chunks of `message` to `list`: the same bytes as `encode(_:into:)` with a `ByteBuffer`, with
    /// payload pieces of at least `list.copyLimit` bytes as slices of the payload instead of copies.
    public mutating func encode(_ message: RTMPMessage, into list: inout RTMPChunkList) {
        let header = nextHeader(for: message)
        let chunkSize = self.effectiveChunkSize
        let chunkCount = header.length == 0 ? 1 : (header.length + chunkSize - 1) / chunkSize
        list.reserveHeaderCapacity(header.firstLength + (chunkCount - 1) * header.continuationLength)
        list.write { header.writeFirst(into: &$0) }
        var payload = message.payload
        while true {
            list.append(payload: payload.readSlice(length: min(chunkSize, payload.readableBytes))!)
            if payload.readableBytes == 0 { break }
            list.write { header.writeContinuation(into: &$0) }
        }
    }

    /// The chunk size in effect: an announced size above the longest message length never splits a message.
    private var effectiveChunkSize: Int { min(self.chunkSize, RTMPLimits.protocolMaximumMessageLength) }

    /// The headers of one message's chunks.
    private struct MessageHeader {
        var type: RTMPChunkHeaderType
        var chunkStreamID: UInt32
        /// Absolute for type 0, delta for types 1 and 2.
        var timestampValue: UInt32
        var length: Int
        var typeID: UInt8
        var streamID: UInt32
        /// The extended timestamp field, on the first chunk and repeated on every continuation chunk.
        var extendedTimestamp: UInt32?

        var basicHeaderLength: Int { ByteBuffer.rtmpBasicHeaderLength(chunkStreamID: chunkStreamID) }
        var firstLength: Int { basicHeaderLength + type.messageHeaderLength + (extendedTimestamp == nil ? 0 : 4) }
        var continuationLength: Int { basicHeaderLength + (extendedTimestamp == nil ? 0 : 4) }

        func writeFirst(into buffer: inout ByteBuffer) {
            buffer.writeRTMPBasicHeader(format: type.rawValue, chunkStreamID: chunkStreamID)
            let field = min(timestampValue, rtmpExtendedTimestampMarker)
            switch type {
            case .type0:
                // timestamp (3 bytes), message length (3), message type id (1), message stream id (4, little-endian).
                buffer.writeMultipleIntegers(
                    UInt16(truncatingIfNeeded: field >> 8),
                    UInt8(truncatingIfNeeded: field),
                    UInt16(truncatingIfNeeded: length >> 8),
                    UInt8(truncatingIfNeeded: length),
                    typeID,
                    streamID.byteSwapped
                )
            case .type1:
                buffer.writeMultipleIntegers(
                    UInt16(truncatingIfNeeded: field >> 8),
                    UInt8(truncatingIfNeeded: field),
                    UInt16(truncatingIfNeeded: length >> 8),
                    UInt8(truncatingIfNeeded: length),
                    typeID
                )
            case .type2:
                buffer.writeMultipleIntegers(UInt16(truncatingIfNeeded: field >> 8), UInt8(truncatingIfNeeded: field))
            case .type3:
                break
            }
            if let extendedTimestamp {
                buffer.writeInteger(extendedTimestamp)
            }
        }

        func writeContinuation(into buffer: inout ByteBuffer) {
            buffer.writeRTMPBasicHeader(format: RTMPChunkHeaderType.type3.rawValue, chunkStreamID: chunkStreamID)
            if let extendedTimestamp {
                buffer.writeInteger(extendedTimestamp)
            }
        }
    }

    /// Chooses the header type for `message` and records what the peer's decoder will hold after it.
    private mutating func nextHeader(for message: RTMPMessage) -> MessageHeader {
        let chunkStreamID = message.chunkStreamID
        precondition(
            RTMPChunkStreamID.validRange.contains(chunkStreamID),
            "RTMP chunk stream id \(chunkStreamID) outside 2...65599"
        )
        let length = message.payload.readableBytes
        precondition(length <= RTMPLimits.protocolMaximumMessageLength, "RTMP message of \(length) bytes exceeds 16777215")
        let timestamp = message.timestamp

        let headerType: RTMPChunkHeaderType
        var next: ChunkStreamState
        var timestampValue: UInt32  // absolute for type 0, delta for types 1 and 2
        if let previous = self.chunkStreams[chunkStreamID], previous.streamID == message.streamID,
            timestamp &- previous.timestamp < 0x8000_0000
        {
            let delta = timestamp &- previous.timestamp
            next = previous
            next.timestamp = timestamp
            timestampValue = delta
            if previous.messageLength != length || previous.typeID != message.typeID {
                headerType = .type1
            } else if previous.timestampDelta != delta {
                headerType = .type2
            } else {
                headerType = .type3
            }
            if headerType != .type3 {
                next.timestampDelta = delta
                next.messageLength = length
                next.typeID = message.typeID
                next.extendedTimestamp = delta >= rtmpExtendedTimestampMarker ? delta : nil
            }
        } else {
            headerType = .type0
            timestampValue = timestamp
            next = ChunkStreamState(
                timestamp: timestamp,
                timestampDelta: nil,
                messageLength: length,
                typeID: message.typeID,
                streamID: message.streamID,
                extendedTimestamp: timestamp >= rtmpExtendedTimestampMarker ? timestamp : nil
            )
        }
        self.chunkStreams[chunkStreamID] = next
        return MessageHeader(
            type: headerType, chunkStreamID: chunkStreamID, timestampValue: timestampValue, length: length,
            typeID: message.typeID, streamID: message.streamID, extendedTimestamp: next.extendedTimestamp)
    }
}
