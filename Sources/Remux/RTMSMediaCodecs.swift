/// The audio of one RTMS stream, as the media handshake and the recording describe it.
public enum RTMSAudioCodec: Sendable, Hashable {
    /// Signed 16-bit little-endian PCM; RTMS sends 8, 16, 32 or 48 kHz, mono or stereo.
    case l16(sampleRate: Int, channels: Int)
    /// G.711 mu-law, 8 kHz mono.
    case g711mu
    /// G.711 A-law, 8 kHz mono.
    case g711a
    /// G.722 (ADPCM, 16 kHz audio), mono.
    case g722
    /// One Opus packet per message; Opus always decodes at 48 kHz.
    case opus(channels: Int)

    /// Sample rate of the decoded audio, which is also the AAC sample rate.
    var pcmSampleRate: Int {
        switch self {
        case .l16(let sampleRate, _): sampleRate
        case .g711mu, .g711a: 8000
        case .g722: 16000
        case .opus: 48000
        }
    }

    var pcmChannels: Int {
        switch self {
        case .l16(_, let channels): channels
        case .g711mu, .g711a, .g722: 1
        case .opus(let channels): channels
        }
    }
}

/// The video of one RTMS stream (camera or screen share: FLV holds one).
public enum RTMSVideoCodec: Sendable, Hashable {
    /// H.264 Annex B; a message is any chunk of the byte stream, not necessarily one access unit.
    case h264
    /// One whole JPEG picture per message.
    case jpeg
    /// One whole PNG picture per message.
    case png
}
