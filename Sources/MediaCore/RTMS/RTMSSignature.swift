import Crypto

/// The handshake signature. Notes, "Signature": "`signature = lowercase hex(HMAC-SHA256(key: client secret,
/// message: "<client_id>,<id>,<rtms_stream_id>"))` where `<id>` is `meeting_uuid` for meetings and webinars,
/// `session_id` for Video SDK sessions and `engagement_id` for Contact Center. The same signature is sent in every
/// media handshake."
public enum RTMSSignature {
    public static func sign(clientID: String, clientSecret: String, id: String, streamID: String) -> String {
        RTMSHex.hmacSHA256(key: clientSecret, message: Array("\(clientID),\(id),\(streamID)".utf8))
    }
}

/// Lowercase hex and HMAC-SHA256 helpers shared by the signature and the webhook checks.
enum RTMSHex {
    static func hmacSHA256(key: String, message: [UInt8]) -> String {
        encode(hmacSHA256Bytes(key: key, message: message))
    }

    static func hmacSHA256Bytes(key: String, message: [UInt8]) -> [UInt8] {
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(key.utf8)))
        return Array(code)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hex text (either case) to bytes; nil for an odd length or a non-hex character.
    static func decode(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Compares two byte strings of equal length in time that does not depend on where they differ.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
