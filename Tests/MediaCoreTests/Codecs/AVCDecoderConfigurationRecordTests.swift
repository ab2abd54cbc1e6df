import NIOCore
import Testing

@testable import MediaCore

struct AVCConfigCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// A whole video tag body from ffmpeg 5.1 + libx264 (tag header + AVCDecoderConfigurationRecord).
    let tagHex: String
    let profileName: String
    let levelIDC: UInt8
    let width: Int
    let height: Int
    let frameRate: Double?
    let chromaFormat: UInt32
    let bitDepth: Int
    var testDescription: String { name }
}

/// Writes bits MSB first, with Exp-Golomb codes, to build parameter sets the encoders here do not emit.
struct TestBitWriter {
    var bits: [Bool] = []
    mutating func u(_ count: Int, _ value: UInt64) {
        for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> UInt64(i)) & 1 == 1) }
    }
    mutating func flag(_ b: Bool) { bits.append(b) }
    mutating func ue(_ value: UInt64) {
        let v = value + 1
        let length = 64 - v.leadingZeroBitCount
        u(length - 1, 0)
        u(length, v)
    }
    mutating func se(_ value: Int64) { ue(value > 0 ? UInt64(2 * value - 1) : UInt64(-2 * value)) }
    /// rbsp_trailing_bits, then emulation prevention: a 0x03 after two zero bytes when the next byte is <= 3.
    func nalUnit() -> [UInt8] {
        var padded = bits + [true]
        while padded.count % 8 != 0 { padded.append(false) }
        var rbsp: [UInt8] = []
        for i in stride(from: 0, to: padded.count, by: 8) {
            rbsp.append(padded[i..<i + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) })
        }
        var out: [UInt8] = []
        var zeros = 0
        for byte in rbsp {
            if zeros >= 2 && byte <= 3 {
                out.append(3)
                zeros = 0
            }
            out.append(byte)
            zeros = byte == 0 ? zeros + 1 : 0
        }
        return out
    }
}

@Suite struct AVCDecoderConfigurationRecordTests {
    static let cases: [AVCConfigCase] = [
        .init(
            name: "320x240 High 1.3 25 fps",
            tagHex: "17000000000164000dffe100196764000dacd94141fb011000000300100000030320f142996001000668ebe3cb22c0",
            profileName: "High", levelIDC: 13, width: 320, height: 240, frameRate: 25, chromaFormat: 1, bitDepth: 8),
        .init(
            name: "1920x1080 (cropped from 1088) Constrained Baseline 4.0 29.97 fps",
            tagHex: "17000000000142c028ffe100176742c028da01e0089f97011000003e90000ea600f1832a01000468ce0fc8",
            profileName: "Constrained Baseline", levelIDC: 40, width: 1920, height: 1080, frameRate: 30000.0 / 1001,
            chromaFormat: 1, bitDepth: 8),
        .init(
            name: "320x180 (cropped from 192) Main 1.3 30 fps",
            tagHex: "1700000000014d400dffe10019674d400deca0a0cfcf8088000003000800000301e078a14cb001000568ebe3cb20",
            profileName: "Main", levelIDC: 13, width: 320, height: 180, frameRate: 30, chromaFormat: 1, bitDepth: 8),
        .init(
            name: "176x144 High 4:4:4 Predictive 1.0 15 fps",
            tagHex:
                "170000000001f4000affe1001967f4000a919b28589d8088000003000800000300f078912cb001000868ebe3c44c000440",
            profileName: "High 4:4:4 Predictive", levelIDC: 10, width: 176, height: 144, frameRate: 15,
            chromaFormat: 3, bitDepth: 8),
        .init(
            name: "352x288 High 10 2.1 50 fps",
            tagHex: "1700000000016e0015ffe10019676e0015a6cd9416096c0440000003004000001903c58b658001000668ebe3cb22c0",
            profileName: "High 10", levelIDC: 21, width: 352, height: 288, frameRate: 50, chromaFormat: 1,
            bitDepth: 10),
    ]

    static func record(fromTag hex: String) throws -> AVCDecoderConfigurationRecord {
        var tag = AMFFLVHex.buffer(hex)
        let header = try VideoTagHeader.parse(tag)
        #expect(header.packetType == .sequenceStart)
        tag.moveReaderIndex(forwardBy: header.headerSize)
        return try AVCDecoderConfigurationRecord.parse(tag)
    }

