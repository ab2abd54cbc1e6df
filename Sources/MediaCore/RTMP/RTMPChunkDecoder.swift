import NIOCore

/// Reassembles RTMP messages from the chunk stream a peer sends (RTMP Specification 1.0 section 5.3).
///
/// Feed bytes with `append(_:)`, then call `nextMessage()` until it returns nil ("need more bytes"). Parsing is
/// resumable at any byte boundary: feeding one byte at a time gives the same messages as feeding everything at once.
///
/// The decoder applies the two protocol control messages that change how chunks are read, in stream order, as soon as
/// each is complete, and still returns them: Set Chunk Size (type 1) and Abort Message (type 2). "Protocol control
/// messages take effect as soon as they are received; their timestamps are ignored." (section 5.4) It acts on them by
/// type id whatever chunk stream carried them.
///
/// Memory: a message that arrives whole inside one read is returned as a slice of that read (no copy). Otherwise its
/// bytes are accumulated in one buffer per chunk stream, which grows only as bytes arrive: a length header alone
/// allocates nothing. `RTMPLimits` bounds the number of partial messages and the bytes they hold.
public struct RTMPChunkDecoder: Sendable {
    /// "The maximum chunk size defaults to 128 bytes" (section 5.4.1).
    public static let defaultChunkSize = 128

    public let limits: RTMPLimits
    /// The peer's current chunk size: 128 until it sends Set Chunk Size. "Chunk size is maintained independently for
    /// each direction." (section 5.3)
    public private(set) var chunkSize: Int
    /// Every byte given to `append(_:)`: what an Acknowledgement's sequence number counts ("This field holds the
    /// number of bytes received so far", section 5.4.3). Handshake bytes are not included.
    public private(set) var bytesReceived: UInt64

    /// Bytes appended and not parsed yet. After `nextMessage()` returned nil this is at most an incomplete chunk header
    /// (chunk data is moved into the partial message as it arrives).
    private var input: ByteBuffer
    private var chunkStreams: [UInt32: ChunkStreamState]
    private var state: State
    /// Chunk streams with a partially received message.
    private var partialMessages: Int
    /// Payload bytes held in partial messages.
    private var bufferedBytes: Int

    /// What the previous chunk of a chunk stream established: "chunks of this type take values from the preceding
    /// chunk for the same Chunk Stream ID" (section 5.3.1.2.4).
    private struct ChunkStreamState {
        /// The absolute timestamp of the current (or last) message.
        var timestamp: UInt32
        /// The delta a type-3 chunk that starts a new message adds.
        var timestampDelta: UInt32
        var messageLength: Int
        var typeID: UInt8
        var streamID: UInt32
        /// Whether the most recent type 0, 1 or 2 header had an extended timestamp field, so type-3 chunks have one.
        var hasExtendedTimestamp: Bool
        /// The message being reassembled; nil between messages.
        var partial: ByteBuffer?
    }

    private enum State {
        /// Waiting for a complete chunk header.
        case header
        /// Inside a chunk's data: `remaining` bytes of it still to come for `chunkStreamID`'s partial message.
        case chunkData(chunkStreamID: UInt32, remaining: Int)
    }

    public init(limits: RTMPLimits = .default) {
        self.limits = limits
        self.chunkSize = Self.defaultChunkSize
        self.bytesReceived = 0
        self.input = ByteBuffer()
        self.chunkStreams = [:]
        self.state = .header
        self.partialMessages = 0
        self.bufferedBytes = 0
    }

    /// Adds bytes received from the peer. Call `nextMessage()` until it returns nil afterwards.
    public mutating func append(_ bytes: ByteBuffer) {
        self.bytesReceived &+= UInt64(bytes.readableBytes)
        if self.input.readableBytes == 0 {
            self.input = bytes
        } else {
            self.input.discardReadBytes()
            self.input.writeImmutableBuffer(bytes)
        }
    }

