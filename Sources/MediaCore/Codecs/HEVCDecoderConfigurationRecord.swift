import NIOCore

/// The HEVC sequence header: ISO/IEC 14496-15 8.3.3.1 HEVCDecoderConfigurationRecord ("hvcC"), the codec data of
/// a SequenceStart tag with FourCC hvc1 (or legacy CodecID 12).
///
/// ```
/// unsigned int(8) configurationVersion = 1;
/// unsigned int(2) general_profile_space; unsigned int(1) general_tier_flag; unsigned int(5) general_profile_idc;
/// unsigned int(32) general_profile_compatibility_flags; unsigned int(48) general_constraint_indicator_flags;
/// unsigned int(8) general_level_idc;
/// bit(4) reserved = '1111'b; unsigned int(12) min_spatial_segmentation_idc;
/// bit(6) reserved = '111111'b; unsigned int(2) parallelismType;
/// bit(6) reserved = '111111'b; unsigned int(2) chromaFormat;
/// bit(5) reserved = '11111'b; unsigned int(3) bitDepthLumaMinus8;
/// bit(5) reserved = '11111'b; unsigned int(3) bitDepthChromaMinus8;
/// bit(16) avgFrameRate; bit(2) constantFrameRate; bit(3) numTemporalLayers; bit(1) temporalIdNested;
/// unsigned int(2) lengthSizeMinusOne;
/// unsigned int(8) numOfArrays;
///   { bit(1) array_completeness; unsigned int(1) reserved = 0; unsigned int(6) NAL_unit_type;
///     unsigned int(16) numNalus; { unsigned int(16) nalUnitLength; bit(8*nalUnitLength) nalUnit; } }
/// ```
public struct HEVCDecoderConfigurationRecord: Sendable, Equatable {
    public struct NALArray: Sendable, Equatable {
        public var completeness: Bool
        /// 32 VPS, 33 SPS, 34 PPS, 39/40 SEI.
        public var nalUnitType: UInt8
        public var nalUnits: [ByteBuffer]
    }

    public var configurationVersion: UInt8
    public var generalProfileSpace: UInt8
    /// general_tier_flag: false Main tier, true High tier.
    public var highTier: Bool
    public var generalProfileIDC: UInt8
    public var generalProfileCompatibilityFlags: UInt32
    public var generalLevelIDC: UInt8
    /// 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4.
    public var chromaFormat: UInt8
    public var bitDepthLuma: Int
    public var bitDepthChroma: Int
    /// "avgFrameRate gives the average frame rate in units of frames/(256 seconds)"; 0 is unspecified.
    public var averageFrameRate: UInt16
    public var nalUnitLengthSize: Int
    public var arrays: [NALArray]
    /// Picture size from the first SPS (after the conformance window), when it could be parsed.
    public var width: Int?
    public var height: Int?
    public var spsError: String?

    /// "general_level_idc ... a value equal to 30 times the level number": 93 is 3.1.
    public var level: Double { Double(generalLevelIDC) / 30 }
    public var tierName: String { highTier ? "High" : "Main" }
    public var frameRate: Double? { averageFrameRate == 0 ? nil : Double(averageFrameRate) / 256 }

    /// Annex A profile names: "Main", "Main 10", "Main Still Picture", "Rext", ... (ffmpeg's spelling).
    public var profileName: String {
        var idc = generalProfileIDC
        if idc == 0 {
            // "general_profile_compatibility_flag[j] equal to 1 ... indicates that the CVS conforms to the profile
            // indicated by general_profile_idc equal to j": take the lowest flagged profile.
            let flags = generalProfileCompatibilityFlags
            idc = (1...31).first { flags & (UInt32(1) << (31 - UInt32($0))) != 0 }.map(UInt8.init) ?? 0
        }
        switch idc {
        case 1: return "Main"
        case 2: return "Main 10"
        case 3: return "Main Still Picture"
        case 4: return "Rext"
        case 5: return "High Throughput 4:4:4"
        case 6: return "Multiview Main"
        case 7: return "Scalable Main"
        case 8: return "3D Main"
        case 9: return "Screen Extended"
        case 10: return "Scalable Format Range Extensions"
        case 11: return "High Throughput Screen Extended"
        default: return "profile \(idc)"
        }
    }

    public func nalUnits(ofType type: UInt8) -> [ByteBuffer] {
        arrays.filter { $0.nalUnitType == type }.flatMap(\.nalUnits)
    }