    @Test(arguments: cases)
    func ffmpegSequenceHeaders(_ c: AVCConfigCase) throws {
        let record = try Self.record(fromTag: c.tagHex)
        #expect(record.configurationVersion == 1)
        #expect(record.profileName == c.profileName)
        #expect(record.levelIndication == c.levelIDC)
        #expect(record.level == Double(c.levelIDC) / 10)
        #expect(record.nalUnitLengthSize == 4)
        #expect(record.sps.count == 1)
        #expect(record.pps.count == 1)
        #expect(record.spsError == nil)
        #expect(record.width == c.width)
        #expect(record.height == c.height)
        #expect(record.frameRate == c.frameRate)
        let sps = try #require(record.sequenceParameterSet)
        #expect(sps.chromaFormatIDC == c.chromaFormat)
        #expect(sps.bitDepthLuma == c.bitDepth)
        #expect(sps.profileIDC == record.profile)
    }

    @Test func levelNames() {
        #expect(H264SequenceParameterSet.levelName(idc: 31, profileIDC: 100, constraintFlags: 0) == "3.1")
        #expect(H264SequenceParameterSet.levelName(idc: 40, profileIDC: 100, constraintFlags: 0) == "4")
        #expect(H264SequenceParameterSet.levelName(idc: 11, profileIDC: 66, constraintFlags: 0x10) == "1b")
        #expect(H264SequenceParameterSet.levelName(idc: 9, profileIDC: 100, constraintFlags: 0) == "1b")
        #expect(H264SequenceParameterSet.levelName(idc: 11, profileIDC: 100, constraintFlags: 0x10) == "1.1")
    }

    /// An interlaced 1080i High profile SPS with scaling lists (one list sent, one "use default"), pic_order_cnt
    /// type 1 with a cycle, frame cropping, an extended SAR and VUI timing whose zero bytes need emulation
    /// prevention.
    static func syntheticSPS() -> [UInt8] {
        var w = TestBitWriter()
        w.u(8, 0x67)  // forbidden_zero_bit, nal_ref_idc 3, nal_unit_type 7
        w.u(8, 100)  // profile_idc High
        w.u(8, 0)  // constraint flags
        w.u(8, 40)  // level_idc
        w.ue(0)  // seq_parameter_set_id
        w.ue(1)  // chroma_format_idc 4:2:0
        w.ue(0)  // bit_depth_luma_minus8
        w.ue(0)  // bit_depth_chroma_minus8
        w.flag(false)  // qpprime_y_zero_transform_bypass_flag
        w.flag(true)  // seq_scaling_matrix_present_flag
        for i in 0..<8 {
            switch i {
            case 0:
                w.flag(true)  // a 4x4 list: 16 deltas
                for j in 0..<16 { w.se(j % 2 == 0 ? 3 : -2) }
            case 6:
                w.flag(true)  // an 8x8 list: delta -8 from 8 makes nextScale 0 (useDefaultScalingMatrixFlag)
                w.se(-8)
            default:
                w.flag(false)
            }
        }
        w.ue(0)  // log2_max_frame_num_minus4
        w.ue(1)  // pic_order_cnt_type
        w.flag(false)  // delta_pic_order_always_zero_flag
        w.se(-1)  // offset_for_non_ref_pic
        w.se(2)  // offset_for_top_to_bottom_field
        w.ue(2)  // num_ref_frames_in_pic_order_cnt_cycle
        w.se(5)
        w.se(-5)
        w.ue(4)  // max_num_ref_frames
        w.flag(false)  // gaps_in_frame_num_value_allowed_flag
        w.ue(119)  // pic_width_in_mbs_minus1: 1920
        w.ue(33)  // pic_height_in_map_units_minus1: 34 field MB rows = 1088 lines
        w.flag(false)  // frame_mbs_only_flag: interlaced
        w.flag(true)  // mb_adaptive_frame_field_flag
        w.flag(true)  // direct_8x8_inference_flag
        w.flag(true)  // frame_cropping_flag
        w.ue(0)
        w.ue(0)
        w.ue(0)
        w.ue(2)  // bottom: 2 × CropUnitY (2 × 2) = 8 lines
        w.flag(true)  // vui_parameters_present_flag
        w.flag(true)  // aspect_ratio_info_present_flag
        w.u(8, 255)  // Extended_SAR
        w.u(16, 4)
        w.u(16, 3)
        w.flag(false)  // overscan_info_present_flag
        w.flag(true)  // video_signal_type_present_flag
        w.u(3, 5)
        w.flag(false)
        w.flag(true)  // colour_description_present_flag
        w.u(24, 0x010101)
        w.flag(false)  // chroma_loc_info_present_flag
        w.flag(true)  // timing_info_present_flag
        w.u(32, 1)  // num_units_in_tick
        w.u(32, 50)  // time_scale: 25 frames/s
        w.flag(true)  // fixed_frame_rate_flag
        w.flag(false)  // nal_hrd_parameters_present_flag and the rest are not read
        return w.nalUnit()
    }

