import NIOCore

/// One tag on its way from a source to a server: what the queue, the pacer and the encoder need to know.
public struct MediaItem: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case audio
        case video
        case data
    }

    public var kind: Kind
    /// Output time in milliseconds since the start of the publish, never decreasing, not wrapped
    /// (the RTMP timestamp is its low 32 bits).
    public var time: Int64
    public var payload: ByteBuffer
    /// A video keyframe (or a sequence header / config, which must never be dropped either).
    public var isKeyframe: Bool
    /// AVC/HEVC/AAC/E-RTMP sequence start: configuration a decoder needs before frames.
    public var isSequenceHeader: Bool

    public init(kind: Kind, time: Int64, payload: ByteBuffer, isKeyframe: Bool = false, isSequenceHeader: Bool = false) {
        self.kind = kind
        self.time = time
        self.payload = payload
        self.isKeyframe = isKeyframe
        self.isSequenceHeader = isSequenceHeader
    }

    /// Audio, data, keyframes and sequence headers are never dropped; other video frames may be.
    public var isDroppable: Bool { kind == .video && !isKeyframe && !isSequenceHeader }

    public var flvType: FLVTagType {
        switch kind {
        case .audio: return .audio
        case .video: return .video
        case .data: return .scriptData
        }
    }

    /// Classifies an FLV tag: keyframes and sequence headers from the video and audio tag headers (legacy
    /// and Enhanced RTMP).
    public init(tag: FLVTag, time: Int64) {
        switch tag.type {
        case .audio:
            let header = try? AudioTagHeader.parse(tag.data)
            self.init(kind: .audio, time: time, payload: tag.data, isSequenceHeader: header?.packetType == .sequenceStart)
        case .video:
            let header = try? VideoTagHeader.parse(tag.data)
            self.init(
                kind: .video, time: time, payload: tag.data, isKeyframe: header?.isKeyframe ?? false,
                isSequenceHeader: header?.packetType == .sequenceStart)
        case .scriptData:
            self.init(kind: .data, time: time, payload: tag.data)
        }
    }
}
