import CFFmpeg
import NIOCore

/// Turns one RTMS stream's audio and video messages into an FLV file (or byte stream): H.264 remuxed, JPG/PNG
/// encoded to H.264 with libx264, every audio codec encoded to AAC.
///
/// Push style: append messages in arrival order with their RTMS timestamps (Unix ms), then `finish()`. FLV
/// needs every stream and its codec configuration before the header, so packets are held back until each
/// declared stream has its first usable unit (an H.264 keyframe, a decodable picture, any audio); a stream that
/// has none `streamWaitMs` after another stream started is left out (see `FLVRemuxSummary.notes`).
///
/// Not thread-safe: use one remuxer from one task at a time. After an error the remuxer is spent.
public final class FLVRemuxer {
    private enum StreamState {
        case waiting
        case ready
        case dropped
        case absent
    }

    private enum Kind {
        case audio
        case video
    }

    /// An H.264 access unit waiting in the reorderer.
    private struct VideoUnit {
        var packet: OwnedPacket
        var isKeyframe: Bool
    }

    private let configuration: FLVRemuxConfiguration
    private let audioCodec: RTMSAudioCodec?
    private let videoCodec: RTMSVideoCodec?
    private let muxer: FLVMuxer
    private var summary = FLVRemuxSummary()
    private var sessionStartMs: Int64?
    private var mediaClockMs: Int64 = 0
    private var waitDeadlineMs: Int64?
    private var headerWritten = false
    private var finished = false
    private var failure: String?
    private var pending: [(packet: OwnedPacket, kind: Kind)] = []

    private var audioState: StreamState
    private var audioStreamIndex: Int32 = -1
    private let aac: (any PCMToAAC)?
    private let audioDecoder: LibavAudioDecoder?
    /// Set when the configuration has a `pcmFilter`: the audio then goes through it on its way to `aac`.
    private let filtered: FilteredPCM?
    private var audioTimeline: AudioTimeline
    private var audioOut = MonotonicTimestamps()

    private var videoState: StreamState
    private var videoStreamIndex: Int32 = -1
    private let reframer: H264Reframer?
    private var reorderer = PresentationReorderer<VideoUnit>()
    private var parameterSets: [UInt8]? = nil
    private var latestParameterSets: [UInt8] = []
    private let pictureEncoder: PictureEncoder?
    private var videoIn = MonotonicTimestamps()
    private var videoOut = MonotonicTimestamps()
    private var lastVideoDts: Int64?
    private var lastVideoDtsStep: Int64 = 0
    private var firstPacketMs: Int64?
    private var lastPacketEndMs: Int64?

    /// `audio` / `video`: what the stream carries (nil: none). Opens the output at once.
    public init(configuration: FLVRemuxConfiguration, audio: RTMSAudioCodec?, video: RTMSVideoCodec?) throws {
        guard audio != nil || video != nil else {
            throw RemuxError("FLV remuxer: neither audio nor video was declared")
        }
        try loadLibav()
        av_log_set_level(configuration.libavLogLevel.rawValue)
        self.configuration = configuration
        audioCodec = audio
        videoCodec = video
        let sampleRate = audio?.pcmSampleRate ?? 16000
        audioTimeline = AudioTimeline(sampleRate: sampleRate, gapThresholdMs: configuration.gapFillThresholdMs)

        if let audio {
            let channels = audio.pcmChannels
            if case .l16(let rate, _) = audio, ![8000, 16000, 32000, 48000].contains(rate) {
                throw RemuxError("L16 audio at \(rate) Hz: RTMS sends 8000, 16000, 32000 or 48000 Hz")
            }
            guard channels == 1 || channels == 2 else {
                throw RemuxError("audio with \(channels) channels: RTMS sends mono or stereo")
            }
            let aac = try Self.makeAACEncoder(sampleRate: sampleRate, channels: channels, configuration: configuration)
            self.aac = aac
            filtered = configuration.pcmFilter.map { FilteredPCM(filter: $0, encoder: aac) }
            switch audio {
            case .l16: audioDecoder = nil
            case .g711mu: audioDecoder = try LibavAudioDecoder(codecID: AV_CODEC_ID_PCM_MULAW, sampleRate: 8000, channels: 1)
            case .g711a: audioDecoder = try LibavAudioDecoder(codecID: AV_CODEC_ID_PCM_ALAW, sampleRate: 8000, channels: 1)
            case .g722: audioDecoder = try LibavAudioDecoder(codecID: AV_CODEC_ID_ADPCM_G722, sampleRate: 16000, channels: 1)
            case .opus: audioDecoder = try LibavAudioDecoder(codecID: AV_CODEC_ID_OPUS, sampleRate: 48000, channels: channels)
            }
            audioState = .waiting
        } else {
            aac = nil
            audioDecoder = nil
            filtered = nil
            audioState = .absent
        }

        switch video {
        case .h264:
            reframer = try H264Reframer()
            pictureEncoder = nil
            videoState = .waiting
        case .jpeg, .png:
            reframer = nil
            pictureEncoder = try PictureEncoder(
                codec: video!,
                settings: .init(preset: configuration.x264Preset, bitrate: configuration.videoBitrate,
                                crf: configuration.videoCRF, keyframeIntervalMs: configuration.keyframeIntervalMs))
            videoState = .waiting
        case nil:
            reframer = nil
            pictureEncoder = nil
            videoState = .absent
        }
        muxer = try FLVMuxer(output: configuration.output)
        if let latency = aac?.packetLatencyMicroseconds, latency > 0 {
            // Audio packets come late (a few segments): let the video wait for them in the interleaving queue.
            muxer.allowInterleavingDelay(microseconds: latency * 2)
        }
    }

