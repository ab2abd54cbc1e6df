import NIOCore

/// Base64 (RFC 4648 §4, standard alphabet) for RTMS media payloads: `content.data` of audio, video and share
/// messages is "base64-encoded binary". Table-driven: every input byte is looked up once, and validity is checked
/// once per message rather than per character.
public enum RTMSBase64 {
    /// RFC 4648 §4: "The Base 64 Alphabet".
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    /// Four 256-entry tables, one per position in a quantum, holding the character's 6 bits already shifted into
    /// place; a character outside the alphabet sets bits 24-31, so OR-ing a whole message and testing once finds it.
    private static let decodeTable: [UInt32] = {
        var table = [UInt32](repeating: 0xFF00_0000, count: 4 * 256)
        alphabet.withUTF8Buffer { chars in
            for (value, char) in chars.enumerated() {
                let v = UInt32(value)
                table[Int(char)] = v << 18
                table[256 + Int(char)] = v << 12
                table[512 + Int(char)] = v << 6
                table[768 + Int(char)] = v
            }
        }
        return table
    }()

    /// Decodes base64 text. Accepts padded text and unpadded text (length not a multiple of 4); refuses any
    /// character outside the alphabet, whitespace included, and an impossible length, with
    /// `MediaError(.malformedInput, "invalid base64 at offset N: ...")`.
    public static func decode(_ text: some StringProtocol) throws -> ByteBuffer {
        if let decoded = try text.utf8.withContiguousStorageIfAvailable({ try decode(UnsafeRawBufferPointer($0)) }) {
            return decoded
        }
        return try Array(text.utf8).withUnsafeBytes { try decode($0) }
    }

    /// Decodes the readable bytes of `encoded` (base64 text); see `decode(_: some StringProtocol)`.
    public static func decode(_ encoded: ByteBuffer) throws -> ByteBuffer {
        try encoded.withUnsafeReadableBytes { try decode($0) }
    }

    /// Decodes base64 text held in raw memory; see `decode(_: some StringProtocol)`.
    public static func decode(_ encoded: UnsafeRawBufferPointer) throws -> ByteBuffer {
        let n = encoded.count
        guard n > 0 else { return ByteBuffer() }
        let input = encoded.baseAddress!.assumingMemoryBound(to: UInt8.self)
        // RFC 4648 §3.2: padding "=" only at the end, making the length a multiple of 4.
        var significant = n
        if n % 4 == 0 {
            if input[n - 1] == UInt8(ascii: "=") { significant -= 1 }
            if input[n - 2] == UInt8(ascii: "=") && significant == n - 1 { significant -= 1 }
        }
        let tail = significant % 4
        guard tail != 1 else {
            try throwInvalidCharacter(input, count: significant)
            throw MediaError(.malformedInput, "invalid base64 at offset \(n - 1): \(n) characters cannot encode whole bytes")
        }
        let quads = significant / 4
        let outputCount = quads * 3 + (tail == 0 ? 0 : tail - 1)
        var output = ByteBufferAllocator().buffer(capacity: outputCount)
        var errors: UInt32 = 0
        decodeTable.withUnsafeBufferPointer { tablePointer in
            let t = tablePointer.baseAddress!
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: outputCount) { raw in
                guard outputCount > 0 else { return 0 }
                let out = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                var seen: UInt32 = 0
                var p = input
                var o = out
                for _ in 0..<quads {
                    let x = t[Int(p[0])] | t[256 + Int(p[1])] | t[512 + Int(p[2])] | t[768 + Int(p[3])]
                    seen |= x
                    o[0] = UInt8(truncatingIfNeeded: x >> 16)
                    o[1] = UInt8(truncatingIfNeeded: x >> 8)
                    o[2] = UInt8(truncatingIfNeeded: x)
                    p += 4
                    o += 3
                }
                if tail == 2 {
                    let x = t[Int(p[0])] | t[256 + Int(p[1])]
                    seen |= x
                    o[0] = UInt8(truncatingIfNeeded: x >> 16)
                } else if tail == 3 {
                    let x = t[Int(p[0])] | t[256 + Int(p[1])] | t[512 + Int(p[2])]
                    seen |= x
                    o[0] = UInt8(truncatingIfNeeded: x >> 16)
                    o[1] = UInt8(truncatingIfNeeded: x >> 8)
                }
                errors = seen
                return outputCount
            }
        }
        if errors & 0xFF00_0000 != 0 { try throwInvalidCharacter(input, count: significant) }
        return output
    }

    /// The failure path: finds the first character outside the alphabet and throws with its offset.
    private static func throwInvalidCharacter(_ input: UnsafePointer<UInt8>, count: Int) throws {
        let table = decodeTable
        for offset in 0..<count where table[Int(input[offset])] & 0xFF00_0000 != 0 {
            let byte = input[offset]
            let shown =
                byte >= 0x21 && byte < 0x7F
                ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
            throw MediaError(.malformedInput, "invalid base64 at offset \(offset): \(shown) is not in the alphabet")
        }
    }

    /// Encodes bytes as padded base64 text (RFC 4648 §4).
    public static func encode(_ bytes: ByteBuffer) -> String {
        bytes.withUnsafeReadableBytes { encode($0) }
    }

    /// Encodes raw memory as padded base64 text (RFC 4648 §4).
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        let n = bytes.count
        guard n > 0 else { return "" }
        let outputCount = (n + 2) / 3 * 4
        let input = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        return alphabet.withUTF8Buffer { a in
            String(unsafeUninitializedCapacity: outputCount) { out in
                var i = 0
                var o = 0
                while i + 3 <= n {
                    let x = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                    out[o] = a[Int(x >> 18)]
                    out[o + 1] = a[Int(x >> 12 & 0x3F)]
                    out[o + 2] = a[Int(x >> 6 & 0x3F)]
                    out[o + 3] = a[Int(x & 0x3F)]
                    i += 3
                    o += 4
                }
                if n - i == 1 {
                    let x = UInt32(input[i]) << 16
                    out[o] = a[Int(x >> 18)]
                    out[o + 1] = a[Int(x >> 12 & 0x3F)]
                    out[o + 2] = UInt8(ascii: "=")
                    out[o + 3] = UInt8(ascii: "=")
                } else if n - i == 2 {
                    let x = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
                    out[o] = a[Int(x >> 18)]
                    out[o + 1] = a[Int(x >> 12 & 0x3F)]
                    out[o + 2] = a[Int(x >> 6 & 0x3F)]
                    out[o + 3] = UInt8(ascii: "=")
                }
                return outputCount
            }
        }
    }
}
