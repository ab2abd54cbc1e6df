import MediaCore
import NIOCore
import Remux

/// What of an RTMS stream goes into the FLV: one video stream (FLV holds one) and the audio of everyone or of one
/// participant. Everyone: the mixed stream as sent (data_opt AUDIO_MIXED_STREAM, the default), or with one stream
/// per participant (AUDIO_MULTI_STREAMS, L16) their streams mixed by `RTMSAudioMixer`.
public struct RTMSFLVSelection: Sendable, Equatable {
    public enum VideoSource: String, Sendable, CaseIterable {
        /// Video messages (msg_type 15, `media_params.video`).
        case camera
        /// Screen share messages (msg_type 16, `media_params.deskshare`).
        case share
    }

    public var video: VideoSource
    /// Only audio messages whose `user_id` is this; nil: every audio message (the mixed stream).
    public var audioUserID: Int64?
    /// How long (ms of media time) the first media messages are held while the other stream's codec is not known
    /// yet (its media handshake response or first message): FLV needs every stream before the first packet.
    public var codecWaitMs: Int64

    public init(video: VideoSource = .camera, audioUserID: Int64? = nil, codecWaitMs: Int64 = 2_000) {
        self.video = video
        self.audioUserID = audioUserID
        self.codecWaitMs = codecWaitMs
    }
}

/// What a conversion took in and wrote.
public struct RTMSFLVResult: Sendable {
    public var summary: FLVRemuxSummary
    public var audioCodec: RTMSAudioCodec?
    public var videoCodec: RTMSVideoCodec?
    /// Audio and video messages handed to the remuxer.
    public var audioMessages = 0
    public var videoMessages = 0
    /// Media messages not selected: other participants' audio (--user), the other video source, no timestamp.
    public var messagesSkipped = 0
}

/// Turns RTMS messages, in the order they arrived, into an FLV: the confirmed media handshake parameters say
/// which codecs the media are in; the selected audio and video messages go into an `FLVRemuxer` at their RTMS
/// timestamps. The remuxer is created at the first selected media message, once both streams' codecs are known
/// (or `codecWaitMs` later); messages before then are held.
///
/// Not thread-safe: one task at a time (see `FLVPublishBridge` for the async, back-pressured use).
public final class RTMSFLVConverter {
    private enum Kind { case audio, video }

    public let selection: RTMSFLVSelection
    private let configuration: FLVRemuxConfiguration
    private var parameters = RTMSMediaParameters()
    private var remuxer: FLVRemuxer?
    private var held: [(kind: Kind, payload: ByteBuffer, timestampMs: Int64, userID: Int64, decoded: DecodedPicture?)] = []
    /// Set when the audio is one L16 stream per participant and no --user was chosen.
    private var mixer: RTMSAudioMixer?
    private var mixedUsers: Set<Int64> = []
    private var result: RTMSFLVResult
    private var finished = false

    public init(configuration: FLVRemuxConfiguration, selection: RTMSFLVSelection) {
        self.configuration = configuration
        self.selection = selection
        result = RTMSFLVResult(summary: FLVRemuxSummary())
    }

    /// Counts so far; the summary is the remuxer's so far (width and height once known), completed by `finish()`.
    public var progress: RTMSFLVResult {
        var current = result
        if !finished, let remuxer { current.summary = remuxer.progress }
        return current
    }

    /// One received message. Media handshake responses (4) teach the codecs; audio (14) and the selected video
    /// (15 or 16) are converted; everything else is ignored. Throws `RemuxError` from libav and `MediaError`
    /// (`.malformedInput`) for media parameters that name no usable codec. `decoded`: the message's picture
    /// already decoded by an `RTMSPicturePredecoder` (the same output, sooner).
    public func add(_ message: RTMSMessage, decoded: DecodedPicture? = nil) throws {
        switch message {
        case .dataHandshakeResponse(let response):
            if response.statusCode ?? 0 == 0, let confirmed = response.mediaParameters {
                parameters = parameters.overlaid(by: confirmed)
            }
        case .audio(let content):
            if let user = selection.audioUserID, content.userID != user {
                result.messagesSkipped += 1
                return
            }
            try media(.audio, content, decoded: nil)
        case .video(let content):
            try selection.video == .camera ? media(.video, content, decoded: decoded) : skip()
        case .share(let content):
            try selection.video == .share ? media(.video, content, decoded: decoded) : skip()
        default:
            break
        }
    }

