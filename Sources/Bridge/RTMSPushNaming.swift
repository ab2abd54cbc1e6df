import MediaCore
import MediaTransport

/// Where `rtms listen --push URL` publishes each stream it joins: every stream needs its own RTMP stream name.
///
/// The URL may hold placeholders, replaced for each stream: `{stream}` by its `rtms_stream_id` and `{meeting}`
/// by its meeting UUID (webinar UUID, session id or engagement id), each in a form safe in a URL path (bytes
/// outside `A-Z a-z 0-9 . _ -` replaced by `_`, and a checksum of the original appended when anything changed;
/// the rule of the recording directories). The stream name is then the URL's last path segment (before any
/// `?query`). When that name is already being published by another stream of this process (no placeholder, or
/// `{meeting}` for two streams of one meeting), `-2`, `-3`, ... is appended to it: the lowest number not in use.
public struct RTMSPushNaming: Sendable {
    public static let streamPlaceholder = "{stream}"
    public static let meetingPlaceholder = "{meeting}"

    public let template: String

    /// Checks that the template is a usable RTMP URL with a stream name once its placeholders are filled in;
    /// throws `.usage` otherwise.
    public init(template: String) throws {
        self.template = template
        _ = try Self.parse(fill(streamID: "stream", instance: "meeting"))
    }

    /// A stream's URL (placeholders filled with sample values) when every stream's URL names the same host, for
    /// checking that host before any stream joins; nil when a placeholder is in the host (it is known only then).
    public var sameHostURL: RTMPURL? {
        let one = try? RTMPURL(fill(streamID: "stream", instance: "meeting"))
        let other = try? RTMPURL(fill(streamID: "other-stream", instance: "other-meeting"))
        guard let one, one.host == other?.host else { return nil }
        return one
    }

    public var hasPlaceholder: Bool {
        template.contains(Self.streamPlaceholder) || template.contains(Self.meetingPlaceholder)
    }

    /// The URL for a stream, its stream name (without query) and the number appended to it (nil: none), given
    /// the names other streams publish now.
    public func resolve(streamID: String, instance: String, inUse: Set<String>) throws -> (url: String, name: String, suffix: Int?) {
        let filled = fill(streamID: streamID, instance: instance)
        let base = try Self.parse(filled)
        guard inUse.contains(base) else { return (filled, base, nil) }
        let pathEnd = filled.firstIndex(of: "?") ?? filled.endIndex
        var number = 2
        while inUse.contains("\(base)-\(number)") { number += 1 }
        let url = String(filled[..<pathEnd]) + "-\(number)" + String(filled[pathEnd...])
        return (url, try Self.parse(url), number)
    }

    private func fill(streamID: String, instance: String) -> String {
        template
            .replacingAll(Self.streamPlaceholder, with: RTMSSafeName.of(streamID))
            .replacingAll(Self.meetingPlaceholder, with: RTMSSafeName.of(instance))
    }

    /// The stream name of a URL; `.usage` when it has none.
    private static func parse(_ url: String) throws -> String {
        let parsed = try RTMPURL(url)
        guard let name = parsed.streamNameWithoutQuery, !name.isEmpty else {
            throw MediaError(.usage, "no stream name in '\(parsed.redacted)': end the --push URL with /NAME (or /{stream})")
        }
        return name
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