    private static func makeAACEncoder(sampleRate: Int, channels: Int, configuration: FLVRemuxConfiguration) throws -> any PCMToAAC {
        let threads = audioEncoderThreads(configuration, sampleRate: sampleRate, channels: channels)
        if threads > 1 {
            return try SegmentedAACEncoder(sampleRate: sampleRate, channels: channels, bitrate: configuration.audioBitrate, workers: threads)
        }
        return try AACEncoder(sampleRate: sampleRate, channels: channels, bitrate: configuration.audioBitrate)
    }

    /// AAC encoders at work at once: 1 for a sink (live output), else as configured, else one per core (at most
    /// `maximumDefaultAudioThreads`) for a file or stdout whose bitrate leaves the encoder's rate control nothing
    /// to converge to, else 1.
    ///
    /// Why the bitrate: libavcodec's AAC rate control starts every encoder at the same quality and then moves it
    /// by at most 10 % per frame towards what the bitrate allows, so a fresh encoder per segment restarts that
    /// climb. With at least 4 bits per sample and channel (16 kHz mono at 64 or 96 kbit/s, the RTMS default) a 1 kHz
    /// tone decodes from segments as from one encoder, window by window (Tests/RemuxTests/SegmentedAudioTests);
    /// measured once by hand (README, `rtms replay --flv` against ffmpeg): at 2 bits (16 kHz mono at 32 kbit/s) one
    /// encoder keeps improving for a minute and segments stay at its first level, and at 1 bit (48 kHz stereo at
    /// 96 kbit/s) the climb takes 5 s of every segment.
    static func audioEncoderThreads(_ configuration: FLVRemuxConfiguration, sampleRate: Int, channels: Int) -> Int {
        if case .sink = configuration.output { return 1 }
        if let chosen = configuration.audioEncoderThreads { return max(chosen, 1) }
        let bitsPerSample = Double(min(configuration.audioBitrate, 6 * sampleRate * channels)) / Double(sampleRate * channels)
        return bitsPerSample >= 4 ? min(System.coreCount, maximumDefaultAudioThreads) : 1
    }

    /// Audio trails by up to (workers + 1) segments of 8 s, and the muxer holds the video that long: a bound on
    /// that memory for machines with many cores.
    static let maximumDefaultAudioThreads = 8

