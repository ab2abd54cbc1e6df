import MediaCore
import NIOCore
import Remux

/// Which FLV input codec an RTMS stream's media parameters stand for.
public enum RTMSFLVCodecs {
    /// The audio codec the confirmed `media_params.audio` describe. Missing fields take the protocol's defaults
    /// (notes: "Defaults of the protocol: L16, 16 kHz, mono, mixed."). G.711 is taken as mu-law: the reference
    /// does not say which law, and mu-law is what RTP payload type 0 (PCMU) carries. Throws `.malformedInput`
    /// for a codec that is not audio (or unknown).
    public static func audio(_ parameters: RTMSAudioParameters?) throws -> RTMSAudioCodec {
        let channels = parameters?.channel == .stereo ? 2 : 1
        switch parameters?.codec ?? .l16 {
        case .l16, .undefined:
            let rates: [RTMSAudioSampleRate: Int] = [.hz8000: 8000, .hz16000: 16000, .hz32000: 32000, .hz48000: 48000]
            let code = parameters?.sampleRate ?? .hz16000
            guard let rate = rates[code] else {
                throw MediaError(.malformedInput, "audio sample_rate \(code.rawValue) is not an RTMS rate (0-3)")
            }
            return .l16(sampleRate: rate, channels: channels)
        case .g711: return .g711mu
        case .g722: return .g722
        case .opus: return .opus(channels: channels)
        case let other:
            throw MediaError(.malformedInput, "audio codec \(other) is not an audio codec")
        }
    }

    /// The video codec from `media_params.video`/`deskshare`; without one, recognised from the first payload
    /// (JPEG and PNG by their signatures, anything else taken as H.264 Annex B). nil when neither says.
    public static func video(_ parameters: RTMSVideoParameters?, firstPayload: ByteBuffer?) throws -> RTMSVideoCodec? {
        switch parameters?.codec {
        case .jpg?: return .jpeg
        case .png?: return .png
        case .h264?: return .h264
        case nil, .undefined?:
            guard let payload = firstPayload else { return nil }
            return sniff(payload)
        case let other?:
            throw MediaError(.malformedInput, "video codec \(other) is not a video codec")
        }
    }

    /// JPEG: "SOI marker FF D8"; PNG: the 8-byte signature 89 50 4E 47 0D 0A 1A 0A; else H.264.
    static func sniff(_ payload: ByteBuffer) -> RTMSVideoCodec {
        let head = payload.getBytes(at: payload.readerIndex, length: min(4, payload.readableBytes)) ?? []
        if head.starts(with: [0xFF, 0xD8]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        return .h264
    }

    /// The name the summary and the JSON use.
    public static func name(_ codec: RTMSAudioCodec) -> String {
        switch codec {
        case .l16(let rate, let channels): "l16/\(rate)/\(channels)"
        case .g711mu: "g711_mulaw"
        case .g711a: "g711_alaw"
        case .g722: "g722"
        case .opus(let channels): "opus/\(channels)"
        }
    }

    public static func name(_ codec: RTMSVideoCodec) -> String {
        switch codec {
        case .h264: "h264"
        case .jpeg: "jpg"
        case .png: "png"
        }
    }
}
