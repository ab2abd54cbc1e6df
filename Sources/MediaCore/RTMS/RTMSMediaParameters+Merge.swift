/// Field-by-field merging of media parameters, for servers that answer a media handshake: reference, "Media
/// parameters (media_params) are optional. If not specified, the default values will be used." and "The media
/// connection responds with confirmed parameters of the requested media types."
extension RTMSMediaParameters {
    /// These parameters with every field `other` sets replaced by `other`'s value; a type only `other` has is taken
    /// whole.
    public func overlaid(by other: RTMSMediaParameters) -> RTMSMediaParameters {
        RTMSMediaParameters(
            audio: merge(audio, other.audio) { $0.overlaid(by: $1) },
            video: merge(video, other.video) { $0.overlaid(by: $1) },
            deskshare: merge(deskshare, other.deskshare) { $0.overlaid(by: $1) },
            transcript: merge(transcript, other.transcript) { $0.overlaid(by: $1) },
            chat: merge(chat, other.chat) { $0.overlaid(by: $1) },
            extra: extra.isEmpty ? other.extra : extra)
    }

    /// The reference's defaults for each type: audio "L16, 16 kHz, mono, mixed" (notes: "Defaults of the protocol")
    /// in raw audio content, sent every 20 ms; video "The default is JPG with an fps of 5", "The default is HD",
    /// active speaker; screen share "The default is JPG with an fps of 1", "The default is FHD"; transcript in text
    /// content, "English will be the default language", "Default is true and Language Identification is enabled";
    /// chat in text content.
    public static let referenceDefaults = RTMSMediaParameters(
        audio: RTMSAudioParameters(
            contentType: .rawAudio, sampleRate: .hz16000, channel: .mono, codec: .l16, dataOption: .audioMixed,
            sendRate: 20),
        video: RTMSVideoParameters(
            contentType: .rawVideo, codec: .jpg, resolution: .hd, dataOption: .videoSingleActiveSpeaker, fps: 5),
        deskshare: RTMSVideoParameters(contentType: .rawVideo, codec: .jpg, resolution: .fhd, fps: 1),
        transcript: RTMSTranscriptParameters(
            contentType: .text, sourceLanguage: .english, enableLanguageIdentification: true),
        chat: RTMSChatParameters(contentType: .text))

    /// Only the parameters of the single types in `types` (a type without parameters here is left out).
    public func keeping(_ types: RTMSMediaType) -> RTMSMediaParameters {
        let singles = types.singleTypes
        return RTMSMediaParameters(
            audio: singles.contains(.audio) ? audio : nil, video: singles.contains(.video) ? video : nil,
            deskshare: singles.contains(.deskshare) ? deskshare : nil,
            transcript: singles.contains(.transcript) ? transcript : nil,
            chat: singles.contains(.chat) ? chat : nil)
    }

    private func merge<T>(_ a: T?, _ b: T?, _ combine: (T, T) -> T) -> T? {
        switch (a, b) {
        case (let a?, let b?): return combine(a, b)
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (nil, nil): return nil
        }
    }
}

extension RTMSAudioParameters {
    func overlaid(by o: RTMSAudioParameters) -> RTMSAudioParameters {
        RTMSAudioParameters(
            contentType: o.contentType ?? contentType, sampleRate: o.sampleRate ?? sampleRate,
            channel: o.channel ?? channel, codec: o.codec ?? codec, dataOption: o.dataOption ?? dataOption,
            sendRate: o.sendRate ?? sendRate, extra: o.extra.isEmpty ? extra : o.extra)
    }
}

extension RTMSVideoParameters {
    func overlaid(by o: RTMSVideoParameters) -> RTMSVideoParameters {
        RTMSVideoParameters(
            contentType: o.contentType ?? contentType, codec: o.codec ?? codec, resolution: o.resolution ?? resolution,
            dataOption: o.dataOption ?? dataOption, fps: o.fps ?? fps, extra: o.extra.isEmpty ? extra : o.extra)
    }
}

extension RTMSTranscriptParameters {
    func overlaid(by o: RTMSTranscriptParameters) -> RTMSTranscriptParameters {
        RTMSTranscriptParameters(
            contentType: o.contentType ?? contentType, sourceLanguage: o.sourceLanguage ?? sourceLanguage,
            enableLanguageIdentification: o.enableLanguageIdentification ?? enableLanguageIdentification,
            extra: o.extra.isEmpty ? extra : o.extra)
    }
}

extension RTMSChatParameters {
    func overlaid(by o: RTMSChatParameters) -> RTMSChatParameters {
        RTMSChatParameters(contentType: o.contentType ?? contentType, extra: o.extra.isEmpty ? extra : o.extra)
    }
}
