import NIOCore

/// Hex vectors for the AMF0, FLV and codec tests: whitespace is ignored.
enum AMFFLVHex {
    static func buffer(_ hex: String) -> ByteBuffer {
        ByteBuffer(bytes: bytes(hex))
    }

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = hex.unicodeScalars.filter { !$0.properties.isWhitespace }.map { Character($0) }
        precondition(digits.count % 2 == 0, "odd hex digit count")
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            out.append(UInt8(String(digits[i...i + 1]), radix: 16)!)
            i += 2
        }
        return out
    }

    static func string(_ buffer: ByteBuffer) -> String {
        buffer.readableBytesView.map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}
