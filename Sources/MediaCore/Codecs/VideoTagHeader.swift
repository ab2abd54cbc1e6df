import NIOCore

/// "FrameType UB[4]" (legacy) or "videoFrameType = UB[3]" (Enhanced RTMP).
public enum VideoFrameType: Sendable, Equatable, Hashable {
    /// 1: "key frame (for AVC, a seekable frame)"
    case keyframe
    /// 2: "inter frame (for AVC, a non-seekable frame)"
    case interframe
    /// 3: "disposable inter frame (H.263 only)"
    case disposableInterframe
    /// 4: "generated key frame (reserved for server use only)"
    case generatedKeyframe
    /// 5: "video info/command frame"
    case command
    /// 0, 6, 7 (and 8-15 in a legacy tag).
    case reserved(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .keyframe
        case 2: self = .interframe
        case 3: self = .disposableInterframe
        case 4: self = .generatedKeyframe
        case 5: self = .command
        default: self = .reserved(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .keyframe: return 1
        case .interframe: return 2
        case .disposableInterframe: return 3
        case .generatedKeyframe: return 4
        case .command: return 5
        case .reserved(let v): return v
        }
    }
}

/// What a video tag carries, with legacy AVCPacketType and Enhanced RTMP VideoPacketType folded together.
public enum VideoPacketType: Sendable, Equatable, Hashable {
    /// Decoder configuration: AVCPacketType 0 "AVC sequence header", or VideoPacketType SequenceStart (0).
    case sequenceStart
    /// Coded frames: AVCPacketType 1 "AVC NALU", VideoPacketType CodedFrames (1) or CodedFramesX (3), and every
    /// frame of a legacy codec without packet types (H.263, VP6, screen video).
    case codedFrames
    /// AVCPacketType 2 "AVC end of sequence", or VideoPacketType SequenceEnd (2).
    case sequenceEnd
    /// VideoPacketType Metadata (4): AMF-encoded metadata such as "colorInfo".
    case metadata
    /// Anything else, with its wire value: MPEG2TSSequenceStart (5), a reserved packet type, or for a command frame
    /// (frame type 5) the command byte ("0 = Start of client-side seeking video frame sequence, 1 = End").
    case other(UInt8)
}

/// The header at the start of a video tag body (FLV spec v10.1 E.4.3.1 VIDEODATA, and Enhanced RTMP v2
/// "Enhanced Video" ExVideoTagHeader).
public struct VideoTagHeader: Sendable, Equatable {
    public var frameType: VideoFrameType
    public var codec: VideoCodec
    public var packetType: VideoPacketType
    /// The packet type as on the wire: AVCPacketType for legacy AVC/HEVC, VideoPacketType for an enhanced tag,
    /// nil for legacy codecs that have none.
    public var rawPacketType: UInt8?
    /// "CompositionTime SI24": milliseconds from DTS to PTS, for AVC/HEVC coded frames (0 otherwise).
    public var compositionTime: Int32
    /// Bytes before the codec data (for a sequence start, the decoder configuration record follows).
    public var headerSize: Int
    /// Set by the IsExHeader bit (0x80).
    public var isEnhanced: Bool
    /// Enhanced multitrack (VideoPacketType 6): `trackID` is the first track's; `headerSize` points at its data.
    public var isMultitrack: Bool
    public var trackID: UInt8?
    /// ModEx TimestampOffsetNano, when present: nanoseconds to add to the tag timestamp.
    public var timestampNanoOffset: UInt32?

    /// Keyframes and generated keyframes ("a seekable frame").
    public var isKeyframe: Bool { frameType == .keyframe || frameType == .generatedKeyframe }