    /// One RTMS audio message payload (base64 already decoded) at its RTMS timestamp.
    public func appendAudio(_ payload: ByteBuffer, timestampMs: Int64) throws {
        try guarded("audio message at \(timestampMs) ms") {
            guard let audioCodec, let aac else {
                throw RemuxError("an audio message arrived but the remuxer was created without audio")
            }
            let time = try rebase(timestampMs)
            if audioState == .dropped {
                summary.messagesIgnored += 1
                return
            }
            if audioState == .waiting {
                audioState = .ready
                startWaitClock(at: time)
            }
            let silence = audioTimeline.silenceBefore(messageAtMs: time, samplesSoFar: aac.samplesAppended)
            if silence > 0 {
                if let filtered {
                    try filtered.appendSilence(silence, emitAudio)
                } else {
                    try aac.appendSilence(silence, emitAudio)
                }
                summary.silenceInsertedMs += silence * 1000 / Int64(aac.sampleRate)
            }
            if case .l16 = audioCodec {
                try payload.withUnsafeReadableBytes { bytes in
                    if let filtered {
                        try filtered.appendS16LittleEndian(bytes, emitAudio)
                    } else {
                        _ = try aac.appendS16LittleEndian(bytes, emitAudio)
                    }
                }
            } else if let audioDecoder {
                let decodable = try audioDecoder.decode(payload) { frame in try appendDecoded(frame) }
                if !decodable { summary.undecodableMessages += 1 }
            }
            try writeHeaderWhenReady()
        }
    }

    /// One RTMS video message at its RTMS timestamp: any chunk of an H.264 Annex B stream, or one whole JPG/PNG.
    /// `decoded`: that JPG/PNG already decoded (by a `PictureDecoder`, on another thread ahead of its turn); used
    /// when its codec is the stream's, else the payload is decoded here. The output is the same either way.
    public func appendVideo(_ payload: ByteBuffer, timestampMs: Int64, decoded: DecodedPicture? = nil) throws {
        try guarded("video message at \(timestampMs) ms") {
            guard videoCodec != nil else {
                throw RemuxError("a video message arrived but the remuxer was created without video")
            }
            let time = try rebase(timestampMs)
            if videoState == .dropped {
                summary.messagesIgnored += 1
                return
            }
            if let reframer {
                try reframer.append(payload, timestampMs: time, handleAccessUnit)
            } else if let pictureEncoder {
                let decodable: Bool
                if let decoded, decoded.codec == pictureEncoder.codec {
                    decodable = try pictureEncoder.append(decoded, timestampMs: videoIn.next(time), emitEncodedVideo)
                } else {
                    decodable = try pictureEncoder.append(payload, timestampMs: videoIn.next(time), emitEncodedVideo)
                }
                if !decodable { summary.undecodableMessages += 1 }
                if videoState == .waiting, pictureEncoder.encoder != nil {
                    videoState = .ready
                    startWaitClock(at: time)
                }
            }
            try writeHeaderWhenReady()
        }
    }

    /// The counts so far, for a live conversion: width and height once the first keyframe or picture is in,
    /// packets, silence, bytes handed to the output (`finish()` completes them).
    public var progress: FLVRemuxSummary {
        var current = summary
        if let pictureEncoder, pictureEncoder.width > 0 {
            current.width = Int(pictureEncoder.width)
            current.height = Int(pictureEncoder.height)
        }
        if let first = firstPacketMs, let last = lastPacketEndMs { current.durationMs = last - first }
        return current
    }

    /// Flushes parser, decoders and encoders, writes what is held back and the trailer, closes the output.
    public func finish() throws -> FLVRemuxSummary {
        try guarded("finish") {
            guard !finished else { throw RemuxError("finish() called twice") }
            finished = true
            if let reframer {
                try reframer.flush(handleAccessUnit)
                for output in reorderer.finish() { try writeVideoUnit(output) }
            }
            if let pictureEncoder, videoState == .ready {
                try pictureEncoder.flush(emitEncodedVideo)
            }
            if let aac, audioState == .ready {
                if let audioDecoder {
                    try audioDecoder.flush { frame in try appendDecoded(frame) }
                }
                try aac.flush(emitAudio)
            }
            if !headerWritten {
                dropWaitingStreams(reason: "the recording ended")
                guard audioState == .ready || videoState == .ready else {
                    throw RemuxError("no usable media: \(describeMissing()); nothing to write")
                }
                try writeHeader()
            }
            summary.bytesWritten = try muxer.finish()
            summary.timestampsCorrected += videoIn.corrections + videoOut.corrections + audioOut.corrections
            summary.picturesReordered = reorderer.latePictures
            summary.picturesLetterboxed = pictureEncoder?.picturesLetterboxed ?? 0
            if let pictureEncoder, videoState == .ready {
                summary.width = Int(pictureEncoder.width)
                summary.height = Int(pictureEncoder.height)
            }
            if let first = firstPacketMs, let last = lastPacketEndMs { summary.durationMs = last - first }
            return summary
        }
    }

