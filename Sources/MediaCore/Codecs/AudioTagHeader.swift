import NIOCore

/// What an audio tag carries, with legacy AACPacketType and Enhanced RTMP AudioPacketType folded together.
public enum AudioPacketType: Sendable, Equatable, Hashable {
    /// AACPacketType 0 "AAC sequence header", or AudioPacketType SequenceStart (0).
    case sequenceStart
    /// AACPacketType 1 "AAC raw", AudioPacketType CodedFrames (1), and every frame of a codec without packet types.
    case codedFrames
    /// AudioPacketType SequenceEnd (2).
    case sequenceEnd
    /// AudioPacketType MultichannelConfig (4): channel order and count.
    case multichannelConfig
    /// Anything else, with its wire value.
    case other(UInt8)
}

/// The header at the start of an audio tag body (FLV spec v10.1 E.4.2.1 AUDIODATA, and Enhanced RTMP v2
/// "Enhanced Audio" ExAudioTagHeader).
public struct AudioTagHeader: Sendable, Equatable {
    public var codec: AudioCodec
    /// "SoundFormat UB[4]" as on the wire (9 for an enhanced header).
    public var soundFormat: UInt8
    /// "SoundRate UB[2]: 0 = 5.5 kHz, 1 = 11 kHz, 2 = 22 kHz, 3 = 44 kHz" as 5512, 11025, 22050, 44100; nil in an
    /// enhanced header. For AAC the spec says "always 3": the real rate is in the AudioSpecificConfig.
    public var legacySampleRate: Int?
    /// "SoundSize UB[1]: 0 = 8-bit samples, 1 = 16-bit samples"; nil in an enhanced header.
    public var sampleSizeBits: Int?
    /// "SoundType UB[1]: 0 = Mono sound, 1 = Stereo sound" as 1 or 2; in an enhanced header the channel count of a
    /// MultichannelConfig packet, else nil.
    public var channels: Int?
    public var packetType: AudioPacketType
    /// The packet type as on the wire: AACPacketType for legacy AAC, AudioPacketType when enhanced, else nil.
    public var rawPacketType: UInt8?
    /// Bytes before the codec data (for a sequence start, the codec configuration follows).
    public var headerSize: Int
    /// SoundFormat 9, "ExHeader".
    public var isEnhanced: Bool
    /// Enhanced multitrack (AudioPacketType 5): `trackID` is the first track's; `headerSize` points at its data.
    public var isMultitrack: Bool
    public var trackID: UInt8?
    /// ModEx TimestampOffsetNano, when present.
    public var timestampNanoOffset: UInt32?

    /// Parses the header at the payload's reader index (the payload is not consumed).
    public static func parse(_ payload: ByteBuffer) throws -> AudioTagHeader {
        var buffer = payload
        let start = buffer.readerIndex
        try need(buffer, start, 1, "first byte")
        let first = buffer.readInteger(as: UInt8.self)!
        let soundFormat = first >> 4

        guard soundFormat == 9 else {
            guard let codec = AudioCodec(soundFormat: soundFormat) else {
                throw MediaError(.malformedInput, "reserved SoundFormat \(soundFormat) in audio tag header")
            }
            let rate = [5512, 11025, 22050, 44100][Int((first >> 2) & 0x03)]
            var header = AudioTagHeader(
                codec: codec, soundFormat: soundFormat, legacySampleRate: rate,
                sampleSizeBits: first & 0x02 != 0 ? 16 : 8, channels: first & 0x01 != 0 ? 2 : 1,
                packetType: .codedFrames, rawPacketType: nil, headerSize: 1, isEnhanced: false, isMultitrack: false,
                trackID: nil, timestampNanoOffset: nil)
            if codec == .aac {
                // AACAUDIODATA: "AACPacketType UI8: 0: AAC sequence header, 1: AAC raw".
                try need(buffer, start, 1, "AACPacketType")
                let aacPacketType = buffer.readInteger(as: UInt8.self)!
                header.rawPacketType = aacPacketType
                header.packetType =
                    aacPacketType == 0 ? .sequenceStart : aacPacketType == 1 ? .codedFrames : .other(aacPacketType)
                header.headerSize = 2
            }
            return header
        }

        // "if (soundFormat == SoundFormat.ExHeader) ... audioPacketType = UB[4] as AudioPacketType".
        var packetType = first & 0x0F
        var nanoOffset: UInt32?
        // ModEx (7): the same framing as for video: size UI8 + 1 (UI16 + 1 when 256), data, then
        // AudioPacketModExType (high 4 bits) and the next AudioPacketType (low 4 bits).
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
            if next >> 4 == 0, size >= 3 {
                nanoOffset = UInt32(data.getInteger(at: data.readerIndex, as: UInt8.self)!) << 16
                    | UInt32(data.getInteger(at: data.readerIndex + 1, as: UInt16.self)!)
            }
            packetType = next & 0x0F
        }

        var isMultitrack = false
        var trackID: UInt8?
        let fourCC: UInt32
        if packetType == 5 {
            // Multitrack: "audioMultitrackType = UB[4]", then the tracks' AudioPacketType ("MUST not result in a
            // AudioPacketType.Multitrack"), the FourCC unless ManyTracksManyCodecs (2), then per track
            // [FourCC] trackId UI8 [sizeOfAudioTrack UI24 unless OneTrack].
            isMultitrack = true
            try need(buffer, start, 1, "multitrack type")
            let byte = buffer.readInteger(as: UInt8.self)!
            let multitrackType = byte >> 4
            packetType = byte & 0x0F
            guard packetType != 5 else {
                throw MediaError(.malformedInput, "audio multitrack tag nests another multitrack packet type")
            }
            try need(buffer, start, 5, "FourCC and track id")
            fourCC = buffer.readInteger(as: UInt32.self)!
            trackID = buffer.readInteger(as: UInt8.self)!
            if multitrackType != 0 {
                try need(buffer, start, 3, "track size")
                buffer.moveReaderIndex(forwardBy: 3)
            }
        } else {
            try need(buffer, start, 4, "FourCC")
            fourCC = buffer.readInteger(as: UInt32.self)!
        }

        var channels: Int?
        let normalised: AudioPacketType
        switch packetType {
        case 0: normalised = .sequenceStart
        case 1: normalised = .codedFrames
        case 2: normalised = .sequenceEnd
        case 4:
            normalised = .multichannelConfig
            // "audioChannelOrder = UI8 as AudioChannelOrder", "channelCount = UI8".
            if buffer.readableBytes >= 2 {
                channels = Int(buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self)!)
            }
        default: normalised = .other(packetType)
        }
        return AudioTagHeader(
            codec: .fourCC(fourCCString(fourCC)), soundFormat: soundFormat, legacySampleRate: nil,
            sampleSizeBits: nil, channels: channels, packetType: normalised, rawPacketType: packetType,
            headerSize: buffer.readerIndex - start, isEnhanced: true, isMultitrack: isMultitrack, trackID: trackID,
            timestampNanoOffset: nanoOffset)
    }

    /// Throws unless `count` bytes remain (`start` is where the header began, for the offset in the message).
    private static func need(_ buffer: ByteBuffer, _ start: Int, _ count: Int, _ what: String) throws {
        guard buffer.readableBytes >= count else {
            throw MediaError(
                .malformedInput,
                "truncated audio tag header: \(what) at byte \(buffer.readerIndex - start) needs \(count) bytes, "
                    + "\(buffer.readableBytes) remain")
        }
    }
}