    /// Parses the header at the payload's reader index (the payload is not consumed).
    public static func parse(_ payload: ByteBuffer) throws -> VideoTagHeader {
        var buffer = payload
        let start = buffer.readerIndex
        try need(buffer, start, 1, "first byte")
        let first = buffer.readInteger(as: UInt8.self)!

        // "IsExHeader UB[1]": "if IsExHeader is 1 ... the UB[4] bits are interpreted as VideoPacketType".
        guard first & 0x80 != 0 else {
            return try parseLegacy(first: first, buffer: &buffer, start: start)
        }
        let frameType = VideoFrameType(rawValue: (first >> 4) & 0x07)
        var packetType = first & 0x0F
        var nanoOffset: UInt32?

        // "while (videoPacketType == VideoPacketType.ModEx)": a size (UI8 + 1, or UI16 + 1 when that is 256), the
        // data, then a byte of VideoPacketModExType (high 4 bits) and the next VideoPacketType (low 4 bits).
        while packetType == 7 {
            try need(buffer, start, 1, "ModEx size")
            var size = Int(buffer.readInteger(as: UInt8.self)!) + 1
            if size == 256 {
                try need(buffer, start, 2, "ModEx size")
                size = Int(buffer.readInteger(as: UInt16.self)!) + 1
            }
            try need(buffer, start, size + 1, "ModEx data")
            let data = buffer.readSlice(length: size)!
            let next = buffer.readInteger(as: UInt8.self)!
            // TimestampOffsetNano (0): "videoTimestampNanoOffset = bytesToUI24(modExData)".
            if next >> 4 == 0, size >= 3 {
                nanoOffset = UInt32(data.getInteger(at: data.readerIndex, as: UInt8.self)!) << 16
                    | UInt32(data.getInteger(at: data.readerIndex + 1, as: UInt16.self)!)
            }
            packetType = next & 0x0F
        }

        // "if (videoPacketType != Metadata && videoFrameType == Command) { videoCommand = UI8 }": no FourCC, no body.
        if packetType != 4 && frameType == .command {
            try need(buffer, start, 1, "video command")
            let command = buffer.readInteger(as: UInt8.self)!
            return VideoTagHeader(
                frameType: frameType, codec: .fourCC(""), packetType: .other(command), rawPacketType: packetType,
                compositionTime: 0, headerSize: buffer.readerIndex - start, isEnhanced: true, isMultitrack: false,
                trackID: nil, timestampNanoOffset: nanoOffset)
        }

        var isMultitrack = false
        var trackID: UInt8?
        var fourCC: UInt32
        if packetType == 6 {
            // Multitrack: "videoMultitrackType = UB[4]", then the packet type of all tracks "MUST not result in a
            // VideoPacketType.Multitrack", then the FourCC unless each track has its own (ManyTracksManyCodecs, 2).
            isMultitrack = true
            try need(buffer, start, 1, "multitrack type")
            let byte = buffer.readInteger(as: UInt8.self)!
            let multitrackType = byte >> 4
            packetType = byte & 0x0F
            guard packetType != 6 else {
                throw MediaError(.malformedInput, "video multitrack tag nests another multitrack packet type")
            }
            if multitrackType != 2 {
                try need(buffer, start, 4, "FourCC")
                fourCC = buffer.readInteger(as: UInt32.self)!
                try need(buffer, start, 1, "track id")
                trackID = buffer.readInteger(as: UInt8.self)!
            } else {
                try need(buffer, start, 5, "FourCC and track id")
                fourCC = buffer.readInteger(as: UInt32.self)!
                trackID = buffer.readInteger(as: UInt8.self)!
            }
            // "sizeOfVideoTrack = UI24" unless OneTrack (0).
            if multitrackType != 0 {
                try need(buffer, start, 3, "track size")
                buffer.moveReaderIndex(forwardBy: 3)
            }
        } else {
            try need(buffer, start, 4, "FourCC")
            fourCC = buffer.readInteger(as: UInt32.self)!
        }
        let codec = VideoCodec.fourCC(fourCCString(fourCC))

        var compositionTime: Int32 = 0
        let normalised: VideoPacketType
        switch packetType {
        case 0: normalised = .sequenceStart
        case 1:
            normalised = .codedFrames
            // "if (videoPacketType == CodedFrames) ... compositionTimeOffset = SI24" for avc1 and hvc1 only.
            if codec.isAVC || codec.isHEVC {
                try need(buffer, start, 3, "composition time")
                compositionTime = readSI24(&buffer)
            }
        case 2: normalised = .sequenceEnd
        case 3: normalised = .codedFrames  // CodedFramesX: "CompositionTime Offset is implicitly set to zero"
        case 4: normalised = .metadata
        default: normalised = .other(packetType)
        }
        return VideoTagHeader(
            frameType: frameType, codec: codec, packetType: normalised, rawPacketType: packetType,
            compositionTime: compositionTime, headerSize: buffer.readerIndex - start, isEnhanced: true,
            isMultitrack: isMultitrack, trackID: trackID, timestampNanoOffset: nanoOffset)
    }