    // MARK: - Flow

    /// `what` names the call in errors; built only when there is one (not once per message).
    private func guarded<T>(_ what: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        if let failure { throw RemuxError("FLV remuxer already failed (\(failure)); \(what()) refused") }
        do {
            return try body()
        } catch let error as RemuxError {
            failure = error.message
            throw RemuxError("\(what()): \(error.message)")
        } catch {
            failure = "\(error)"
            throw error
        }
    }

    /// RTMS Unix ms to output ms.
    private func rebase(_ timestampMs: Int64) throws -> Int64 {
        if finished { throw RemuxError("message appended after finish()") }
        let start = sessionStartMs ?? configuration.sessionStartMs ?? timestampMs
        sessionStartMs = start
        var time = timestampMs - start
        if time < 0 {
            time = 0
            summary.timestampsCorrected += 1
        }
        // FLV: "Timestamp UI24 ... TimestampExtended UI8": 32 bits of milliseconds.
        guard time <= Int64(Int32.max) else {
            throw RemuxError("timestamp \(timestampMs) is \(time) ms after the session start, past FLV's 32-bit range")
        }
        mediaClockMs = max(mediaClockMs, time)
        return time
    }

    private func startWaitClock(at time: Int64) {
        if waitDeadlineMs == nil { waitDeadlineMs = time + Int64(configuration.streamWaitMs) }
    }

    private func writeHeaderWhenReady() throws {
        guard !headerWritten else { return }
        if let deadline = waitDeadlineMs, mediaClockMs >= deadline {
            dropWaitingStreams(reason: "it had nothing usable \(configuration.streamWaitMs) ms after the first stream began")
        }
        guard audioState != .waiting, videoState != .waiting else { return }
        guard audioState == .ready || videoState == .ready else { return }
        try writeHeader()
    }

    private func dropWaitingStreams(reason: String) {
        if videoState == .waiting {
            videoState = .dropped
            let what = videoCodec == .h264 ? "no H.264 keyframe with SPS and PPS" : "no decodable picture"
            summary.notes.append("video left out (\(what)): \(reason)")
        }
        if audioState == .waiting {
            audioState = .dropped
            summary.notes.append("audio left out (no audio message): \(reason)")
        }
    }

    private func describeMissing() -> String {
        var parts: [String] = []
        if videoCodec == .h264 { parts.append("no H.264 keyframe with SPS and PPS") }
        else if videoCodec != nil { parts.append("no decodable picture") }
        if audioCodec != nil { parts.append("no audio message") }
        return parts.joined(separator: ", ")
    }

    private func writeHeader() throws {
        if videoState == .ready {
            if let pictureEncoder, let encoder = pictureEncoder.encoder {
                videoStreamIndex = try muxer.addStream(from: encoder)
            } else if let parameterSets {
                videoStreamIndex = try muxer.addH264Stream(
                    parameterSets: parameterSets, width: Int32(summary.width ?? 0), height: Int32(summary.height ?? 0))
            }
            summary.hasVideo = true
        }
        if audioState == .ready, let aac {
            audioStreamIndex = try muxer.addStream(from: aac.context)
            summary.hasAudio = true
        }
        try muxer.writeHeader()
        headerWritten = true
        let held = pending
        pending = []
        for entry in held { try write(entry.packet, entry.kind) }
    }

    // MARK: - Video

