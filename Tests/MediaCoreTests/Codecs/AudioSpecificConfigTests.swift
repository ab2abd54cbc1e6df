import NIOCore
import Testing

@testable import MediaCore

struct ASCCase: Sendable, CustomTestStringConvertible {
    let hex: String
    let aot: Int
    let name: String
    let rate: Int
    let outputRate: Int
    let channels: Int?
    var testDescription: String { "\(hex) \(name)" }
}

@Suite struct AudioSpecificConfigTests {
    static let cases: [ASCCase] = [
        // ffmpeg's native AAC encoder: LC + a sync extension saying "no SBR".
        .init(hex: "1208 56E500", aot: 2, name: "AAC LC", rate: 44100, outputRate: 44100, channels: 1),
        .init(hex: "1588 56E500", aot: 2, name: "AAC LC", rate: 8000, outputRate: 8000, channels: 1),
        .init(hex: "1190", aot: 2, name: "AAC LC", rate: 48000, outputRate: 48000, channels: 2),
        .init(hex: "0A10", aot: 1, name: "AAC Main", rate: 44100, outputRate: 44100, channels: 2),
        .init(hex: "13 88", aot: 2, name: "AAC LC", rate: 22050, outputRate: 22050, channels: 1),
        .init(hex: "11B0", aot: 2, name: "AAC LC", rate: 48000, outputRate: 48000, channels: 6),
        .init(hex: "11B8", aot: 2, name: "AAC LC", rate: 48000, outputRate: 48000, channels: 8),
        // Explicit HE-AAC: AOT 5, core 22050 Hz, SBR 44100 Hz, then the core AOT 2.
        .init(hex: "2B9208", aot: 5, name: "HE-AAC", rate: 22050, outputRate: 44100, channels: 2),
        // Explicit HE-AACv2: AOT 29, mono core with parametric stereo.
        .init(hex: "EB8A08", aot: 29, name: "HE-AACv2", rate: 22050, outputRate: 44100, channels: 1),
        // Backward-compatible (implicit) SBR signalling through the 0x2b7 sync extension.
        .init(hex: "139056E5A0", aot: 2, name: "HE-AAC", rate: 22050, outputRate: 44100, channels: 2),
        .init(hex: "138856E5A54880", aot: 2, name: "HE-AACv2", rate: 22050, outputRate: 44100, channels: 1),
        // Escape: AOT 31 + 6 bits (42, USAC).
        .init(hex: "F94640", aot: 42, name: "USAC", rate: 48000, outputRate: 48000, channels: 2),
        // Explicit 24-bit sampling frequency.
        .init(hex: "1780562210", aot: 2, name: "AAC LC", rate: 44100, outputRate: 44100, channels: 2),
        // channelConfiguration 0: defined by a program config element.
        .init(hex: "1200", aot: 2, name: "AAC LC", rate: 44100, outputRate: 44100, channels: nil),
    ]

    @Test(arguments: cases)
    func parses(_ c: ASCCase) throws {
        let config = try AudioSpecificConfig.parse(AMFFLVHex.buffer(c.hex))
        #expect(config.audioObjectType == c.aot)
        #expect(config.objectTypeName == c.name)
        #expect(config.sampleRate == c.rate)
        #expect(config.outputSampleRate == c.outputRate)
        #expect(config.channels == c.channels)
    }

    @Test(arguments: ["", "12", "16 80" /* index 13 reserved */, "F8" /* escape cut */, "178056" /* rate cut */])
    func malformedThrows(_ hex: String) {
        #expect(throws: MediaError.self) { try AudioSpecificConfig.parse(AMFFLVHex.buffer(hex)) }
    }
}
