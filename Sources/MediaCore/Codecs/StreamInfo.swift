/// What a stream carries, as a `StreamAnalyzer` has seen it so far.
public struct StreamInfo: Sendable, Equatable {
    public var video: VideoInfo?
    public var audio: AudioInfo?
    /// The last onMetaData seen, as sent.
    public var metadata: AMF0Object?
    /// The first audio/video tag timestamp observed, and the highest (milliseconds).
    public var firstTimestamp: UInt32?
    public var lastTimestamp: UInt32?
    /// See `StreamAnalyzer.hasCodecs`.
    public var hasCodecs: Bool

    /// (lastTimestamp − firstTimestamp) in seconds.
    public var durationSeconds: Double? {
        guard let firstTimestamp, let lastTimestamp, lastTimestamp >= firstTimestamp else { return nil }
        return Double(lastTimestamp - firstTimestamp) / 1000
    }

    public init(
        video: VideoInfo? = nil, audio: AudioInfo? = nil, metadata: AMF0Object? = nil, firstTimestamp: UInt32? = nil,
        lastTimestamp: UInt32? = nil, hasCodecs: Bool = false
    ) {
        self.video = video
        self.audio = audio
        self.metadata = metadata
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.hasCodecs = hasCodecs
    }
}

public struct VideoInfo: Sendable, Equatable {
    /// `VideoCodec.name` ("h264", "hevc", "av1", ...), or "unknown" when only announced without a known codec id.
    public var codec: String
    public var codecID: VideoCodec?
    /// "High", "Main 10", ... from the decoder configuration (AVC and HEVC only).
    public var profile: String?
    /// 3.1 for H.264 level_idc 31 or H.265 general_level_idc 93.
    public var level: Double?
    /// From the sequence header's SPS when parsed, else from onMetaData.
    public var width: Int?
    public var height: Int?
    /// onMetaData `framerate`, else the SPS VUI timing (H.264) or hvcC avgFrameRate (H.265), else measured.
    public var frameRate: Double?
    /// (frames − 1) ÷ the span of coded frame timestamps, once there are two frames with distinct timestamps.
    public var measuredFrameRate: Double?
    public var keyframes: Int
    public var firstKeyframeTimestamp: UInt32?
    /// The median distance between consecutive keyframes, in seconds.
    public var keyframeInterval: Double?
    /// Coded frame tags (sequence headers, metadata and command frames are not frames).
    public var frames: Int
    /// Bytes of all video tag bodies, headers included.
    public var bytes: Int64
    public var hasSequenceHeader: Bool

    public init(codec: String) {
        self.codec = codec
        self.keyframes = 0
        self.frames = 0
        self.bytes = 0
        self.hasSequenceHeader = false
    }
}

public struct AudioInfo: Sendable, Equatable {
    /// `AudioCodec.name` ("aac", "mp3", "opus", ...), or "unknown" when only announced.
    public var codec: String
    public var codecID: AudioCodec?
    /// "AAC LC", "HE-AAC", ... from the AudioSpecificConfig.
    public var objectType: String?
    /// The rate a decoder outputs: AudioSpecificConfig (SBR rate for HE-AAC), OpusHead (48000), the fixed rate of
    /// Speex and Nellymoser 8/16 kHz, the legacy SoundRate flag of other legacy codecs, else onMetaData.
    public var sampleRate: Int?
    public var channels: Int?
    /// Bits per sample: the legacy SoundSize flag, else onMetaData `audiosamplesize`.
    public var sampleSize: Int?
    public var frames: Int
    public var bytes: Int64
    public var hasSequenceHeader: Bool

    public init(codec: String) {
        self.codec = codec
        self.frames = 0
        self.bytes = 0
        self.hasSequenceHeader = false
    }
}
