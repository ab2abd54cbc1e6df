import Foundation
import MediaCore

/// Readable lines for `rtms replay` without --json, made from the JSON line objects (so recorded markers read
/// like events): `   1.234  transcript  Alice Tester: "Good morning."`.
enum ReplayText {
    static func line(_ object: JSONValue, seconds: Double, showStream: Bool) -> String {
        let type = object["type"]?.stringValue.map { $0.hasPrefix("rtms.") ? String($0.dropFirst(5)) : $0 } ?? "?"
        var head = String(format: "%9.3f  ", seconds)
        if showStream, let stream = object["stream"]?.stringValue { head += "[\(stream.prefix(8))] " }
        head += type.padding(toLength: max(type.count, 10), withPad: " ", startingAt: 0) + "  "
        return head + details(type, object)
    }

    private static func details(_ type: String, _ o: JSONValue) -> String {
        switch type {
        case "audio", "video", "share":
            let bytes = o["bytes"]?.intValue.map { "\($0) bytes" } ?? ""
            return [who(o), bytes, o["ts"]?.intValue.map { "ts \($0)" }].compactMap { $0 }.filter { !$0.isEmpty }
                .joined(separator: "  ")
        case "transcript", "chat":
            let text = o["text"]?.stringValue ?? ""
            return (who(o).map { $0 + ": " } ?? "") + JSONValue.string(text).jsonString
        case "event":
            var parts = [o["event"]?.stringValue ?? "event_type \(o["event_type"]?.intValue ?? -1)"]
            if let person = who(o) { parts.append(person) }
            if let list = o["participants"]?.arrayValue {
                parts.append(list.map { p in p["user_name"]?.stringValue ?? p["user_id"]?.intValue.map(String.init) ?? "?" }.joined(separator: ", "))
            }
            return parts.joined(separator: "  ")
        case "session":
            return ["session", o["session_id"]?.stringValue, o["state_name"]?.stringValue ?? o["state"]?.intValue.map { "state \($0)" },
                o["stop_reason_name"]?.stringValue.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        case "stream":
            return [o["state_name"]?.stringValue ?? o["state"]?.intValue.map { "state \($0)" },
                o["reason_name"]?.stringValue.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        case "error":
            return o["message"]?.stringValue ?? o.jsonString
        case "note":
            return o["text"]?.stringValue ?? ""
        case "end":
            return [o["outcome"]?.stringValue, o["reason_name"]?.stringValue.map { "(\($0))" }].compactMap { $0 }
                .joined(separator: " ")
        default:
            guard case .object(let fields) = o else { return o.jsonString }
            return JSONValue.object(fields.filter { $0.key != "type" && $0.key != "stream" }).jsonString
        }
    }

    private static func who(_ o: JSONValue) -> String? {
        let name = o["user_name"]?.stringValue
        let id = o["user_id"]?.intValue
        switch (name, id) {
        case (let name?, let id?): return "\(name) (\(id))"
        case (let name?, nil): return name
        case (nil, let id?): return "user \(id)"
        case (nil, nil): return o["channel_id"]?.stringValue.map { "channel \($0)" }
        }
    }
}
