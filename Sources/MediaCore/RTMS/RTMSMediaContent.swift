import NIOCore

/// The five kinds of media message (msg_type 14-18) and their metadata messages (23-27).
public enum RTMSMediaKind: String, Sendable, CaseIterable {
    case audio
    case video
    case share
    case transcript
    case chat

    /// 14 audio, 15 video, 16 share, 17 transcript, 18 chat.
    public var messageType: Int {
        switch self {
        case .audio: return 14
        case .video: return 15
        case .share: return 16
        case .transcript: return 17
        case .chat: return 18
        }
    }

    /// 23-27 (notes: "23-27 metadata for audio / video / share / transcript / chat").
    public var metadataMessageType: Int { messageType + 9 }

    /// The media type bit that carries this kind (share travels as `deskshare`).
    public var mediaType: RTMSMediaType {
        switch self {
        case .audio: return .audio
        case .video: return .video
        case .share: return .deskshare
        case .transcript: return .transcript
        case .chat: return .chat
        }
    }

    /// Transcript and chat carry UTF-8 text in `data` ("The transcript data, UTF-8 encoded string."); audio, video
    /// and share carry base64 ("Audio data, base64-encoded binary.").
    public var isText: Bool { self == .transcript || self == .chat }
}

/// `content` of a media message (14-18). `data` holds the bytes: base64-decoded for audio, video and share; the
/// UTF-8 bytes of the text for transcript and chat. Reference field tables: "user_id int The unique identifier of
/// the participant whose audio is included in the data."; "user_name ... If the user_id in the RTP header is 0, no
/// user_name will be sent."; "channel_id string"; "length int The length of the original binary data before base64
/// encoding." (informative only: the reference's own example announces 1024 for a 640-byte payload);
/// "timestamp unsigned long The Unix timestamp of the data."; transcript adds "start_time", "end_time", "language".
public struct RTMSMediaContent: Sendable, Equatable {
    public var userID: Int64?
    public var userName: String?
    public var channelID: String?
    public var data: ByteBuffer
    public var length: Int64?
    public var timestamp: Int64?
    public var startTime: Int64?
    public var endTime: Int64?
    public var language: RTMSTranscriptLanguage?
    /// Other fields of `content`.
    public var contentExtra: [JSONField]
    /// Other fields of the message.
    public var extra: [JSONField]

    public init(
        userID: Int64? = nil, userName: String? = nil, channelID: String? = nil, data: ByteBuffer,
        length: Int64? = nil, timestamp: Int64? = nil, startTime: Int64? = nil, endTime: Int64? = nil,
        language: RTMSTranscriptLanguage? = nil, contentExtra: [JSONField] = [], extra: [JSONField] = []
    ) {
        self.userID = userID
        self.userName = userName
        self.channelID = channelID
        self.data = data
        self.length = length
        self.timestamp = timestamp
        self.startTime = startTime
        self.endTime = endTime
        self.language = language
        self.contentExtra = contentExtra
        self.extra = extra
    }

    /// `data` as text (transcript and chat).
    public var text: String { String(buffer: data) }

    init(reading r: inout RTMSFieldReader, kind: RTMSMediaKind) throws {
        guard let content = r.take("content") else {
            throw MediaError(.protocolViolation, "RTMS \(r.context): no content")
        }
        var c = try RTMSFieldReader(object: content, context: r.context + " content")
        userID = try c.int("user_id")
        userName = try c.string("user_name")
        channelID = try c.string("channel_id")
        let payload = try c.string("data") ?? ""
        if kind.isText {
            data = ByteBuffer(string: payload)
        } else {
            do {
                data = try RTMSBase64.decode(payload)
            } catch let error as MediaError {
                throw MediaError(.protocolViolation, "RTMS \(c.context).data: \(error.message)")
            }
        }
        length = try c.int("length")
        timestamp = try c.int("timestamp")
        startTime = try c.int("start_time")
        endTime = try c.int("end_time")
        language = try c.code("language")
        contentExtra = c.rest
        extra = r.rest
    }

    /// Reference orders: audio, video, share: user_id, user_name, channel_id, data, length, timestamp; transcript
    /// and chat: user_id, user_name, channel_id, start_time, end_time, timestamp, language, data.
    func write(to w: inout RTMSFieldWriter, kind: RTMSMediaKind) {
        var c = RTMSFieldWriter()
        c.add("user_id", userID)
        c.add("user_name", userName)
        c.add("channel_id", channelID)
        if kind.isText {
            c.add("start_time", startTime)
            c.add("end_time", endTime)
            c.add("timestamp", timestamp)
            c.add("language", language)
            c.add("data", text)
            c.add("length", length)
        } else {
            c.add("data", RTMSBase64.encode(data))
            c.add("length", length)
            c.add("timestamp", timestamp)
            c.add("start_time", startTime)
            c.add("end_time", endTime)
            c.add("language", language)
        }
        c.append(contentExtra)
        w.add("content", c.object)
        w.append(extra)
    }
}
