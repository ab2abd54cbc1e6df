import NIOCore

/// Watches the audio, video and script tags of a stream (from an FLV file or RTMP messages) and says what it
/// carries: codecs, profile and level, picture size, frame rate, keyframe spacing, audio format, byte counts.
///
/// Malformed tag bodies are counted in `warnings` and otherwise skipped: analysis never throws.
/// For Enhanced RTMP multitrack tags only track 0 (the default track) is analysed.
public struct StreamAnalyzer: Sendable {
    private var video: VideoInfo?
    private var audio: AudioInfo?
    private var metadata: AMF0Object?
    private var firstTimestamp: UInt32?
    private var lastTimestamp: UInt32?
    private let expectsVideo: Bool
    private let expectsAudio: Bool

    // Video state not kept in VideoInfo.
    private var videoConfigWidth: Int?
    private var videoConfigHeight: Int?
    private var videoConfigFrameRate: Double?
    private var videoDetailsKnown = false
    private var firstFrameTimestamp: UInt32?
    private var lastFrameTimestamp: UInt32?
    private var lastKeyframeTimestamp: UInt32?
    private var keyframeDistances: [UInt32] = []

    // Audio state not kept in AudioInfo.
    private var audioConfigRate: Int?
    private var audioConfigChannels: Int?
    private var audioFlagRate: Int?
    private var audioFlagChannels: Int?
    private var audioFlagSize: Int?
    private var audioDetailsKnown = false

    /// Tag bodies that could not be parsed.
    public private(set) var warnings = 0
    public private(set) var lastWarning: String?

    /// - Parameters: expectsAudio/expectsVideo: streams announced by other means (the FLV header flags) that
    ///   `hasCodecs` waits for.
    public init(expectsAudio: Bool = false, expectsVideo: Bool = false) {
        self.expectsAudio = expectsAudio
        self.expectsVideo = expectsVideo
    }

    /// True once the codec details of every announced stream are known, and at least one stream is announced.
    ///
    /// A stream is announced by the `expects...` flags, by onMetaData (`videocodecid`, `width` or `height` for
    /// video; `audiocodecid`, `audiosamplerate` for audio) or by a tag of its type. Its details are known:
    /// - for codecs that have a decoder configuration (H.264, H.265 and every Enhanced RTMP video FourCC; AAC in
    ///   either signalling), once its sequence header (SequenceStart) was seen;
    /// - for other Enhanced RTMP audio FourCCs, once a SequenceStart or a coded frame was seen;
    /// - for the other legacy codecs (H.263, VP6, screen video; MP3, PCM, Speex, ...), once a coded frame was seen,
    ///   since their tag headers carry everything there is.
    /// onMetaData alone announces streams but never makes their details known.
    public var hasCodecs: Bool {
        let videoAnnounced = expectsVideo || video != nil
        let audioAnnounced = expectsAudio || audio != nil
        guard videoAnnounced || audioAnnounced else { return false }
        return (!videoAnnounced || videoDetailsKnown) && (!audioAnnounced || audioDetailsKnown)
    }

    /// Whether onMetaData alone names a codec for every stream it announces (and, for video, a picture size):
    /// enough for a quick answer ("from metadata or sequence headers, whichever comes first"), though profile
    /// and level only come with the sequence header.
    public var metadataDescribesCodecs: Bool {
        guard let metadata else { return false }
        let videoKnown = video.map { $0.codec != "unknown" && metadata["width"] != nil && metadata["height"] != nil }
        let audioKnown = audio.map { $0.codec != "unknown" }
        guard videoKnown != nil || audioKnown != nil else { return false }
        return (videoKnown ?? true) && (audioKnown ?? true)
    }

    public mutating func observe(_ tag: FLVTag) {
        observe(type: tag.type, timestamp: tag.timestamp, payload: tag.data)
    }

