import NIOCore

/// The parts of an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1) that say what a stream is: profile,
/// level, chroma format, bit depth, picture size after cropping, sample aspect ratio and VUI timing.
public struct H264SequenceParameterSet: Sendable, Equatable {
    public var profileIDC: UInt8
    /// constraint_set0_flag ... constraint_set5_flag in the high bits, as on the wire.
    public var constraintFlags: UInt8
    public var levelIDC: UInt8
    /// 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 ("When chroma_format_idc is not present, it shall be inferred to
    /// be equal to 1").
    public var chromaFormatIDC: UInt32
    public var bitDepthLuma: Int
    public var bitDepthChroma: Int
    public var frameMBsOnly: Bool
    /// Width and height in luma samples, after the frame cropping rectangle.
    public var width: Int
    public var height: Int
    /// VUI sample aspect ratio (1:1 when absent or unspecified).
    public var sarWidth: Int
    public var sarHeight: Int
    /// VUI timing: num_units_in_tick and time_scale.
    public var numUnitsInTick: UInt32?
    public var timeScale: UInt32?
    public var fixedFrameRate: Bool

    /// Frames per second from VUI timing: time_scale ÷ (2 × num_units_in_tick) (a frame is two field ticks);
    /// nil without timing information.
    public var frameRate: Double? {
        guard let numUnitsInTick, let timeScale, numUnitsInTick > 0, timeScale > 0 else { return nil }
        return Double(timeScale) / (2 * Double(numUnitsInTick))
    }

    /// Table E-1, aspect_ratio_idc 1...16.
    static let sampleAspectRatios: [(Int, Int)] = [
        (1, 1), (12, 11), (10, 11), (16, 11), (40, 33), (24, 11), (20, 11), (32, 11), (80, 33), (18, 11), (15, 11),
        (64, 33), (160, 99), (4, 3), (3, 2), (2, 1),
    ]

    /// "num_ref_frames_in_pic_order_cnt_cycle shall be in the range of 0 to 255, inclusive."
    static let maxRefFramesInPicOrderCountCycle = 255

    /// Parses a NAL unit (with its one-byte header, nal_unit_type 7) as carried in an AVCDecoderConfigurationRecord.
    public static func parse(nalUnit: ByteBuffer) throws -> H264SequenceParameterSet {
        var r = BitReader(nalUnit: nalUnit, context: "H.264 SPS")
        let nalHeader = try r.bits(8)
        guard nalHeader & 0x1F == 7 else {
            throw MediaError(.malformedInput, "H.264 SPS: NAL unit type is \(nalHeader & 0x1F), not 7")
        }
        let profileIDC = UInt8(try r.bits(8))
        let constraintFlags = UInt8(try r.bits(8))
        let levelIDC = UInt8(try r.bits(8))
        _ = try r.ue()  // seq_parameter_set_id

        var chromaFormatIDC: UInt32 = 1
        var separateColourPlane = false
        var bitDepthLuma = 8
        var bitDepthChroma = 8
        if [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].contains(profileIDC) {
            chromaFormatIDC = try r.ue()
            guard chromaFormatIDC <= 3 else {
                throw MediaError(.malformedInput, "H.264 SPS: chroma_format_idc \(chromaFormatIDC) is over 3")
            }
            if chromaFormatIDC == 3 { separateColourPlane = try r.bit() }
            bitDepthLuma = Int(try r.ue()) + 8
            bitDepthChroma = Int(try r.ue()) + 8
            guard bitDepthLuma <= 14, bitDepthChroma <= 14 else {
                throw MediaError(.malformedInput, "H.264 SPS: bit depth over 14")
            }
            _ = try r.bit()  // qpprime_y_zero_transform_bypass_flag
            if try r.bit() {  // seq_scaling_matrix_present_flag
                for i in 0..<(chromaFormatIDC != 3 ? 8 : 12) {
                    if try r.bit() {  // seq_scaling_list_present_flag[i]
                        try skipScalingList(&r, size: i < 6 ? 16 : 64)
                    }
                }
            }
        }
        _ = try r.ue()  // log2_max_frame_num_minus4
        let picOrderCountType = try r.ue()
        if picOrderCountType == 0 {
            _ = try r.ue()  // log2_max_pic_order_cnt_lsb_minus4
        } else if picOrderCountType == 1 {
            _ = try r.bit()  // delta_pic_order_always_zero_flag
            _ = try r.se()  // offset_for_non_ref_pic
            _ = try r.se()  // offset_for_top_to_bottom_field
            let cycle = try r.ue()
            guard cycle <= maxRefFramesInPicOrderCountCycle else {
                throw MediaError(
                    .malformedInput, "H.264 SPS: num_ref_frames_in_pic_order_cnt_cycle \(cycle) is over 255")
            }
            for _ in 0..<cycle { _ = try r.se() }
        }
        _ = try r.ue()  // max_num_ref_frames
        _ = try r.bit()  // gaps_in_frame_num_value_allowed_flag
        let widthInMBs = Int(try r.ue()) + 1
        let heightInMapUnits = Int(try r.ue()) + 1
        let frameMBsOnly = try r.bit()
        if !frameMBsOnly { _ = try r.bit() }  // mb_adaptive_frame_field_flag
        _ = try r.bit()  // direct_8x8_inference_flag
        var crop = (left: 0, right: 0, top: 0, bottom: 0)
        if try r.bit() {  // frame_cropping_flag
            crop = (Int(try r.ue()), Int(try r.ue()), Int(try r.ue()), Int(try r.ue()))
        }
        // 7.4.2.1.1: "If ChromaArrayType is equal to 0, CropUnitX = 1, CropUnitY = 2 − frame_mbs_only_flag;
        // otherwise CropUnitX = SubWidthC, CropUnitY = SubHeightC * (2 − frame_mbs_only_flag)".
        let chromaArrayType = separateColourPlane ? 0 : chromaFormatIDC
        let fieldFactor = frameMBsOnly ? 1 : 2
        let subWidthC = chromaArrayType == 3 ? 1 : 2
        let subHeightC = chromaArrayType == 1 ? 2 : 1
        let cropUnitX = chromaArrayType == 0 ? 1 : subWidthC
        let cropUnitY = chromaArrayType == 0 ? fieldFactor : subHeightC * fieldFactor
        let width = widthInMBs * 16 - (crop.left + crop.right) * cropUnitX
        let height = fieldFactor * heightInMapUnits * 16 - (crop.top + crop.bottom) * cropUnitY
        guard width > 0, height > 0 else {
            throw MediaError(.malformedInput, "H.264 SPS: the cropping rectangle leaves no picture")
        }

        var sps = H264SequenceParameterSet(
            profileIDC: profileIDC, constraintFlags: constraintFlags, levelIDC: levelIDC,
            chromaFormatIDC: chromaFormatIDC, bitDepthLuma: bitDepthLuma, bitDepthChroma: bitDepthChroma,
            frameMBsOnly: frameMBsOnly, width: width, height: height, sarWidth: 1, sarHeight: 1,
            numUnitsInTick: nil, timeScale: nil, fixedFrameRate: false)

        // E.1.1 VUI parameters, up to the timing information.
        guard try r.bit() else { return sps }  // vui_parameters_present_flag
        if try r.bit() {  // aspect_ratio_info_present_flag
            let idc = Int(try r.bits(8))
            if idc == 255 {  // Extended_SAR
                sps.sarWidth = Int(try r.bits(16))
                sps.sarHeight = Int(try r.bits(16))
            } else if (1...16).contains(idc) {
                (sps.sarWidth, sps.sarHeight) = sampleAspectRatios[idc - 1]
            }
        }
        if try r.bit() { _ = try r.bit() }  // overscan_info_present_flag, overscan_appropriate_flag
        if try r.bit() {  // video_signal_type_present_flag
            try r.skip(3 + 1)  // video_format, video_full_range_flag
            if try r.bit() { try r.skip(24) }  // colour_description_present_flag: 3 × u(8)
        }
        if try r.bit() {  // chroma_loc_info_present_flag
            _ = try r.ue()
            _ = try r.ue()
        }
        if try r.bit() {  // timing_info_present_flag
            sps.numUnitsInTick = try r.bits(32)
            sps.timeScale = try r.bits(32)
            sps.fixedFrameRate = try r.bit()
        }
        return sps
    }