    /// The next complete message, or nil when more bytes are needed.
    ///
    /// Throws `MediaError(.protocolViolation, ...)` when the peer breaks the chunk stream rules or exceeds `limits`;
    /// the connection cannot continue after that.
    public mutating func nextMessage() throws -> RTMPMessage? {
        while true {
            switch self.state {
            case .header:
                guard let chunk = try self.readChunkHeader() else { return nil }
                if let message = try self.startChunk(chunkStreamID: chunk.chunkStreamID, dataLength: chunk.dataLength) {
                    try self.applyProtocolControl(message)
                    return message
                }
            case .chunkData(let chunkStreamID, let remaining):
                guard let message = try self.readChunkData(chunkStreamID: chunkStreamID, remaining: remaining) else {
                    if case .chunkData = self.state { return nil }
                    continue
                }
                try self.applyProtocolControl(message)
                return message
            }
        }
    }

    // MARK: - Chunk header

    /// The stream offset of `index` in `input`, for error messages.
    private func streamOffset(at index: Int) -> UInt64 {
        self.bytesReceived - UInt64(self.input.writerIndex - index)
    }

    /// Parses one chunk header if it is complete and commits it to the chunk stream's state; nil (nothing consumed)
    /// when more bytes are needed.
    private mutating func readChunkHeader() throws -> (chunkStreamID: UInt32, dataLength: Int)? {
        let start = self.input.readerIndex
        guard let basic = self.input.getRTMPBasicHeader(at: start) else { return nil }
        let chunkStreamID = basic.chunkStreamID
        var index = start + basic.length
        guard self.input.readableBytes >= basic.length + basic.format.messageHeaderLength else { return nil }

        // The common case first: a type-3 chunk that continues a partial message changes no header state.
        // "The first is to specify the continuation of a message." (section 5.3.2.2)
        if basic.format == .type3, let stream = self.chunkStreams[chunkStreamID], let partial = stream.partial {
            // "This field is present in Type 3 chunks when the most recent Type 0, 1, or 2 chunk for the same chunk
            // stream ID indicated the presence of an extended timestamp field." (section 5.3.1.3) Its value repeats
            // the message's timestamp (or delta) and changes nothing here.
            if stream.hasExtendedTimestamp {
                guard self.input.readableBytes >= basic.length + 4 else { return nil }
                index += 4
            }
            self.input.moveReaderIndex(to: index)
            return (chunkStreamID, min(self.chunkSize, stream.messageLength - partial.readableBytes))
        }

        let previous = self.chunkStreams[chunkStreamID]
        if basic.format != .type0 && previous == nil {
            throw MediaError(
                .protocolViolation,
                "RTMP chunk stream \(chunkStreamID) starts with a type-\(basic.format.rawValue) chunk header at byte "
                    + "\(self.streamOffset(at: start)); its first chunk MUST be type 0"
            )
        }
        if let previous, let partial = previous.partial {
            // "When a single message is split into chunks, all chunks of a message except the first one SHOULD use
            // this type [3]." A new message header while one is incomplete means the peer lost track of the message.
            throw MediaError(
                .protocolViolation,
                "RTMP chunk stream \(chunkStreamID): type-\(basic.format.rawValue) chunk header at byte "
                    + "\(self.streamOffset(at: start)) while a message has \(partial.readableBytes) of "
                    + "\(previous.messageLength) bytes"
            )
        }

        var next: ChunkStreamState
        switch basic.format {
        case .type0:
            let timestampField = self.input.getRTMPUInt24(at: index)!
            let length = Int(self.input.getRTMPUInt24(at: index + 3)!)
            let typeID = self.input.getInteger(at: index + 6, as: UInt8.self)!
            // "Message stream ID is stored in little-endian format." (section 5.3.1.2.5)
            let streamID = self.input.getInteger(at: index + 7, endianness: .little, as: UInt32.self)!
            index += 11
            try self.checkMessageLength(length, chunkStreamID: chunkStreamID, headerAt: start)
            var timestamp = timestampField
            if timestampField == rtmpExtendedTimestampMarker {
                guard let extended = self.input.getInteger(at: index, as: UInt32.self) else { return nil }
                timestamp = extended
                index += 4
            }
            // "If a Type 3 chunk follows a Type 0 chunk, then the timestamp delta for this Type 3 chunk is the same as
            // the timestamp of the Type 0 chunk." (section 5.3.1.2.4)
            next = ChunkStreamState(
                timestamp: timestamp,
                timestampDelta: timestamp,
                messageLength: length,
                typeID: typeID,
                streamID: streamID,
                hasExtendedTimestamp: timestampField == rtmpExtendedTimestampMarker,
                partial: nil
            )
        case .type1, .type2:
            next = previous!
            let deltaField = self.input.getRTMPUInt24(at: index)!
            if basic.format == .type1 {
                let length = Int(self.input.getRTMPUInt24(at: index + 3)!)
                try self.checkMessageLength(length, chunkStreamID: chunkStreamID, headerAt: start)
                next.messageLength = length
                next.typeID = self.input.getInteger(at: index + 6, as: UInt8.self)!
            }
            index += basic.format.messageHeaderLength
            // "For a type-1 or type-2 chunk, the difference between the previous chunk's timestamp and the current
            // chunk's timestamp is sent here. If the delta is greater than or equal to 16777215 (hexadecimal 0xFFFFFF),
            // this field MUST be 16777215, indicating the presence of the Extended Timestamp field to encode the full
            // 32 bit delta." (section 5.3.1.2.5)
            var delta = deltaField
            if deltaField == rtmpExtendedTimestampMarker {
                guard let extended = self.input.getInteger(at: index, as: UInt32.self) else { return nil }
                delta = extended
                index += 4
            }
            next.timestampDelta = delta
            next.timestamp = next.timestamp &+ delta
            next.hasExtendedTimestamp = deltaField == rtmpExtendedTimestampMarker
        case .type3:
            // A type-3 chunk that starts a new message (continuations returned above): "The second is to specify the
            // beginning of a new message whose header can be derived from the existing state data." (section 5.3.2.2)
            next = previous!
            if next.hasExtendedTimestamp {
                // The extended field, when present, carries the full delta.
                guard let extended = self.input.getInteger(at: index, as: UInt32.self) else { return nil }
                next.timestampDelta = extended
                index += 4
            }
            next.timestamp = next.timestamp &+ next.timestampDelta
        }

        self.input.moveReaderIndex(to: index)
        // "The chunk payload length is the maximum chunk size for all but the last chunk, and the remainder (which may
        // be the entire length, for small messages) for the last chunk." (section 5.3.1.2.5)
        let dataLength = min(self.chunkSize, next.messageLength)
        self.chunkStreams[chunkStreamID] = next
        return (chunkStreamID, dataLength)
    }

