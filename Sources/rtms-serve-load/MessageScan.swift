import MediaCore
import NIOCore

/// Cheap looks into RTMS messages for the load client, so that measuring does not cost more than serving: the
/// `msg_type` of a message that starts with it (as every message the emulator sends does), and the last integer
/// `"timestamp":` of a media message (its `content.timestamp`), found from the end without parsing the base64 data.
enum MessageScan {
    static let msgTypePrefix = Array(#"{"msg_type":"#.utf8)
    static let timestampKey = Array(#""timestamp":"#.utf8)

    static func msgType(_ bytes: ByteBuffer) -> Int? {
        bytes.withUnsafeReadableBytes { raw -> Int? in
            guard raw.count > msgTypePrefix.count, raw.starts(with: msgTypePrefix) else { return nil }
            return integer(raw, from: msgTypePrefix.count).map { Int($0) }
        }
    }

    static func lastTimestamp(_ bytes: ByteBuffer) -> Int64? {
        bytes.withUnsafeReadableBytes { raw -> Int64? in
            let key = timestampKey
            var i = raw.count - key.count
            while i >= 0 {
                if raw[i] == key[0] && raw[i + key.count - 1] == key[key.count - 1]
                    && (0..<key.count).allSatisfy({ raw[i + $0] == key[$0] })
                {
                    return integer(raw, from: i + key.count)
                }
                i -= 1
            }
            return nil
        }
    }

    private static func integer(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int64? {
        var value: Int64 = 0
        var i = start
        while i < raw.count, raw[i] >= UInt8(ascii: "0"), raw[i] <= UInt8(ascii: "9") {
            value = value * 10 + Int64(raw[i] - UInt8(ascii: "0"))
            i += 1
        }
        return i > start ? value : nil
    }
}
