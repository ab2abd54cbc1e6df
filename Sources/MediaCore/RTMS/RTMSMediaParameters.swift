/// `media_params` of media handshake requests (3) and responses (4). Reference: "Media parameters (media_params)
/// are optional. If not specified, the default values will be used." Every field is optional for that reason, and
/// fields this build does not know are kept in `extra`.
public struct RTMSMediaParameters: Sendable, Equatable {
    public var audio: RTMSAudioParameters?
    public var video: RTMSVideoParameters?
    public var deskshare: RTMSVideoParameters?
    public var transcript: RTMSTranscriptParameters?
    public var chat: RTMSChatParameters?
    public var extra: [JSONField]

    public init(
        audio: RTMSAudioParameters? = nil, video: RTMSVideoParameters? = nil, deskshare: RTMSVideoParameters? = nil,
        transcript: RTMSTranscriptParameters? = nil, chat: RTMSChatParameters? = nil, extra: [JSONField] = []
    ) {
        self.audio = audio
        self.video = video
        self.deskshare = deskshare
        self.transcript = transcript
        self.chat = chat
        self.extra = extra
    }

    public var isEmpty: Bool { audio == nil && video == nil && deskshare == nil && transcript == nil && chat == nil && extra.isEmpty }

    /// Only the parameters of the types in `types` (all of them for `.all`); nil when nothing is left, so a
    /// request without parameters leaves `media_params` out.
    public func restricted(to types: RTMSMediaType) -> RTMSMediaParameters? {
        if types.contains(.all) { return isEmpty ? nil : self }
        let kept = RTMSMediaParameters(
            audio: types.contains(.audio) ? audio : nil, video: types.contains(.video) ? video : nil,
            deskshare: types.contains(.deskshare) ? deskshare : nil,
            transcript: types.contains(.transcript) ? transcript : nil, chat: types.contains(.chat) ? chat : nil)
        return kept.isEmpty ? nil : kept
    }

    init(json: JSONValue, context: String) throws {
        var r = try RTMSFieldReader(object: json, context: context)
        audio = try r.object("audio").map { try RTMSAudioParameters(fields: $0, context: context + ".audio") }
        video = try r.object("video").map { try RTMSVideoParameters(fields: $0, context: context + ".video") }
        deskshare = try r.object("deskshare").map {
            try RTMSVideoParameters(fields: $0, context: context + ".deskshare")
        }
        transcript = try r.object("transcript").map {
            try RTMSTranscriptParameters(fields: $0, context: context + ".transcript")
        }
        chat = try r.object("chat").map { try RTMSChatParameters(fields: $0, context: context + ".chat") }
        extra = r.rest
    }

    /// Reference order: audio, video, deskshare, transcript, chat.
    var json: JSONValue {
        var w = RTMSFieldWriter()
        w.add("audio", audio?.json)
        w.add("video", video?.json)
        w.add("deskshare", deskshare?.json)
        w.add("transcript", transcript?.json)
        w.add("chat", chat?.json)
        w.append(extra)
        return w.object
    }
}

/// Audio `media_params`. Reference: "send_rate (audio) int The send rate of the audio stream in milliseconds (ms).
/// Must be a multiple of 20, up to 1000 ms."
public struct RTMSAudioParameters: Sendable, Equatable {
    public var contentType: RTMSContentType?
    public var sampleRate: RTMSAudioSampleRate?
    public var channel: RTMSAudioChannel?
    public var codec: RTMSCodec?
    public var dataOption: RTMSDataOption?
    public var sendRate: Int64?
    public var extra: [JSONField]

    public init(
        contentType: RTMSContentType? = nil, sampleRate: RTMSAudioSampleRate? = nil,
        channel: RTMSAudioChannel? = nil, codec: RTMSCodec? = nil, dataOption: RTMSDataOption? = nil,
        sendRate: Int64? = nil, extra: [JSONField] = []
    ) {
        self.contentType = contentType
        self.sampleRate = sampleRate
        self.channel = channel
        self.codec = codec
        self.dataOption = dataOption
        self.sendRate = sendRate
        self.extra = extra
    }