    private func checkMessageLength(_ length: Int, chunkStreamID: UInt32, headerAt index: Int) throws {
        guard length <= self.limits.maxMessageLength else {
            throw MediaError(
                .protocolViolation,
                "RTMP chunk stream \(chunkStreamID): message length \(length) in the chunk header at byte "
                    + "\(self.streamOffset(at: index)) exceeds the limit of \(self.limits.maxMessageLength) bytes"
            )
        }
    }

    // MARK: - Chunk data

    /// Called right after a header: returns the message at once when it is complete without buffering (an empty
    /// message, or a whole single-chunk message already in `input`), otherwise switches to reading chunk data.
    private mutating func startChunk(chunkStreamID: UInt32, dataLength: Int) throws -> RTMPMessage? {
        let stream = self.chunkStreams[chunkStreamID]!
        if stream.partial == nil {
            if stream.messageLength == 0 {
                return self.message(of: stream, chunkStreamID: chunkStreamID, payload: ByteBuffer())
            }
            if dataLength == stream.messageLength, let payload = self.input.readSlice(length: dataLength) {
                return self.message(of: stream, chunkStreamID: chunkStreamID, payload: payload)
            }
        }
        self.state = .chunkData(chunkStreamID: chunkStreamID, remaining: dataLength)
        return nil
    }