    public mutating func observe(type: FLVTagType, timestamp: UInt32, payload: ByteBuffer) {
        switch type {
        case .video:
            noteTimestamp(timestamp)
            observeVideo(timestamp: timestamp, payload: payload)
        case .audio:
            noteTimestamp(timestamp)
            observeAudio(payload: payload)
        case .scriptData:
            do {
                let (name, value) = try ScriptData.parse(payload)
                if name == "onMetaData", let object = value.objectValue {
                    observeMetadata(object)
                }
            } catch let error as MediaError {
                warn("script data at \(timestamp) ms: \(error.message)")
            } catch {
                warn("script data at \(timestamp) ms: \(error)")
            }
        }
    }

    public mutating func observeMetadata(_ object: AMF0Object) {
        metadata = object
        let videoCodec = object["videocodecid"].flatMap { VideoCodec(metadataCodecID: $0) }
        if video == nil && (object["videocodecid"] != nil || object["width"] != nil || object["height"] != nil) {
            video = VideoInfo(codec: videoCodec?.name ?? "unknown")
            video?.codecID = videoCodec
        }
        let audioCodec = object["audiocodecid"].flatMap { AudioCodec(metadataCodecID: $0) }
        if audio == nil && (object["audiocodecid"] != nil || object["audiosamplerate"] != nil) {
            audio = AudioInfo(codec: audioCodec?.name ?? "unknown")
            audio?.codecID = audioCodec
        }
    }

    // MARK: - Video

    private mutating func observeVideo(timestamp: UInt32, payload: ByteBuffer) {
        let header: VideoTagHeader
        do {
            header = try VideoTagHeader.parse(payload)
        } catch let error as MediaError {
            warn("video tag at \(timestamp) ms: \(error.message)")
            return
        } catch {
            return
        }
        if let track = header.trackID, track != 0 { return }
        var info = video ?? VideoInfo(codec: header.codec.name)
        info.bytes += Int64(payload.readableBytes)
        if header.frameType != .command && header.codec != .fourCC("") {
            if info.codecID != header.codec {
                info.codecID = header.codec
                info.codec = header.codec.name
            }
        }
        if header.frameType == .command {
            video = info
            return
        }
        switch header.packetType {
        case .sequenceStart:
            info.hasSequenceHeader = true
            videoDetailsKnown = true
            var config = payload
            config.moveReaderIndex(forwardBy: header.headerSize)
            parseVideoConfig(codec: header.codec, config: config, timestamp: timestamp, into: &info)
        case .codedFrames:
            info.frames += 1
            if firstFrameTimestamp == nil { firstFrameTimestamp = timestamp }
            lastFrameTimestamp = timestamp
            if !needsSequenceHeader(header.codec) { videoDetailsKnown = true }
            if header.isKeyframe {
                info.keyframes += 1
                if info.firstKeyframeTimestamp == nil { info.firstKeyframeTimestamp = timestamp }
                if let last = lastKeyframeTimestamp, timestamp > last {
                    keyframeDistances.append(timestamp - last)
                }
                lastKeyframeTimestamp = timestamp
            }
        default:
            break
        }
        video = info
    }

    private func needsSequenceHeader(_ codec: VideoCodec) -> Bool {
        switch codec {
        case .avc, .legacyHEVC, .fourCC: return true
        default: return false
        }
    }

    private mutating func parseVideoConfig(
        codec: VideoCodec, config: ByteBuffer, timestamp: UInt32, into info: inout VideoInfo
    ) {
        do {
            if codec.isAVC {
                let record = try AVCDecoderConfigurationRecord.parse(config)
                info.profile = record.profileName
                info.level = record.level
                videoConfigWidth = record.width
                videoConfigHeight = record.height
                videoConfigFrameRate = record.frameRate
                if let spsError = record.spsError { warn("video sequence header at \(timestamp) ms: \(spsError)") }
            } else if codec.isHEVC {
                let record = try HEVCDecoderConfigurationRecord.parse(config)
                info.profile = record.profileName
                info.level = record.level
                videoConfigWidth = record.width
                videoConfigHeight = record.height
                videoConfigFrameRate = record.frameRate
                if let spsError = record.spsError { warn("video sequence header at \(timestamp) ms: \(spsError)") }
            }
        } catch let error as MediaError {
            warn("video sequence header at \(timestamp) ms: \(error.message)")
        } catch {
            warn("video sequence header at \(timestamp) ms: \(error)")
        }
    }