    public static func parse(_ payload: ByteBuffer) throws -> HEVCDecoderConfigurationRecord {
        var buffer = payload
        let start = buffer.readerIndex
        func fail(_ what: String) -> MediaError {
            MediaError(.malformedInput, "HEVCDecoderConfigurationRecord: \(what) at byte \(buffer.readerIndex - start)")
        }
        guard buffer.readableBytes >= 23 else { throw fail("truncated: \(buffer.readableBytes) of 23 header bytes") }
        let version = buffer.readInteger(as: UInt8.self)!
        guard version == 1 else { throw fail("configurationVersion \(version), expected 1") }
        let profileByte = buffer.readInteger(as: UInt8.self)!
        let compatibility = buffer.readInteger(as: UInt32.self)!
        buffer.moveReaderIndex(forwardBy: 6)  // general_constraint_indicator_flags
        let levelIDC = buffer.readInteger(as: UInt8.self)!
        buffer.moveReaderIndex(forwardBy: 2 + 1)  // min_spatial_segmentation_idc, parallelismType
        let chroma = buffer.readInteger(as: UInt8.self)! & 0x03
        let depthLuma = Int(buffer.readInteger(as: UInt8.self)! & 0x07) + 8
        let depthChroma = Int(buffer.readInteger(as: UInt8.self)! & 0x07) + 8
        let avgFrameRate = buffer.readInteger(as: UInt16.self)!
        let lengthSize = Int(buffer.readInteger(as: UInt8.self)! & 0x03) + 1
        guard lengthSize != 3 else { throw fail("lengthSizeMinusOne 2 (only 1, 2 or 4 byte lengths exist)") }
        let arrayCount = buffer.readInteger(as: UInt8.self)!
        var arrays: [NALArray] = []
        for _ in 0..<arrayCount {
            guard buffer.readableBytes >= 3 else { throw fail("truncated NAL array header") }
            let typeByte = buffer.readInteger(as: UInt8.self)!
            let count = Int(buffer.readInteger(as: UInt16.self)!)
            // Each NAL unit takes at least its 2-byte length: check before reserving.
            guard count * 2 <= buffer.readableBytes else {
                throw fail("NAL array claims \(count) units but only \(buffer.readableBytes) bytes remain")
            }
            var units: [ByteBuffer] = []
            units.reserveCapacity(count)
            for _ in 0..<count {
                guard let length = buffer.readInteger(as: UInt16.self) else { throw fail("truncated NAL unit length") }
                guard let unit = buffer.readSlice(length: Int(length)) else {
                    throw fail("truncated NAL unit: needs \(length) bytes, \(buffer.readableBytes) remain")
                }
                units.append(unit)
            }
            arrays.append(NALArray(completeness: typeByte & 0x80 != 0, nalUnitType: typeByte & 0x3F, nalUnits: units))
        }
        var record = HEVCDecoderConfigurationRecord(
            configurationVersion: version, generalProfileSpace: profileByte >> 6, highTier: profileByte & 0x20 != 0,
            generalProfileIDC: profileByte & 0x1F, generalProfileCompatibilityFlags: compatibility,
            generalLevelIDC: levelIDC, chromaFormat: chroma, bitDepthLuma: depthLuma, bitDepthChroma: depthChroma,
            averageFrameRate: avgFrameRate, nalUnitLengthSize: lengthSize, arrays: arrays, width: nil, height: nil,
            spsError: nil)
        if let sps = record.nalUnits(ofType: 33).first {
            do {
                (record.width, record.height) = try pictureSize(sps: sps)
            } catch let error as MediaError {
                record.spsError = error.message
            }
        }
        return record
    }

    /// H.265 7.3.2.2.1 seq_parameter_set_rbsp() up to the conformance window.
    static func pictureSize(sps: ByteBuffer) throws -> (Int, Int) {
        var r = BitReader(nalUnit: sps, context: "H.265 SPS")
        let nalHeader = try r.bits(16)
        guard (nalHeader >> 9) & 0x3F == 33 else {
            throw MediaError(.malformedInput, "H.265 SPS: NAL unit type is \((nalHeader >> 9) & 0x3F), not 33")
        }
        try r.skip(4)  // sps_video_parameter_set_id
        let maxSubLayersMinus1 = Int(try r.bits(3))
        try r.skip(1)  // sps_temporal_id_nesting_flag
        // profile_tier_level(1, sps_max_sub_layers_minus1): the general part is 88 bits + general_level_idc.
        try r.skip(88 + 8)
        var subLayerProfilePresent: [Bool] = []
        var subLayerLevelPresent: [Bool] = []
        for _ in 0..<maxSubLayersMinus1 {
            subLayerProfilePresent.append(try r.bit())
            subLayerLevelPresent.append(try r.bit())
        }
        if maxSubLayersMinus1 > 0 {
            try r.skip(2 * (8 - maxSubLayersMinus1))  // reserved_zero_2bits
        }
        for i in 0..<maxSubLayersMinus1 {
            if subLayerProfilePresent[i] { try r.skip(88) }
            if subLayerLevelPresent[i] { try r.skip(8) }
        }
        _ = try r.ue()  // sps_seq_parameter_set_id
        let chromaFormatIDC = try r.ue()
        guard chromaFormatIDC <= 3 else {
            throw MediaError(.malformedInput, "H.265 SPS: chroma_format_idc \(chromaFormatIDC) is over 3")
        }
        var separateColourPlane = false
        if chromaFormatIDC == 3 { separateColourPlane = try r.bit() }
        var width = Int(try r.ue())
        var height = Int(try r.ue())
        if try r.bit() {  // conformance_window_flag
            let left = Int(try r.ue()), right = Int(try r.ue()), top = Int(try r.ue()), bottom = Int(try r.ue())
            // Table 6-1: SubWidthC/SubHeightC; "ChromaArrayType ... equal to 0" (monochrome or separate planes) is 1.
            let chromaArrayType = separateColourPlane ? 0 : chromaFormatIDC
            let subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1
            let subHeightC = chromaArrayType == 1 ? 2 : 1
            width -= subWidthC * (left + right)
            height -= subHeightC * (top + bottom)
        }
        guard width > 0, height > 0 else {
            throw MediaError(.malformedInput, "H.265 SPS: the conformance window leaves no picture")
        }
        return (width, height)
    }
}