    @Test func syntheticInterlacedSPSWithScalingListsAndEmulationPrevention() throws {
        let nal = Self.syntheticSPS()
        // The timing fields force emulation prevention bytes into the NAL unit.
        #expect(nal.indices.dropLast(2).contains { nal[$0] == 0 && nal[$0 + 1] == 0 && nal[$0 + 2] == 3 })
        let sps = try H264SequenceParameterSet.parse(nalUnit: ByteBuffer(bytes: nal))
        #expect(sps.width == 1920)
        #expect(sps.height == 1080)
        #expect(!sps.frameMBsOnly)
        #expect(sps.sarWidth == 4 && sps.sarHeight == 3)
        #expect(sps.numUnitsInTick == 1)
        #expect(sps.timeScale == 50)
        #expect(sps.frameRate == 25)
        #expect(sps.fixedFrameRate)
        #expect(sps.profileName == "High")
    }

    @Test func recordAroundTheSyntheticSPS() throws {
        let nal = Self.syntheticSPS()
        var record = ByteBuffer(bytes: [1, 100, 0, 40, 0xFF, 0xE1])
        record.writeInteger(UInt16(nal.count))
        record.writeBytes(nal)
        record.writeBytes([1, 0, 2, 0x68, 0xEB])
        let parsed = try AVCDecoderConfigurationRecord.parse(record)
        #expect(parsed.width == 1920)
        #expect(parsed.height == 1080)
        #expect(parsed.pps.map { Array($0.readableBytesView) } == [[0x68, 0xEB]])
    }

    @Test func truncatedSPSIsReportedNotThrown() throws {
        // A record whose SPS stops after level_idc.
        let record = try AVCDecoderConfigurationRecord.parse(AMFFLVHex.buffer("01 64 00 1F FF E1 0004 6764001F 00"))
        #expect(record.profileName == "High")
        #expect(record.level == 3.1)
        #expect(record.width == nil)
        #expect(record.spsError?.contains("H.264 SPS: truncated") == true)
    }

    @Test func truncationOfTheRecordThrows() throws {
        var tag = AMFFLVHex.buffer(Self.cases[0].tagHex)
        tag.moveReaderIndex(forwardBy: 5)
        let bytes = Array(tag.readableBytesView)
        for cut in 0..<bytes.count {
            #expect(throws: MediaError.self, "cut at \(cut)") {
                try AVCDecoderConfigurationRecord.parse(ByteBuffer(bytes: bytes[..<cut]))
            }
        }
    }

    @Test(arguments: [
        "00 64 00 1F FF E1 0000 00",  // configurationVersion 0
        "01 64 00 1F FE E1 0000 00",  // lengthSizeMinusOne 2
        "01 64 00 1F FF E1 FFFF 67",  // SPS length past the end
    ])
    func malformedRecordsThrow(_ hex: String) {
        #expect(throws: MediaError.self) { try AVCDecoderConfigurationRecord.parse(AMFFLVHex.buffer(hex)) }
    }

    @Test func hostileExpGolombThrows() {
        // 40 zero bits where a ue(v) is expected.
        let nal: [UInt8] = [0x67, 100, 0, 40, 0, 0, 0, 0, 0, 0x80]
        #expect(throws: MediaError.self) { try H264SequenceParameterSet.parse(nalUnit: ByteBuffer(bytes: nal)) }
    }
}