    /// 7.3.2.1.1.1 scaling_list(): only read to get past it.
    private static func skipScalingList(_ r: inout BitReader, size: Int) throws {
        var lastScale: Int32 = 8
        var nextScale: Int32 = 8
        for _ in 0..<size {
            if nextScale != 0 {
                let delta = try r.se()
                guard (-128...127).contains(delta) else {
                    throw MediaError(.malformedInput, "H.264 SPS: delta_scale \(delta) outside -128...127")
                }
                nextScale = (lastScale + delta + 256) % 256
            }
            lastScale = nextScale == 0 ? lastScale : nextScale
        }
    }

    /// The profile's name (Annex A), using the constraint flags where they name a sub-profile.
    public var profileName: String {
        H264SequenceParameterSet.profileName(profileIDC: profileIDC, constraintFlags: constraintFlags)
    }

    public static func profileName(profileIDC: UInt8, constraintFlags: UInt8) -> String {
        let set1 = constraintFlags & 0x40 != 0
        let set3 = constraintFlags & 0x10 != 0
        switch profileIDC {
        case 66: return set1 ? "Constrained Baseline" : "Baseline"
        case 77: return "Main"
        case 88: return "Extended"
        case 100: return "High"
        case 110: return set3 ? "High 10 Intra" : "High 10"
        case 122: return set3 ? "High 4:2:2 Intra" : "High 4:2:2"
        case 244: return set3 ? "High 4:4:4 Intra" : "High 4:4:4 Predictive"
        case 44: return "CAVLC 4:4:4 Intra"
        case 83: return "Scalable Baseline"
        case 86: return "Scalable High"
        case 118: return "Multiview High"
        case 128: return "Stereo High"
        case 134: return "MFC High"
        case 138: return "Multiview Depth High"
        default: return "profile \(profileIDC)"
        }
    }

    /// level_idc ÷ 10 (31 is 3.1).
    public static func level(idc: UInt8) -> Double { Double(idc) / 10 }

    /// "3.1", or "1b" for A.3.1's level 1b.
    public static func levelName(idc: UInt8, profileIDC: UInt8, constraintFlags: UInt8) -> String {
        if isLevel1b(idc: idc, profileIDC: profileIDC, constraintFlags: constraintFlags) { return "1b" }
        return idc % 10 == 0 ? "\(idc / 10)" : "\(idc / 10).\(idc % 10)"
    }

    static func isLevel1b(idc: UInt8, profileIDC: UInt8, constraintFlags: UInt8) -> Bool {
        // A.3.1: "level_idc equal to 11 and constraint_set3_flag equal to 1" (Baseline, Main, Extended) or
        // level_idc equal to 9 (High profiles) indicate level 1b.
        idc == 9 || (idc == 11 && constraintFlags & 0x10 != 0 && [66, 77, 88].contains(profileIDC))
    }
}
