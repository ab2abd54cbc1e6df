import NIOCore

/// The AAC sequence header: ISO/IEC 14496-3 1.6.2.1 AudioSpecificConfig, the codec data of an AAC sequence header
/// tag (AACPacketType 0, or SequenceStart with FourCC mp4a).
///
/// ```
/// audioObjectType = GetAudioObjectType();   // 5 bits; 31 escapes to 32 + 6 more bits
/// samplingFrequencyIndex; 4 bits            // 0xf: samplingFrequency in 24 bits
/// channelConfiguration; 4 bits
/// if (audioObjectType == 5 || audioObjectType == 29) { extensionSamplingFrequencyIndex (4 or 4 + 24 bits);
///     audioObjectType = GetAudioObjectType(); ... }
/// ```
public struct AudioSpecificConfig: Sendable, Equatable {
    /// The object type as signalled first: 5 (SBR) or 29 (PS) for explicitly signalled HE-AAC and HE-AACv2.
    public var audioObjectType: Int
    /// The core object type under SBR/PS (2 for HE-AAC over AAC LC); equal to `audioObjectType` otherwise.
    public var coreObjectType: Int
    public var samplingFrequencyIndex: Int
    /// The core sampling rate.
    public var sampleRate: Int
    /// The SBR output rate, when SBR is signalled (explicitly, or by the backward-compatible sync extension).
    public var extensionSampleRate: Int?
    public var channelConfiguration: Int
    /// Whether parametric stereo is signalled (object type 29).
    public var hasPS: Bool

    /// "Table 1.16 – Sampling Frequency Index": indexes 0...12 (13 and 14 are reserved).
    public static let samplingFrequencies = [
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
    ]

    /// Channels from channelConfiguration (Table 1.19): 1...6 as is, 7 is 7.1 (8 channels), 11 is 6.1 (7),
    /// 12 is 7.1 (8), 13 is 22.2 (24), 14 is 7.1 (8); 0 ("defined in AOT related SpecificConfig") is nil.
    public var channels: Int? {
        switch channelConfiguration {
        case 1...6: return channelConfiguration
        case 7, 12, 14: return 8
        case 11: return 7
        case 13: return 24
        default: return nil
        }
    }

    /// The rate a decoder outputs: the SBR rate when SBR is present, else the core rate.
    public var outputSampleRate: Int { extensionSampleRate ?? sampleRate }

    /// "AAC LC", "HE-AAC", "HE-AACv2", "AAC Main", ... (Table 1.17 names).
    public var objectTypeName: String {
        if hasPS { return "HE-AACv2" }
        if audioObjectType == 5 || (extensionSampleRate != nil && coreObjectType == 2) { return "HE-AAC" }
        return Self.objectTypeName(audioObjectType)
    }

    public static func objectTypeName(_ type: Int) -> String {
        switch type {
        case 1: return "AAC Main"
        case 2: return "AAC LC"
        case 3: return "AAC SSR"
        case 4: return "AAC LTP"
        case 5: return "HE-AAC"
        case 6: return "AAC Scalable"
        case 7: return "TwinVQ"
        case 8: return "CELP"
        case 9: return "HVXC"
        case 17: return "ER AAC LC"
        case 19: return "ER AAC LTP"
        case 20: return "ER AAC Scalable"
        case 21: return "ER TwinVQ"
        case 22: return "ER BSAC"
        case 23: return "AAC LD"
        case 29: return "HE-AACv2"
        case 32: return "MPEG-1 Layer 1"
        case 33: return "MPEG-1 Layer 2"
        case 34: return "MPEG-1 Layer 3"
        case 36: return "ALS"
        case 39: return "AAC ELD"
        case 42: return "USAC"
        default: return "object type \(type)"
        }
    }

    public static func parse(_ payload: ByteBuffer) throws -> AudioSpecificConfig {
        var r = BitReader(bytes: Array(payload.readableBytesView), context: "AudioSpecificConfig")
        let aot = try objectType(&r)
        let (index, rate) = try samplingFrequency(&r)
        let channelConfiguration = Int(try r.bits(4))
        var config = AudioSpecificConfig(
            audioObjectType: aot, coreObjectType: aot, samplingFrequencyIndex: index, sampleRate: rate,
            extensionSampleRate: nil, channelConfiguration: channelConfiguration, hasPS: aot == 29)
        if aot == 5 || aot == 29 {
            config.extensionSampleRate = try samplingFrequency(&r).1
            config.coreObjectType = try objectType(&r)
            return config
        }
        // Backward-compatible SBR/PS signalling: after a GASpecificConfig, "syncExtensionType 11 bits 0x2b7".
        // Only followed for the plain GA object types with a channel configuration (no program config element).
        if [1, 2, 3, 4, 6, 7].contains(aot), channelConfiguration != 0 {
            // GASpecificConfig: frameLengthFlag, dependsOnCoreCoder (+ coreCoderDelay 14), extensionFlag.
            try r.skip(1)
            if try r.bit() { try r.skip(14) }
            let extensionFlag = try r.bit()
            if aot == 6 || aot == 20 { try r.skip(3) }  // layerNr
            if extensionFlag { return config }  // version 2 extension fields: nothing standard follows for these
            if r.bitsLeft >= 16, try r.bits(11) == 0x2B7 {
                let extensionType = try objectType(&r)
                if extensionType == 5, try r.bit() {  // sbrPresentFlag
                    config.extensionSampleRate = try samplingFrequency(&r).1
                    if r.bitsLeft >= 12, try r.bits(11) == 0x548, try r.bit() {  // psPresentFlag
                        config.hasPS = true
                    }
                }
            }
        }
        return config
    }

    /// GetAudioObjectType(): "audioObjectType 5 bits; if (audioObjectType == 31) audioObjectType = 32 +
    /// audioObjectTypeExt (6 bits)".
    private static func objectType(_ r: inout BitReader) throws -> Int {
        let type = Int(try r.bits(5))
        return type == 31 ? 32 + Int(try r.bits(6)) : type
    }

    /// samplingFrequencyIndex (4 bits), or 0xf followed by samplingFrequency (24 bits).
    private static func samplingFrequency(_ r: inout BitReader) throws -> (Int, Int) {
        let index = Int(try r.bits(4))
        if index == 0xF { return (index, Int(try r.bits(24))) }
        guard index < samplingFrequencies.count else {
            throw MediaError(.malformedInput, "AudioSpecificConfig: reserved samplingFrequencyIndex \(index)")
        }
        return (index, samplingFrequencies[index])
    }
}