    /// Finishes the FLV (the held messages first, when the remuxer had not started). Throws when nothing usable
    /// came (no media message, or none the remuxer could use).
    public func finish() throws -> RTMSFLVResult {
        guard !finished else { throw RemuxError("finish() called twice") }
        finished = true
        if remuxer == nil {
            guard !held.isEmpty else {
                throw MediaError(
                    .malformedInput,
                    "no audio or \(selection.video == .camera ? "camera video" : "screen share") messages to convert\(selection.audioUserID.map { " (audio only from user \($0))" } ?? "")")
            }
            try start()
        }
        if var mixer {
            for block in mixer.flush() { try remuxer!.appendAudio(block.pcm, timestampMs: block.timestampMs) }
            self.mixer = mixer
        }
        result.summary = try remuxer!.finish()
        if let mixer {
            result.summary.notes.append(
                "audio of \(mixedUsers.count) participant\(mixedUsers.count == 1 ? "" : "s") mixed (one stream each); \(mixer.framesDroppedLate * 1000 / Int64(mixer.sampleRate)) ms came too late for the mix\(mixer.discontinuities > 0 ? "; \(mixer.discontinuities) timestamp jump\(mixer.discontinuities == 1 ? "" : "s") of more than \(RTMSAudioMixer.maxGapMs / 1000) s rebased the mix" : "")")
        }
        return result
    }

    private func skip() {
        result.messagesSkipped += 1
    }

    private func media(_ kind: Kind, _ content: RTMSMediaContent, decoded: DecodedPicture?) throws {
        guard let timestamp = content.timestamp else {
            result.messagesSkipped += 1
            return
        }
        if kind == .audio { result.audioMessages += 1 } else { result.videoMessages += 1 }
        if let remuxer {
            try append(remuxer, kind, content.data, timestamp, userID: content.userID ?? 0, decoded: decoded)
            return
        }
        held.append((kind, content.data, timestamp, content.userID ?? 0, decoded))
        let knowsAudio = parameters.audio != nil || held.contains { $0.kind == .audio }
        let knowsVideo = videoParameters != nil || held.contains { $0.kind == .video }
        let waited = timestamp - held[0].timestampMs >= selection.codecWaitMs
        if (knowsAudio && knowsVideo) || waited { try start() }
    }

    private var videoParameters: RTMSVideoParameters? {
        selection.video == .camera ? parameters.video : parameters.deskshare
    }

    private func start() throws {
        let firstVideo = held.first { $0.kind == .video }?.payload
        let hasAudio = parameters.audio != nil || held.contains { $0.kind == .audio }
        let audio = hasAudio ? try RTMSFLVCodecs.audio(parameters.audio) : nil
        let video = try RTMSFLVCodecs.video(videoParameters, firstPayload: firstVideo)
        result.audioCodec = audio
        result.videoCodec = video
        if parameters.audio?.dataOption == .audioMultiStreams, selection.audioUserID == nil, let audio {
            // Reference: "2: AUDIO_MULTI_STREAMS": one stream per participant; summing needs the samples.
            guard case .l16(let rate, let channels) = audio else {
                throw MediaError(
                    .usage,
                    "the audio is one \(RTMSFLVCodecs.name(audio)) stream per participant; mixing them needs L16: choose one participant with --user ID")
            }
            mixer = RTMSAudioMixer(sampleRate: rate, channels: channels)
        }
        let remuxer = try FLVRemuxer(configuration: configuration, audio: audio, video: video)
        self.remuxer = remuxer
        let messages = held
        held = []
        for message in messages {
            try append(remuxer, message.kind, message.payload, message.timestampMs, userID: message.userID, decoded: message.decoded)
        }
    }

    /// A message of a kind the FLV was started without (its codec was not known in time) is skipped.
    private func append(
        _ remuxer: FLVRemuxer, _ kind: Kind, _ payload: ByteBuffer, _ timestamp: Int64, userID: Int64, decoded: DecodedPicture?
    ) throws {
        switch kind {
        case .audio:
            guard result.audioCodec != nil else {
                result.audioMessages -= 1
                return skip()
            }
            if var mixer {
                mixedUsers.insert(userID)
                let blocks = mixer.add(payload, userID: userID, timestampMs: timestamp)
                self.mixer = mixer
                for block in blocks { try remuxer.appendAudio(block.pcm, timestampMs: block.timestampMs) }
                return
            }
            try remuxer.appendAudio(payload, timestampMs: timestamp)
        case .video:
            guard result.videoCodec != nil else {
                result.videoMessages -= 1
                return skip()
            }
            try remuxer.appendVideo(payload, timestampMs: timestamp, decoded: decoded)
        }
    }
}
