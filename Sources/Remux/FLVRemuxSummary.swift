/// What a finished remux wrote.
public struct FLVRemuxSummary: Sendable, Hashable {
    /// From the first to the end of the last packet, in ms.
    public var durationMs: Int64 = 0
    public var hasAudio = false
    public var hasVideo = false
    public var audioPackets = 0
    public var videoPackets = 0
    public var width: Int? = nil
    public var height: Int? = nil
    /// H.264 access units dropped because no keyframe had come yet.
    public var framesDroppedBeforeKeyframe = 0
    /// JPG/PNG pictures of another size, scaled into the first size with black bars.
    public var picturesLetterboxed = 0
    /// Audio messages or pictures the decoder rejected as invalid data (skipped).
    public var undecodableMessages = 0
    /// Messages for a stream that was left out of the FLV (see `notes`).
    public var messagesIgnored = 0
    public var silenceInsertedMs: Int64 = 0
    /// Timestamps that were equal to or before their predecessor (or before the session start) and were moved.
    public var timestampsCorrected = 0
    /// H.264 pictures that arrived after a later picture had been shown (reorder delay raised).
    public var picturesReordered = 0
    public var bytesWritten: Int64 = 0
    /// Decisions worth telling the user, e.g. a stream left out.
    public var notes: [String] = []

    public init() {}
}
