import Foundation
import MediaCore

/// The names `rtms listen` accepts for protocol codes: the core's own snake_case names (`RTMSNamedCode.name`),
/// with `-` allowed for `_`, or the numbers themselves.
enum ListenNames {
    /// "audio,transcript" -> audio|transcript; "all" -> all.
    static func mediaTypes(_ list: String) throws -> RTMSMediaType {
        var types = RTMSMediaType()
        for item in list.split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard let type = RTMSMediaType(key: name) else {
                throw MediaError(.usage, "--media \(list): unknown media type '\(name)' (audio, video, deskshare, transcript, chat, all)")
            }
            types.insert(type)
        }
        guard !types.isEmpty else { throw MediaError(.usage, "--media: no media type given") }
        return types
    }

    /// A code by name or number, e.g. `RTMSCodec` from "h264" or "7".
    static func code<Code: RTMSNamedCode>(_ type: Code.Type, _ text: String, flag: String) throws -> Code {
        let key = normalised(text)
        if let number = Int(key) { return Code(rawValue: number) }
        guard let match = Code.knownNames.first(where: { $0.value == key }) else {
            let names = Code.knownNames.sorted { $0.key < $1.key }.map(\.value).joined(separator: ", ")
            throw MediaError(.usage, "\(flag) \(text): expected one of \(names)")
        }
        return Code(rawValue: match.key)
    }

    static func audioDataOption(_ text: String) throws -> RTMSDataOption {
        switch normalised(text) {
        case "mixed", "audio_mixed", "1": return .audioMixed
        case "per_participant", "multi_streams", "audio_multi_streams", "2": return .audioMultiStreams
        default: throw MediaError(.usage, "--audio-data \(text): expected mixed or per-participant")
        }
    }

    static func videoDataOption(_ text: String) throws -> RTMSDataOption {
        switch normalised(text) {
        case "active_speaker", "video_single_active_speaker", "3": return .videoSingleActiveSpeaker
        case "individual", "video_single_individual_stream", "4": return .videoSingleIndividualStream
        case "gallery", "video_mixed_gallery_view", "5": return .videoMixedGalleryView
        default: throw MediaError(.usage, "--video-data \(text): expected active-speaker, individual or gallery")
        }
    }

    static func language(_ text: String) throws -> RTMSTranscriptLanguage {
        try code(RTMSTranscriptLanguage.self, text, flag: "--transcript-language")
    }

    /// "active_speaker_change,participant_join" or "2,3"; "none" for no subscription.
    static func events(_ list: String) throws -> [RTMSEventType] {
        if normalised(list) == "none" { return [] }
        return try list.split(separator: ",").map {
            try code(RTMSEventType.self, $0.trimmingCharacters(in: .whitespaces), flag: "--events")
        }
    }

    private static func normalised(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
    }
}