    private static func parseLegacy(
        first: UInt8, buffer: inout ByteBuffer, start: Int
    ) throws -> VideoTagHeader {
        let frameType = VideoFrameType(rawValue: first >> 4)
        let codecID = first & 0x0F
        guard let codec = VideoCodec(legacyCodecID: codecID) else {
            throw MediaError(.malformedInput, "unknown video codec id \(codecID) in video tag header")
        }
        // "If FrameType = 5, instead of a video payload, the message stream contains a UI8".
        if frameType == .command {
            try need(buffer, start, 1, "video command")
            let command = buffer.readInteger(as: UInt8.self)!
            return VideoTagHeader(
                frameType: frameType, codec: codec, packetType: .other(command), rawPacketType: nil,
                compositionTime: 0, headerSize: buffer.readerIndex - start, isEnhanced: false, isMultitrack: false,
                trackID: nil, timestampNanoOffset: nil)
        }
        switch codec {
        case .avc, .legacyHEVC:
            // AVCVIDEOPACKET: "AVCPacketType UI8: 0 = AVC sequence header, 1 = AVC NALU, 2 = AVC end of sequence";
            // "CompositionTime SI24: if AVCPacketType == 1 Composition time offset else 0".
            try need(buffer, start, 4, "AVCPacketType and composition time")
            let avcPacketType = buffer.readInteger(as: UInt8.self)!
            let cts = readSI24(&buffer)
            let packetType: VideoPacketType
            switch avcPacketType {
            case 0: packetType = .sequenceStart
            case 1: packetType = .codedFrames
            case 2: packetType = .sequenceEnd
            default: packetType = .other(avcPacketType)
            }
            return VideoTagHeader(
                frameType: frameType, codec: codec, packetType: packetType, rawPacketType: avcPacketType,
                compositionTime: avcPacketType == 1 ? cts : 0, headerSize: buffer.readerIndex - start,
                isEnhanced: false, isMultitrack: false, trackID: nil, timestampNanoOffset: nil)
        case .vp6, .vp6Alpha:
            // VP6FLVVIDEOPACKET: "HorizontalAdjustment UB[4], VerticalAdjustment UB[4]"; the alpha variant adds
            // "OffsetToAlpha UI24".
            let extra = codec == .vp6 ? 1 : 4
            try need(buffer, start, extra, "VP6 adjustment")
            buffer.moveReaderIndex(forwardBy: extra)
        default:
            break
        }
        return VideoTagHeader(
            frameType: frameType, codec: codec, packetType: .codedFrames, rawPacketType: nil, compositionTime: 0,
            headerSize: buffer.readerIndex - start, isEnhanced: false, isMultitrack: false, trackID: nil,
            timestampNanoOffset: nil)
    }

    /// Throws unless `count` bytes remain (`start` is where the header began, for the offset in the message).
    private static func need(_ buffer: ByteBuffer, _ start: Int, _ count: Int, _ what: String) throws {
        guard buffer.readableBytes >= count else {
            throw MediaError(
                .malformedInput,
                "truncated video tag header: \(what) at byte \(buffer.readerIndex - start) needs \(count) bytes, "
                    + "\(buffer.readableBytes) remain")
        }
    }
}

/// SI24: a signed 24-bit big-endian integer.
func readSI24(_ buffer: inout ByteBuffer) -> Int32 {
    let high = buffer.readInteger(as: UInt8.self)!
    let low = buffer.readInteger(as: UInt16.self)!
    let raw = UInt32(high) << 16 | UInt32(low)
    return Int32(bitPattern: raw << 8) >> 8
}