    private func handleAccessUnit(_ unit: H264AccessUnit) throws {
        if videoState == .dropped {
            // Only reached for the unit the parser held when video was left out, or at finish.
            summary.framesDroppedBeforeKeyframe += 1
            return
        }
        if unit.hasSPS && unit.hasPPS { latestParameterSets = unit.parameterSets }
        if parameterSets == nil {
            // "nothing before the first keyframe": a decoder cannot start on anything else.
            guard unit.isKeyframe, !latestParameterSets.isEmpty else {
                summary.framesDroppedBeforeKeyframe += 1
                return
            }
            parameterSets = latestParameterSets
            summary.width = Int(unit.width)
            summary.height = Int(unit.height)
            videoState = .ready
            startWaitClock(at: unit.timestampMs)
        } else if unit.isKeyframe, unit.hasSPS, unit.hasPPS, unit.parameterSets != parameterSets {
            // New SPS/PPS (e.g. a resolution change): the flv muxer writes a new sequence header for this side data.
            parameterSets = unit.parameterSets
            let size = unit.parameterSets.count
            let sideData = try require(
                av_packet_new_side_data(unit.packet.pointer, AV_PKT_DATA_NEW_EXTRADATA, size),
                "av_packet_new_side_data(new extradata, \(size) bytes)")
            unit.parameterSets.withUnsafeBytes { sideData.update(from: $0.bindMemory(to: UInt8.self).baseAddress!, count: size) }
            let note = "H.264 parameter sets changed mid-stream (new sequence header written)"
            if !summary.notes.contains(note) { summary.notes.append(note) }
        }
        let dts = videoIn.next(unit.timestampMs)
        let outputs = reorderer.push(
            VideoUnit(packet: unit.packet, isKeyframe: unit.isKeyframe), dtsMs: dts,
            pictureOrder: unit.pictureOrder, startsSequence: unit.isKeyframe)
        for output in outputs { try writeVideoUnit(output) }
    }

    private func writeVideoUnit(_ output: PresentationReorderer<VideoUnit>.Output) throws {
        let packet = output.payload.packet.pointer
        packet.pointee.dts = output.dtsMs
        packet.pointee.pts = output.ptsMs
        if output.payload.isKeyframe { packet.pointee.flags |= AV_PKT_FLAG_KEY }
        try route(output.payload.packet, .video)
    }

    /// Packets from libx264: already in ms (its time base).
    private func emitEncodedVideo(_ packet: OwnedPacket) throws {
        try route(packet, .video)
    }

    // MARK: - Audio

    private func appendDecoded(_ frame: UnsafePointer<AVFrame>) throws {
        if let filtered {
            try filtered.append(decoded: frame, emitAudio)
        } else {
            try aac!.append(decoded: frame, emitAudio)
        }
    }

    /// Packets from the AAC encoder: samples to ms on the audio timeline.
    private func emitAudio(_ packet: OwnedPacket) throws {
        let pointer = packet.pointer
        let start = pointer.pointee.pts
        let end = start + pointer.pointee.duration
        let startMs = audioTimeline.milliseconds(ofSample: start)
        pointer.pointee.pts = startMs
        pointer.pointee.dts = startMs
        pointer.pointee.duration = audioTimeline.milliseconds(ofSample: end) - startMs
        try route(packet, .audio)
    }

    // MARK: - Output

    private func route(_ packet: OwnedPacket, _ kind: Kind) throws {
        let pointer = packet.pointer
        // Last line of defence: the muxer refuses a DTS that does not increase.
        var order = kind == .audio ? audioOut : videoOut
        let dts = order.next(pointer.pointee.dts)
        if dts != pointer.pointee.dts {
            pointer.pointee.pts += dts - pointer.pointee.dts
            pointer.pointee.dts = dts
        }
        if kind == .audio { audioOut = order } else { videoOut = order }
        if kind == .video {
            if let last = lastVideoDts { lastVideoDtsStep = dts - last }
            lastVideoDts = dts
            if pointer.pointee.duration <= 0 { pointer.pointee.duration = lastVideoDtsStep }
            summary.videoPackets += 1
        } else {
            summary.audioPackets += 1
        }
        let start = min(pointer.pointee.pts, pointer.pointee.dts)
        firstPacketMs = min(firstPacketMs ?? start, start)
        let end = pointer.pointee.pts + max(pointer.pointee.duration, 0)
        lastPacketEndMs = max(lastPacketEndMs ?? end, end)
        if headerWritten {
            try write(packet, kind)
        } else {
            pending.append((packet, kind))
        }
    }

    private func write(_ packet: OwnedPacket, _ kind: Kind) throws {
        let index = kind == .audio ? audioStreamIndex : videoStreamIndex
        guard index >= 0 else { return }
        try muxer.write(packet, streamIndex: index)
    }
}