    // MARK: - Audio

    private mutating func observeAudio(payload: ByteBuffer) {
        let header: AudioTagHeader
        do {
            header = try AudioTagHeader.parse(payload)
        } catch let error as MediaError {
            warn("audio tag: \(error.message)")
            return
        } catch {
            return
        }
        if let track = header.trackID, track != 0 { return }
        var info = audio ?? AudioInfo(codec: header.codec.name)
        info.bytes += Int64(payload.readableBytes)
        if info.codecID != header.codec {
            info.codecID = header.codec
            info.codec = header.codec.name
        }
        if !header.isEnhanced {
            audioFlagSize = header.sampleSizeBits
            switch header.codec {
            case .speex: audioFlagRate = 16000; audioFlagChannels = 1
            case .nellymoser8kMono: audioFlagRate = 8000; audioFlagChannels = 1
            case .nellymoser16kMono: audioFlagRate = 16000; audioFlagChannels = 1
            case .aac: break  // "If the SoundFormat indicates AAC, the SoundType should be set to 1 (stereo)
                              // and the SoundRate should be set to 3 (44 kHz)": the flags say nothing.
            default:
                audioFlagRate = header.legacySampleRate
                audioFlagChannels = header.channels
            }
        }
        switch header.packetType {
        case .sequenceStart:
            info.hasSequenceHeader = true
            audioDetailsKnown = true
            var config = payload
            config.moveReaderIndex(forwardBy: header.headerSize)
            parseAudioConfig(codec: header.codec, config: config, into: &info)
        case .codedFrames:
            info.frames += 1
            if !header.codec.isAAC { audioDetailsKnown = true }
        case .multichannelConfig:
            if let channels = header.channels { audioConfigChannels = channels }
        default:
            break
        }
        audio = info
    }

    private mutating func parseAudioConfig(codec: AudioCodec, config: ByteBuffer, into info: inout AudioInfo) {
        if codec.isAAC {
            do {
                let asc = try AudioSpecificConfig.parse(config)
                info.objectType = asc.objectTypeName
                audioConfigRate = asc.outputSampleRate
                audioConfigChannels = asc.channels
            } catch let error as MediaError {
                warn("audio sequence header: \(error.message)")
            } catch {
                warn("audio sequence header: \(error)")
            }
        } else if codec == .fourCC("Opus") {
            // RFC 7845 5.1 ID header: "OpusHead", version (1), output channel count (1), pre-skip (2),
            // input sample rate (4, little endian, informational: Opus always decodes at 48 kHz).
            if config.readableBytes >= 19, config.getString(at: config.readerIndex, length: 8) == "OpusHead" {
                audioConfigChannels = Int(config.getInteger(at: config.readerIndex + 9, as: UInt8.self)!)
                audioConfigRate = 48000
            }
        }
    }

    // MARK: - Summary

    private mutating func noteTimestamp(_ timestamp: UInt32) {
        if firstTimestamp == nil { firstTimestamp = timestamp }
        if lastTimestamp.map({ timestamp > $0 }) ?? true { lastTimestamp = timestamp }
    }

    private mutating func warn(_ message: String) {
        warnings += 1
        lastWarning = message
    }

