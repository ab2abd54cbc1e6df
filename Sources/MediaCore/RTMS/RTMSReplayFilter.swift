/// Which lines `rtms replay` prints: by type (`--types audio,transcript,...`) and by participant (`--user ID`).
/// Works on the JSON objects, so recorded markers are filtered like events.
public struct RTMSReplayFilter: Sendable, Equatable {
    /// The names `--types` takes: the `type` field without "rtms.".
    public static let typeNames: [String] = [
        "audio", "video", "share", "transcript", "chat", "event", "session", "stream", "connected", "disconnect",
        "reconnect", "error", "metadata", "unknown", "end", "note",
    ]

    /// Type names to keep, nil for all.
    public var types: Set<String>?
    /// Keep only lines about this participant: media from them (`user_id`), events naming them (`user_id` or
    /// `participants`).
    public var userID: Int64?

    public init(types: Set<String>? = nil, userID: Int64? = nil) {
        self.types = types
        self.userID = userID
    }

    /// "audio,video" -> ["audio", "video"]; "deskshare" is taken for "share". Throws `.usage` for an unknown name.
    public static func parseTypes(_ text: String) throws -> Set<String> {
        var names = Set<String>()
        for raw in text.split(separator: ",").map({ $0.rtmsTrimmed() }) where !raw.isEmpty {
            let name = raw == "deskshare" ? "share" : raw.hasPrefix("rtms.") ? String(raw.dropFirst(5)) : raw
            guard typeNames.contains(name) else {
                throw MediaError(.usage, "unknown type '\(raw)' in --types (known: \(typeNames.joined(separator: ",")))")
            }
            names.insert(name)
        }
        guard !names.isEmpty else { throw MediaError(.usage, "--types names no type") }
        return names
    }

    public func accepts(_ line: JSONValue) -> Bool {
        if let types {
            guard let type = line["type"]?.stringValue, type.hasPrefix("rtms."), types.contains(String(type.dropFirst(5)))
            else { return false }
        }
        if let userID {
            if line["user_id"]?.intValue == userID { return true }
            guard let participants = line["participants"]?.arrayValue else { return false }
            return participants.contains { $0["user_id"]?.intValue == userID }
        }
        return true
    }
}
