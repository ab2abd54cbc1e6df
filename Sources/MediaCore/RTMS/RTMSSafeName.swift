/// A name for an RTMS id (a stream id, a meeting UUID) that is safe as a file name and in a URL path: the id with
/// every byte outside `A-Z a-z 0-9 . _ -` replaced by `_`, at most 100 characters; when anything had to change,
/// `-` and the CRC-32C of the id in hex follow, so two ids never share a name by accident. Never empty, never
/// `.` or `..`. Recordings are stored under it; `rtms listen --push` fills its URL placeholders with it.
public enum RTMSSafeName {
    public static func of(_ id: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-".utf8)
        var bytes = Array(id.utf8.prefix(100))
        var changed = bytes.count != id.utf8.count
        for i in bytes.indices where !allowed.contains(bytes[i]) {
            bytes[i] = UInt8(ascii: "_")
            changed = true
        }
        var name = String(decoding: bytes, as: UTF8.self)
        if name.isEmpty || name.allSatisfy({ $0 == "." }) {
            name = "stream"
            changed = true
        }
        guard changed else { return name }
        let crc = Array(id.utf8).withUnsafeBytes { CRC32C.checksum($0) }
        let hex = String(crc, radix: 16)
        return name + "-" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
