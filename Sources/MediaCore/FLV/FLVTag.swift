import NIOCore

/// "TagType UB[5]: Type of contents in this tag. The following types are defined: 8 = audio, 9 = video,
/// 18 = script data" (FLV spec v10.1, E.4.1). The same numbers are the RTMP message type ids of audio, video and
/// AMF0 data messages.
public enum FLVTagType: UInt8, Sendable {
    case audio = 8
    case video = 9
    case scriptData = 18
}

/// One FLV tag (FLV spec v10.1, E.4.1 FLVTAG).
///
/// | Field | Type | |
/// |---|---|---|
/// | Reserved | UB[2] | "Reserved for FMS, should be 0" |
/// | Filter | UB[1] | "1 = Pre-processing (such as decryption) of the packet is required before it can be rendered" |
/// | TagType | UB[5] | 8, 9 or 18 |
/// | DataSize | UI24 | "Number of bytes after StreamID to end of tag (Equal to length of the tag – 11)" |
/// | Timestamp | UI24 | "Time in milliseconds at which the data in this tag applies" |
/// | TimestampExtended | UI8 | "the upper 8 bits, while the previous Timestamp field represents the lower 24 bits" |
/// | StreamID | UI24 | "Always 0." |
public struct FLVTag: Sendable, Equatable {
    public var type: FLVTagType
    /// Milliseconds: the 24-bit Timestamp with TimestampExtended as the upper 8 bits.
    public var timestamp: UInt32
    public var streamID: UInt32
    /// The tag body (audio/video tag header + codec data, or script data). A slice of the reader's input: no copy.
    public var data: ByteBuffer
    /// The byte offset of the tag header in the source (0 for tags not read from a source).
    public var offset: Int64

    /// The size of the tag header that precedes `data`.
    public static let headerSize = 11

    public init(type: FLVTagType, timestamp: UInt32, streamID: UInt32 = 0, data: ByteBuffer, offset: Int64 = 0) {
        self.type = type
        self.timestamp = timestamp
        self.streamID = streamID
        self.data = data
        self.offset = offset
    }
}
