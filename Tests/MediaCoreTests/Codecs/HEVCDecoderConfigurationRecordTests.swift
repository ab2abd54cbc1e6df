import NIOCore
import Testing

@testable import MediaCore

struct HEVCConfigCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// hvcC from ffmpeg 5.1 + libx265 3.5 (mp4 box payload, the x265 SEI array left out).
    let hex: String
    let profileName: String
    let levelIDC: UInt8
    let width: Int
    let height: Int
    let chromaFormat: UInt8
    let bitDepth: Int
    var testDescription: String { name }
}

@Suite struct HEVCDecoderConfigurationRecordTests {
    static let cases: [HEVCConfigCase] = [
        .init(
            name: "642x362 Main 2.1 (conformance window)",
            hex: """
                0101600000009000000000003ff000fcfdf8f800000f03a00001001840010c01ffff01600000030090000003000003003f95\
                9809a10001002c42010101600000030090000003000003003fa005120171c9265959a4932bc05a020000030002000003003c\
                10a2000100074401c172b46240
                """,
            profileName: "Main", levelIDC: 63, width: 642, height: 362, chromaFormat: 1, bitDepth: 8),
        .init(
            name: "1280x720 Main 10 3.1",
            hex: """
                0102200000009000000000005df000fcfdfafa00000f03a00001001840010c01ffff0220000003009000000300000300\
                5d959809a10001002b42010102200000030090000003000003005da00280802d1365959a4932bc05a020000003002000\
                000303c1a2000100074401c172b46240
                """,
            profileName: "Main 10", levelIDC: 93, width: 1280, height: 720, chromaFormat: 1, bitDepth: 10),
        .init(
            name: "200x120 Rext 4:4:4 2.0",
            hex: """
                0104080000009e08000000003cf000fcfff8f800000f03a00001001740010c01ffff0408000003009e0800000300003c\
                959809a1000100294201010408000003009e0800000300003c9003240f2cb2b349265780b40400000300040000030078\
                20a2000100084401c172860c4624
                """,
            profileName: "Rext", levelIDC: 60, width: 200, height: 120, chromaFormat: 3, bitDepth: 8),
    ]

    @Test(arguments: cases)
    func x265Records(_ c: HEVCConfigCase) throws {
        let record = try HEVCDecoderConfigurationRecord.parse(AMFFLVHex.buffer(c.hex))
        #expect(record.profileName == c.profileName)
        #expect(record.generalLevelIDC == c.levelIDC)
        #expect(record.level == Double(c.levelIDC) / 30)
        #expect(!record.highTier)
        #expect(record.tierName == "Main")
        #expect(record.chromaFormat == c.chromaFormat)
        #expect(record.bitDepthLuma == c.bitDepth)
        #expect(record.nalUnitLengthSize == 4)
        #expect(record.arrays.map(\.nalUnitType) == [32, 33, 34])
        #expect(record.spsError == nil)
        #expect(record.width == c.width)
        #expect(record.height == c.height)
    }

    @Test func truncationThrows() {
        let bytes = AMFFLVHex.bytes(Self.cases[0].hex)
        for cut in 0..<bytes.count {
            #expect(throws: MediaError.self, "cut at \(cut)") {
                try HEVCDecoderConfigurationRecord.parse(ByteBuffer(bytes: bytes[..<cut]))
            }
        }
    }

    @Test func hostileNALCountThrowsBeforeReserving() {
        var bytes = AMFFLVHex.bytes(Self.cases[0].hex)
        bytes[24] = 0xFF  // numNalus of the first array: 0xFF01
        #expect(throws: MediaError.self) { try HEVCDecoderConfigurationRecord.parse(ByteBuffer(bytes: bytes)) }
    }

    @Test func levelAndTier() throws {
        var bytes = AMFFLVHex.bytes(Self.cases[1].hex)
        bytes[1] |= 0x20  // general_tier_flag
        let record = try HEVCDecoderConfigurationRecord.parse(ByteBuffer(bytes: bytes))
        #expect(record.highTier)
        #expect(record.level == 3.1)
    }
}
