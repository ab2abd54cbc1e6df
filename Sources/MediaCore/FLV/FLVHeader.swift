/// The FLV file header (Adobe Flash Video File Format Specification v10.1, annex E.2).
///
/// | Field | Type | |
/// |---|---|---|
/// | Signature | UI8 × 3 | "Signature byte always 'F' (0x46)", 'L' (0x4C), 'V' (0x56) |
/// | Version | UI8 | "File version (for example, 0x01 for FLV version 1)" |
/// | TypeFlagsReserved | UB[5] | "Shall be 0" |
/// | TypeFlagsAudio | UB[1] | "1 = Audio tags are present" |
/// | TypeFlagsReserved | UB[1] | "Shall be 0" |
/// | TypeFlagsVideo | UB[1] | "1 = Video tags are present" |
/// | DataOffset | UI32 | "The length of this header in bytes" |
public struct FLVHeader: Sendable, Equatable {
    public var version: UInt8
    public var hasAudio: Bool
    public var hasVideo: Bool
    /// Where the body (PreviousTagSize0) starts: 9 for version 1 files.
    public var dataOffset: UInt32

    /// The size of a version 1 header: "The DataOffset field usually has a value of 9 for FLV version 1."
    public static let size = 9
    /// "FLV" in ASCII.
    public static let signature: [UInt8] = [0x46, 0x4C, 0x56]

    /// A version 1 header of 9 bytes.
    public init(hasAudio: Bool, hasVideo: Bool) {
        self.init(version: 1, hasAudio: hasAudio, hasVideo: hasVideo, dataOffset: UInt32(Self.size))
    }

    public init(version: UInt8, hasAudio: Bool, hasVideo: Bool, dataOffset: UInt32) {
        self.version = version
        self.hasAudio = hasAudio
        self.hasVideo = hasVideo
        self.dataOffset = dataOffset
    }
}
