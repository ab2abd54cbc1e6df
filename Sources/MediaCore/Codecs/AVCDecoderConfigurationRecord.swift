import NIOCore

/// The AVC sequence header: ISO/IEC 14496-15 5.3.3.1 AVCDecoderConfigurationRecord, the codec data of an
/// AVC sequence header tag (AVCPacketType 0, or SequenceStart with FourCC avc1).
///
/// ```
/// unsigned int(8) configurationVersion = 1;
/// unsigned int(8) AVCProfileIndication; unsigned int(8) profile_compatibility; unsigned int(8) AVCLevelIndication;
/// bit(6) reserved = '111111'b; unsigned int(2) lengthSizeMinusOne;
/// bit(3) reserved = '111'b; unsigned int(5) numOfSequenceParameterSets;
///   { unsigned int(16) sequenceParameterSetLength; bit(8*sequenceParameterSetLength) sequenceParameterSetNALUnit; }
/// unsigned int(8) numOfPictureParameterSets;
///   { unsigned int(16) pictureParameterSetLength; bit(8*pictureParameterSetLength) pictureParameterSetNALUnit; }
/// ```
public struct AVCDecoderConfigurationRecord: Sendable, Equatable {
    public var configurationVersion: UInt8
    /// AVCProfileIndication: profile_idc.
    public var profile: UInt8
    /// profile_compatibility: the constraint_set flags.
    public var compatibility: UInt8
    /// AVCLevelIndication: level_idc.
    public var levelIndication: UInt8
    /// lengthSizeMinusOne + 1: the size of the NAL unit length prefix in coded frames (1, 2 or 4).
    public var nalUnitLengthSize: Int
    public var sps: [ByteBuffer]
    public var pps: [ByteBuffer]
    /// The first SPS, parsed; nil if the record has none or it could not be parsed (`spsError` says why).
    public var sequenceParameterSet: H264SequenceParameterSet?
    public var spsError: String?

    /// "Baseline", "Main", "High", "High 10", ...
    public var profileName: String {
        H264SequenceParameterSet.profileName(profileIDC: profile, constraintFlags: compatibility)
    }
    /// The level as a number: level_idc 31 is 3.1.
    public var level: Double { H264SequenceParameterSet.level(idc: levelIndication) }
    /// "3.1", or "1b".
    public var levelName: String {
        H264SequenceParameterSet.levelName(idc: levelIndication, profileIDC: profile, constraintFlags: compatibility)
    }
    public var width: Int? { sequenceParameterSet?.width }
    public var height: Int? { sequenceParameterSet?.height }
    /// From the SPS VUI timing information, when present.
    public var frameRate: Double? { sequenceParameterSet?.frameRate }

    /// Parses the record at the reader index of `payload` (the tag data after the video tag header).
    public static func parse(_ payload: ByteBuffer) throws -> AVCDecoderConfigurationRecord {
        var buffer = payload
        let start = buffer.readerIndex
        func fail(_ what: String) -> MediaError {
            MediaError(.malformedInput, "AVCDecoderConfigurationRecord: \(what) at byte \(buffer.readerIndex - start)")
        }
        guard buffer.readableBytes >= 6 else { throw fail("truncated: \(buffer.readableBytes) of 6 header bytes") }
        let version = buffer.readInteger(as: UInt8.self)!
        guard version == 1 else { throw fail("configurationVersion \(version), expected 1") }
        let profile = buffer.readInteger(as: UInt8.self)!
        let compatibility = buffer.readInteger(as: UInt8.self)!
        let level = buffer.readInteger(as: UInt8.self)!
        let lengthSize = Int(buffer.readInteger(as: UInt8.self)! & 0x03) + 1
        guard lengthSize != 3 else { throw fail("lengthSizeMinusOne 2 (only 1, 2 or 4 byte lengths exist)") }
        let spsCount = Int(buffer.readInteger(as: UInt8.self)! & 0x1F)
        var sps: [ByteBuffer] = []
        for _ in 0..<spsCount {
            sps.append(try readParameterSet(&buffer, what: "SPS", start: start))
        }
        guard let ppsCount = buffer.readInteger(as: UInt8.self) else { throw fail("truncated: no PPS count") }
        var pps: [ByteBuffer] = []
        for _ in 0..<ppsCount {
            pps.append(try readParameterSet(&buffer, what: "PPS", start: start))
        }
        var record = AVCDecoderConfigurationRecord(
            configurationVersion: version, profile: profile, compatibility: compatibility, levelIndication: level,
            nalUnitLengthSize: lengthSize, sps: sps, pps: pps, sequenceParameterSet: nil, spsError: nil)
        if let first = sps.first {
            do {
                record.sequenceParameterSet = try H264SequenceParameterSet.parse(nalUnit: first)
            } catch let error as MediaError {
                record.spsError = error.message
            }
        }
        return record
    }

    private static func readParameterSet(_ buffer: inout ByteBuffer, what: String, start: Int) throws -> ByteBuffer {
        let at = buffer.readerIndex - start
        guard let length = buffer.readInteger(as: UInt16.self) else {
            throw MediaError(.malformedInput, "AVCDecoderConfigurationRecord: truncated \(what) length at byte \(at)")
        }
        guard let nal = buffer.readSlice(length: Int(length)) else {
            throw MediaError(
                .malformedInput,
                "AVCDecoderConfigurationRecord: truncated \(what) at byte \(at): needs \(length) bytes, "
                    + "\(buffer.readableBytes) remain")
        }
        return nal
    }
}