    init(fields: [JSONField], context: String) throws {
        var r = RTMSFieldReader(fields, context: context)
        contentType = try r.code("content_type")
        sampleRate = try r.code("sample_rate")
        channel = try r.code("channel")
        codec = try r.code("codec")
        dataOption = try r.code("data_opt")
        sendRate = try r.int("send_rate")
        extra = r.rest
    }

    var json: JSONValue {
        var w = RTMSFieldWriter()
        w.add("content_type", contentType)
        w.add("sample_rate", sampleRate)
        w.add("channel", channel)
        w.add("codec", codec)
        w.add("data_opt", dataOption)
        w.add("send_rate", sendRate)
        w.append(extra)
        return w.object
    }
}

/// Video and screen share `media_params`. Reference: "codec (video) ... Can be JPG or PNG when fps <= 5 and H.264
/// when fps > 5." (screen share: "when fps <= 1 and H.264 when fps > 1"); "fps ... Maximum of 30."
public struct RTMSVideoParameters: Sendable, Equatable {
    public var contentType: RTMSContentType?
    public var codec: RTMSCodec?
    public var resolution: RTMSResolution?
    public var dataOption: RTMSDataOption?
    public var fps: Int64?
    public var extra: [JSONField]

    public init(
        contentType: RTMSContentType? = nil, codec: RTMSCodec? = nil, resolution: RTMSResolution? = nil,
        dataOption: RTMSDataOption? = nil, fps: Int64? = nil, extra: [JSONField] = []
    ) {
        self.contentType = contentType
        self.codec = codec
        self.resolution = resolution
        self.dataOption = dataOption
        self.fps = fps
        self.extra = extra
    }

    init(fields: [JSONField], context: String) throws {
        var r = RTMSFieldReader(fields, context: context)
        contentType = try r.code("content_type")
        codec = try r.code("codec")
        resolution = try r.code("resolution")
        dataOption = try r.code("data_opt")
        fps = try r.int("fps")
        extra = r.rest
    }

    var json: JSONValue {
        var w = RTMSFieldWriter()
        w.add("content_type", contentType)
        w.add("codec", codec)
        w.add("resolution", resolution)
        w.add("data_opt", dataOption)
        w.add("fps", fps)
        w.append(extra)
        return w.object
    }
}

/// Transcript `media_params`. Reference: "src_language ... If not specified, English will be the default language
/// for the first 30 seconds"; "enable_lid ... Default is true and Language Identification is enabled."
public struct RTMSTranscriptParameters: Sendable, Equatable {
    public var contentType: RTMSContentType?
    public var sourceLanguage: RTMSTranscriptLanguage?
    public var enableLanguageIdentification: Bool?
    public var extra: [JSONField]

    public init(
        contentType: RTMSContentType? = nil, sourceLanguage: RTMSTranscriptLanguage? = nil,
        enableLanguageIdentification: Bool? = nil, extra: [JSONField] = []
    ) {
        self.contentType = contentType
        self.sourceLanguage = sourceLanguage
        self.enableLanguageIdentification = enableLanguageIdentification
        self.extra = extra
    }

    init(fields: [JSONField], context: String) throws {
        var r = RTMSFieldReader(fields, context: context)
        contentType = try r.code("content_type")
        sourceLanguage = try r.code("src_language")
        enableLanguageIdentification = try r.bool("enable_lid")
        extra = r.rest
    }

    var json: JSONValue {
        var w = RTMSFieldWriter()
        w.add("content_type", contentType)
        w.add("src_language", sourceLanguage)
        w.add("enable_lid", enableLanguageIdentification)
        w.append(extra)
        return w.object
    }
}

/// Chat `media_params` (reference: "Chat data is not supported yet.").
public struct RTMSChatParameters: Sendable, Equatable {
    public var contentType: RTMSContentType?
    public var extra: [JSONField]

    public init(contentType: RTMSContentType? = nil, extra: [JSONField] = []) {
        self.contentType = contentType
        self.extra = extra
    }

    init(fields: [JSONField], context: String) throws {
        var r = RTMSFieldReader(fields, context: context)
        contentType = try r.code("content_type")
        extra = r.rest
    }

    var json: JSONValue {
        var w = RTMSFieldWriter()
        w.add("content_type", contentType)
        w.append(extra)
        return w.object
    }
}
