import NIOCore

/// Where the FLV bytes go.
public enum FLVOutput: Sendable {
    /// A file, created or truncated. Seekable, so the trailer fills in duration and file size.
    case file(String)
    /// Standard output (not seekable: no duration in the header).
    case standardOutput
    /// Every chunk of FLV bytes as it is written (at least once per media packet), e.g. for an RTMP pusher that
    /// reads the FLV tags back. An error thrown here stops the remuxer and comes back from the call that wrote.
    case sink(@Sendable (ByteBuffer) throws -> Void)
}

/// How much libav itself prints on stderr. Applies to the whole process (libav has one log level).
public enum LibavLogLevel: Sendable {
    case quiet, error, warning, info

    var rawValue: Int32 {
        switch self {
        case .quiet: -8  // AV_LOG_QUIET
        case .error: 16  // AV_LOG_ERROR
        case .warning: 24  // AV_LOG_WARNING
        case .info: 32  // AV_LOG_INFO
        }
    }
}

public struct FLVRemuxConfiguration: Sendable {
    public var output: FLVOutput
    /// RTMS Unix-ms timestamp that becomes 0 in the FLV; nil: the first timestamp appended (audio or video).
    public var sessionStartMs: Int64? = nil
    /// AAC bitrate in bit/s (capped at what the encoder allows for the sample rate).
    public var audioBitrate: Int = 96_000
    /// x264 preset for JPG/PNG pictures ("ultrafast", "veryfast", ...).
    public var x264Preset: String = "veryfast"
    /// x264 target bitrate in bit/s; nil: constant quality `videoCRF`.
    public var videoBitrate: Int? = nil
    public var videoCRF: Int = 23
    /// A keyframe at least this often (ms of media time) when encoding JPG/PNG pictures.
    public var keyframeIntervalMs: Int = 2_000
    /// Audio gaps longer than this are filled with silence.
    public var gapFillThresholdMs: Int = 100
    /// How far into the session (ms of media time) a declared stream may stay without its first usable unit
    /// (an H.264 keyframe, a decodable picture, any audio) before the FLV is written without it.
    public var streamWaitMs: Int = 5_000
    public var libavLogLevel: LibavLogLevel = .error
    /// Segments of audio encoded to AAC at the same time (`SegmentedAACEncoder`); 1: one encoder, packets as soon
    /// as each frame is full. nil: one per core (at most 8) for a file or stdout when the bitrate is at least 4 bits
    /// per sample and channel (see `FLVRemuxer.audioEncoderThreads`), else 1. Always 1 for a sink, whatever is set
    /// here (live output wants its packets at once, and real time needs no more than one core).
    public var audioEncoderThreads: Int? = nil
    /// Sees (and may change in place) every block of audio on its way into the AAC encoder, in order: interleaved
    /// signed 16-bit PCM at the encoder's rate and channel count, including inserted silence and the decoded
    /// G.711/G.722/Opus audio. E.g. to mute a participant or mix in other audio. nil: the PCM goes straight in.
    public var pcmFilter: (@Sendable (_ samples: UnsafeMutableBufferPointer<Int16>, _ sampleRate: Int, _ channels: Int) -> Void)? = nil

    public init(output: FLVOutput) {
        self.output = output
    }

    /// `"-"` means standard output.
    public init(outputPath: String) {
        self.output = outputPath == "-" ? .standardOutput : .file(outputPath)
    }
}