    /// What was observed so far. Computing it sorts the keyframe distances: call it when reporting, not per tag
    /// (`hasCodecs` is cheap).
    public var info: StreamInfo {
        var result = StreamInfo(
            video: video, audio: audio, metadata: metadata, firstTimestamp: firstTimestamp,
            lastTimestamp: lastTimestamp, hasCodecs: hasCodecs)
        if var v = result.video {
            v.width = videoConfigWidth ?? metadata?["width"]?.numberValue.flatMap(Self.positiveInt)
            v.height = videoConfigHeight ?? metadata?["height"]?.numberValue.flatMap(Self.positiveInt)
            if let first = firstFrameTimestamp, let last = lastFrameTimestamp, last > first, v.frames > 1 {
                v.measuredFrameRate = Double(v.frames - 1) / (Double(last - first) / 1000)
            }
            let metadataRate = (metadata?["framerate"] ?? metadata?["videoframerate"])?.numberValue
            v.frameRate = metadataRate.flatMap { $0 > 0 && $0.isFinite ? $0 : nil } ?? videoConfigFrameRate
                ?? v.measuredFrameRate
            if !keyframeDistances.isEmpty {
                let sorted = keyframeDistances.sorted()
                let mid = sorted.count / 2
                let median =
                    sorted.count % 2 == 1 ? Double(sorted[mid]) : (Double(sorted[mid - 1]) + Double(sorted[mid])) / 2
                v.keyframeInterval = median / 1000
            }
            result.video = v
        }
        if var a = result.audio {
            a.sampleRate = audioConfigRate ?? audioFlagRate
                ?? metadata?["audiosamplerate"]?.numberValue.flatMap(Self.positiveInt)
            a.channels = audioConfigChannels ?? audioFlagChannels
                ?? metadata?["stereo"]?.boolValue.map { $0 ? 2 : 1 }
            a.sampleSize = audioFlagSize ?? metadata?["audiosamplesize"]?.numberValue.flatMap(Self.positiveInt)
            result.audio = a
        }
        return result
    }

    private static func positiveInt(_ value: Double) -> Int? {
        value.isFinite && value > 0 && value < 1e9 ? Int(value.rounded()) : nil
    }

    /// A standard onMetaData object from what was observed, keys in the order ffmpeg writes them: duration,
    /// width, height, videodatarate, framerate, videocodecid, audiodatarate, audiosamplerate, audiosamplesize,
    /// stereo, audiocodecid, encoder. Keys whose value is unknown are left out; data rates (kbit/s) need a
    /// duration (`duration`, else the observed timestamp span).
    public func makeOnMetaData(duration: Double?, encoder: String = "mediactl") -> AMF0Object {
        let info = self.info
        var object = AMF0Object()
        if let duration { object["duration"] = .number(duration) }
        let seconds = duration ?? info.durationSeconds
        func rate(_ bytes: Int64) -> AMF0Value? {
            guard let seconds, seconds > 0 else { return nil }
            return .number(Double(bytes) * 8 / 1000 / seconds)
        }
        if let v = info.video {
            if let width = v.width { object["width"] = .number(Double(width)) }
            if let height = v.height { object["height"] = .number(Double(height)) }
            if v.bytes > 0, let r = rate(v.bytes) { object["videodatarate"] = r }
            if let frameRate = v.frameRate { object["framerate"] = .number(frameRate) }
            if let codec = v.codecID { object["videocodecid"] = .number(codec.metadataCodecID) }
        }
        if let a = info.audio {
            if a.bytes > 0, let r = rate(a.bytes) { object["audiodatarate"] = r }
            if let sampleRate = a.sampleRate { object["audiosamplerate"] = .number(Double(sampleRate)) }
            if let sampleSize = a.sampleSize { object["audiosamplesize"] = .number(Double(sampleSize)) }
            if let channels = a.channels { object["stereo"] = .boolean(channels >= 2) }
            if let codec = a.codecID { object["audiocodecid"] = .number(codec.metadataCodecID) }
        }
        object["encoder"] = .string(encoder)
        return object
    }
}
