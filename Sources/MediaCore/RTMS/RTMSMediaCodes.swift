/// `content_type` (notes: "Content type: 0 undefined, 1 RTP, 2 raw audio, 3 raw video, 4 file stream, 5 text.").
public struct RTMSContentType: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let undefined = Self(rawValue: 0)
    public static let rtp = Self(rawValue: 1)
    public static let rawAudio = Self(rawValue: 2)
    public static let rawVideo = Self(rawValue: 3)
    public static let fileStream = Self(rawValue: 4)
    public static let text = Self(rawValue: 5)
    public static let knownNames: [Int: String] = [
        0: "undefined", 1: "rtp", 2: "raw_audio", 3: "raw_video", 4: "file_stream", 5: "text",
    ]
}

/// `codec` (notes: "Codec: 0 undefined, 1 L16, 2 G.711, 3 G.722, 4 Opus, 5 JPG, 6 PNG, 7 H.264 (JPG/PNG only at
/// fps <= 5, H.264 above, max 30)." and "L16 is signed 16-bit little-endian PCM.").
public struct RTMSCodec: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let undefined = Self(rawValue: 0)
    public static let l16 = Self(rawValue: 1)
    public static let g711 = Self(rawValue: 2)
    public static let g722 = Self(rawValue: 3)
    public static let opus = Self(rawValue: 4)
    public static let jpg = Self(rawValue: 5)
    public static let png = Self(rawValue: 6)
    public static let h264 = Self(rawValue: 7)
    public static let knownNames: [Int: String] = [
        0: "undefined", 1: "l16", 2: "g711", 3: "g722", 4: "opus", 5: "jpg", 6: "png", 7: "h264",
    ]
}

/// `sample_rate` (notes: "Audio sample rate: 0 = 8 kHz, 1 = 16 kHz, 2 = 32 kHz, 3 = 48 kHz.").
public struct RTMSAudioSampleRate: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let hz8000 = Self(rawValue: 0)
    public static let hz16000 = Self(rawValue: 1)
    public static let hz32000 = Self(rawValue: 2)
    public static let hz48000 = Self(rawValue: 3)
    public static let knownNames: [Int: String] = [0: "8000", 1: "16000", 2: "32000", 3: "48000"]

    /// Samples per second, nil for an unknown code.
    public var hertz: Int? { [0: 8000, 1: 16000, 2: 32000, 3: 48000][rawValue] }

    /// The code for a rate in Hz, nil if RTMS has none.
    public init?(hertz: Int) {
        guard let code = [8000: 0, 16000: 1, 32000: 2, 48000: 3][hertz] else { return nil }
        self.init(rawValue: code)
    }
}

/// `channel` (notes: "Channel: 1 mono, 2 stereo (stereo with Opus only).").
public struct RTMSAudioChannel: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let mono = Self(rawValue: 1)
    public static let stereo = Self(rawValue: 2)
    public static let knownNames: [Int: String] = [1: "mono", 2: "stereo"]
}

/// `data_opt` (notes: "Data option: 1 audio mixed, 2 audio multi-streams (per participant), 3 video single active
/// speaker, 4 video single individual stream, 5 video mixed gallery view.").
public struct RTMSDataOption: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let audioMixed = Self(rawValue: 1)
    public static let audioMultiStreams = Self(rawValue: 2)
    public static let videoSingleActiveSpeaker = Self(rawValue: 3)
    public static let videoSingleIndividualStream = Self(rawValue: 4)
    public static let videoMixedGalleryView = Self(rawValue: 5)
    public static let knownNames: [Int: String] = [
        1: "audio_mixed", 2: "audio_multi_streams", 3: "video_single_active_speaker",
        4: "video_single_individual_stream", 5: "video_mixed_gallery_view",
    ]
}

/// `resolution` (notes: "Resolution: 1 SD (854x480 or 640x360), 2 HD 1280x720, 3 FHD 1920x1080, 4 QHD 2560x1440.").
public struct RTMSResolution: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let sd = Self(rawValue: 1)
    public static let hd = Self(rawValue: 2)
    public static let fhd = Self(rawValue: 3)
    public static let qhd = Self(rawValue: 4)
    public static let knownNames: [Int: String] = [1: "sd", 2: "hd", 3: "fhd", 4: "qhd"]
}
