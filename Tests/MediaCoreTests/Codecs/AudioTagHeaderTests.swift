import NIOCore
import Testing

@testable import MediaCore

struct AudioHeaderCase: Sendable, CustomTestStringConvertible {
    let name: String
    let hex: String
    let codec: AudioCodec
    let rate: Int?
    let size: Int?
    let channels: Int?
    let packetType: AudioPacketType
    let headerSize: Int
    var trackID: UInt8? = nil
    var testDescription: String { name }
}

@Suite struct AudioTagHeaderTests {
    static let cases: [AudioHeaderCase] = [
        .init(
            name: "AAC sequence header (ffmpeg)", hex: "AF 00 1208 56E500", codec: .aac, rate: 44100, size: 16,
            channels: 2, packetType: .sequenceStart, headerSize: 2),
        .init(
            name: "AAC raw", hex: "AF 01 DE02", codec: .aac, rate: 44100, size: 16, channels: 2,
            packetType: .codedFrames, headerSize: 2),
        .init(
            name: "MP3 44 kHz 16-bit stereo", hex: "2F FFFB", codec: .mp3, rate: 44100, size: 16, channels: 2,
            packetType: .codedFrames, headerSize: 1),
        .init(
            name: "MP3 5.5 kHz 8-bit mono", hex: "20", codec: .mp3, rate: 5512, size: 8, channels: 1,
            packetType: .codedFrames, headerSize: 1),
        .init(
            name: "PCM little endian 22 kHz", hex: "3A 0000", codec: .pcmLittleEndian, rate: 22050, size: 16,
            channels: 1, packetType: .codedFrames, headerSize: 1),
        .init(
            name: "Nellymoser 11 kHz", hex: "66 00", codec: .nellymoser, rate: 11025, size: 16, channels: 1,
            packetType: .codedFrames, headerSize: 1),
        .init(
            name: "G.711 A-law", hex: "72 00", codec: .g711ALaw, rate: 5512, size: 16, channels: 1,
            packetType: .codedFrames, headerSize: 1),
        .init(
            name: "G.711 mu-law", hex: "82 00", codec: .g711MuLaw, rate: 5512, size: 16, channels: 1,
            packetType: .codedFrames, headerSize: 1),
        .init(
            name: "Speex", hex: "B6 00", codec: .speex, rate: 11025, size: 16, channels: 1, packetType: .codedFrames,
            headerSize: 1),
        .init(
            name: "E-RTMP Opus SequenceStart", hex: "90 4F707573 4F707573", codec: .fourCC("Opus"), rate: nil,
            size: nil, channels: nil, packetType: .sequenceStart, headerSize: 5),
        .init(
            name: "E-RTMP mp4a CodedFrames", hex: "91 6D703461 21", codec: .fourCC("mp4a"), rate: nil, size: nil,
            channels: nil, packetType: .codedFrames, headerSize: 5),
        .init(
            name: "E-RTMP fLaC SequenceEnd", hex: "92 664C6143", codec: .fourCC("fLaC"), rate: nil, size: nil,
            channels: nil, packetType: .sequenceEnd, headerSize: 5),
        .init(
            name: "E-RTMP ac-3 MultichannelConfig", hex: "94 61632D33 01 06 0000003F", codec: .fourCC("ac-3"),
            rate: nil, size: nil, channels: 6, packetType: .multichannelConfig, headerSize: 5),
        .init(
            name: "E-RTMP multitrack OneTrack .mp3", hex: "95 01 2E6D7033 00 FFFB", codec: .fourCC(".mp3"),
            rate: nil, size: nil, channels: nil, packetType: .codedFrames, headerSize: 7, trackID: 0),
        .init(
            name: "E-RTMP multitrack ManyTracksManyCodecs", hex: "95 21 65632D33 03 000002 0B77",
            codec: .fourCC("ec-3"), rate: nil, size: nil, channels: nil, packetType: .codedFrames, headerSize: 10,
            trackID: 3),
        .init(
            name: "E-RTMP ModEx then Opus CodedFrames", hex: "97 02 0003E8 01 4F707573 FC", codec: .fourCC("Opus"),
            rate: nil, size: nil, channels: nil, packetType: .codedFrames, headerSize: 10),
    ]

    @Test(arguments: cases)
    func parses(_ c: AudioHeaderCase) throws {
        let header = try AudioTagHeader.parse(AMFFLVHex.buffer(c.hex))
        #expect(header.codec == c.codec)
        #expect(header.legacySampleRate == c.rate)
        #expect(header.sampleSizeBits == c.size)
        #expect(header.channels == c.channels)
        #expect(header.packetType == c.packetType)
        #expect(header.headerSize == c.headerSize)
        #expect(header.isEnhanced == (c.rate == nil))
        #expect(header.trackID == c.trackID)
    }

    @Test(arguments: cases)
    func truncatedHeadersThrow(_ c: AudioHeaderCase) {
        let bytes = AMFFLVHex.bytes(c.hex)
        for cut in 0..<c.headerSize {
            #expect(throws: MediaError.self, "cut at \(cut)") {
                try AudioTagHeader.parse(ByteBuffer(bytes: bytes[..<cut]))
            }
        }
    }

    @Test func modExNanoOffset() throws {
        let header = try AudioTagHeader.parse(AMFFLVHex.buffer("97 02 0003E8 01 4F707573 FC"))
        #expect(header.timestampNanoOffset == 1000)
    }

    @Test(arguments: ["C0", "D0"])
    func reservedSoundFormatsThrow(_ hex: String) {
        #expect(throws: MediaError.self) { try AudioTagHeader.parse(AMFFLVHex.buffer(hex)) }
    }

    @Test(arguments: [
        (AudioCodec.aac, "aac"), (.fourCC("mp4a"), "aac"), (.mp3, "mp3"), (.fourCC(".mp3"), "mp3"),
        (.pcmLittleEndian, "pcm_s16le"), (.fourCC("Opus"), "opus"), (.fourCC("fLaC"), "flac"),
        (.fourCC("ac-3"), "ac3"), (.fourCC("ec-3"), "eac3"), (.speex, "speex"), (.g711ALaw, "g711_alaw"),
        (.g711MuLaw, "g711_mulaw"), (.nellymoser, "nellymoser"), (.nellymoser8kMono, "nellymoser"),
    ])
    func codecNames(_ codec: AudioCodec, _ name: String) {
        #expect(codec.name == name)
    }
}
