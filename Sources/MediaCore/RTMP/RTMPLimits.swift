/// Limits the chunk decoder enforces against a hostile or broken peer, all checked before any byte is buffered.
public struct RTMPLimits: Sendable, Equatable {
    /// The largest chunk size a peer may announce with Set Chunk Size (after clamping, see below).
    ///
    /// "Valid sizes are 1 to 2147483647 (0x7FFFFFFF) inclusive; however, all sizes greater than 16777215 (0xFFFFFF)
    /// are equivalent since no chunk is larger than one message, and no message is larger than 16777215 bytes."
    /// (section 5.4.1). The decoder treats anything above 16777215 as 16777215, then applies this limit. A chunk size
    /// allocates nothing by itself: bytes are buffered only as they arrive.
    public var maxChunkSize: Int
    /// The largest message length a chunk header may announce. The field is 3 bytes ("This field occupies 3 bytes in
    /// the chunk header", section 5.1), so 16777215 is the protocol's own maximum. A message buffer grows as chunks
    /// arrive; it is never sized from the length header.
    public var maxMessageLength: Int
    /// How many messages may be partially received at once, one per chunk stream ("At the receiver end, the chunks
    /// are assembled into messages based on the chunk stream ID", section 5.3). The per-stream header state of a chunk
    /// stream without a partial message is a few dozen bytes, bounded by the 65597 ids the protocol allows.
    public var maxChunkStreams: Int
    /// The total number of payload bytes held in partial messages across all chunk streams.
    public var maxBufferedBytes: Int

    /// The protocol's maximum message length and chunk size: 16777215 (0xFFFFFF).
    public static let protocolMaximumMessageLength = 0xFF_FFFF

    public init(
        maxChunkSize: Int = RTMPLimits.protocolMaximumMessageLength,
        maxMessageLength: Int = RTMPLimits.protocolMaximumMessageLength,
        maxChunkStreams: Int = 64,
        maxBufferedBytes: Int = 64 << 20
    ) {
        self.maxChunkSize = maxChunkSize
        self.maxMessageLength = maxMessageLength
        self.maxChunkStreams = maxChunkStreams
        self.maxBufferedBytes = maxBufferedBytes
    }

    public static let `default` = RTMPLimits()
}