    /// Moves available bytes of the current chunk into its partial message; returns the message when its last byte
    /// arrived. Leaves `state` at `.header` when the chunk is complete.
    private mutating func readChunkData(chunkStreamID: UInt32, remaining: Int) throws -> RTMPMessage? {
        let count = min(remaining, self.input.readableBytes)
        guard count > 0 else { return nil }
        guard self.bufferedBytes + count <= self.limits.maxBufferedBytes else {
            throw MediaError(
                .protocolViolation,
                "RTMP chunk stream \(chunkStreamID): chunk data at byte \(self.streamOffset(at: self.input.readerIndex)) "
                    + "would hold more than \(self.limits.maxBufferedBytes) bytes in partial messages"
            )
        }
        if self.chunkStreams[chunkStreamID]!.partial == nil {
            guard self.partialMessages < self.limits.maxChunkStreams else {
                throw MediaError(
                    .protocolViolation,
                    "RTMP chunk stream \(chunkStreamID): message starting at byte "
                        + "\(self.streamOffset(at: self.input.readerIndex)) would be the "
                        + "\(self.partialMessages + 1)th partially received message (limit \(self.limits.maxChunkStreams))"
                )
            }
            self.partialMessages += 1
            // Sized by what has arrived, never by the length header; it grows as more chunks arrive.
            self.chunkStreams[chunkStreamID]!.partial = ByteBufferAllocator().buffer(capacity: count)
        }
        let bytes = self.input.readSlice(length: count)!
        // Mutated in place inside the dictionary (no copy of the partial message).
        self.chunkStreams[chunkStreamID]!.partial!.writeImmutableBuffer(bytes)
        self.bufferedBytes += count

        let left = remaining - count
        guard left == 0 else {
            self.state = .chunkData(chunkStreamID: chunkStreamID, remaining: left)
            return nil
        }
        self.state = .header
        let stream = self.chunkStreams[chunkStreamID]!
        guard stream.partial!.readableBytes == stream.messageLength else { return nil }
        self.chunkStreams[chunkStreamID]!.partial = nil
        self.partialMessages -= 1
        self.bufferedBytes -= stream.messageLength
        return self.message(of: stream, chunkStreamID: chunkStreamID, payload: stream.partial!)
    }

    private func message(of stream: ChunkStreamState, chunkStreamID: UInt32, payload: ByteBuffer) -> RTMPMessage {
        RTMPMessage(
            typeID: stream.typeID,
            streamID: stream.streamID,
            timestamp: stream.timestamp,
            chunkStreamID: chunkStreamID,
            payload: payload
        )
    }

    // MARK: - Protocol control

    private mutating func applyProtocolControl(_ message: RTMPMessage) throws {
        switch message.typeID {
        case RTMPMessageType.setChunkSize.rawValue:
            var payload = message.payload
            let requested = Int(try payload.readRTMPSetChunkSize())
            // "all sizes greater than 16777215 (0xFFFFFF) are equivalent since no chunk is larger than one message,
            // and no message is larger than 16777215 bytes." (section 5.4.1)
            let size = min(requested, RTMPLimits.protocolMaximumMessageLength)
            guard size <= self.limits.maxChunkSize else {
                throw MediaError(
                    .protocolViolation,
                    "RTMP Set Chunk Size \(requested) at byte \(self.streamOffset(at: self.input.readerIndex)) exceeds "
                        + "the limit of \(self.limits.maxChunkSize) bytes"
                )
            }
            self.chunkSize = size
        case RTMPMessageType.abort.rawValue:
            var payload = message.payload
            let target = try payload.readRTMPAbortChunkStreamID()
            // "discard the partially received message over a chunk stream" (section 5.4.2)
            if let partial = self.chunkStreams[target]?.partial {
                self.chunkStreams[target]!.partial = nil
                self.partialMessages -= 1
                self.bufferedBytes -= partial.readableBytes
            }
        default:
            break
        }
    }

    // MARK: - Introspection for tests

    /// Total capacity of the partial message buffers (to check that a length header allocates nothing by itself).
    var partialMessageCapacity: Int {
        self.chunkStreams.values.reduce(0) { $0 + ($1.partial?.capacity ?? 0) }
    }

    /// Payload bytes currently held in partial messages.
    var partialMessageBytes: Int { self.bufferedBytes }
}
