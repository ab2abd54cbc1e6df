import NIOCore

/// CRC-32C (Castagnoli; RFC 3720 §B.4: polynomial 0x1EDC6F41, reflected 0x82F63B78, initial value and final XOR
/// 0xFFFFFFFF), the checksum of RTMS recording records. Slicing-by-8: eight table lookups per eight bytes.
public enum CRC32C {
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[n] = c
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = t[(k - 1) * 256 + n]
                t[k * 256 + n] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    /// The CRC-32C of `bytes`, continuing from `crc` (the value returned for the bytes before; 0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        tables.withUnsafeBufferPointer { tp in
            let t = tp.baseAddress!
            var c = ~crc
            guard var p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return crc }
            var n = bytes.count
            while n >= 8 {
                let lo = c ^ (UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24)
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int(lo >> 8 & 0xFF)]
                    ^ t[5 * 256 + Int(lo >> 16 & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(p[4])] ^ t[2 * 256 + Int(p[5])] ^ t[256 + Int(p[6])] ^ t[Int(p[7])]
                p += 8
                n -= 8
            }
            while n > 0 {
                c = (c >> 8) ^ t[Int((c ^ UInt32(p[0])) & 0xFF)]
                p += 1
                n -= 1
            }
            return ~c
        }
    }

    /// The CRC-32C of the readable bytes of `buffer`, continuing from `crc`.
    public static func checksum(_ buffer: ByteBuffer, continuing crc: UInt32 = 0) -> UInt32 {
        buffer.withUnsafeReadableBytes { checksum($0, continuing: crc) }
    }
}
