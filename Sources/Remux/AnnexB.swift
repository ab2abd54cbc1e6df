#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// H.264 NAL unit types this target looks at (ITU-T H.264 Table 7-1).
enum H264NALType {
    /// "Coded slice of an IDR picture"
    static let idrSlice: UInt8 = 5
    /// "Sequence parameter set"
    static let sps: UInt8 = 7
    /// "Picture parameter set"
    static let pps: UInt8 = 8
}

/// Walks the NAL units of an Annex B byte string (ITU-T H.264 Annex B: each NAL unit is preceded by the start
/// code prefix 0x000001, optionally with a leading zero byte). Uses `memchr` to find the 0x01 of each start code.
struct AnnexBScanner {
    struct NALUnit {
        /// `nal_unit_type`, the low 5 bits of the first byte.
        var type: UInt8
        /// The NAL unit's bytes, without its start code.
        var range: Range<Int>
    }

    /// Calls `body` for every NAL unit of `bytes`, in order.
    static func forEachNALUnit(in bytes: UnsafeRawBufferPointer, _ body: (NALUnit) throws -> Void) rethrows {
        guard let base = bytes.baseAddress, bytes.count >= 4 else { return }
        var currentStart: Int? = nil
        var searchFrom = 2
        while searchFrom < bytes.count {
            guard let hit = memchr(base + searchFrom, 1, bytes.count - searchFrom) else { break }
            let one = base.distance(to: UnsafeRawPointer(hit))
            searchFrom = one + 1
            guard bytes[one - 1] == 0, bytes[one - 2] == 0 else { continue }
            // A zero before 00 00 01 belongs to the start code (4-byte form) or is trailing_zero_8bits.
            var prefixStart = one - 2
            while prefixStart > (currentStart ?? 0), bytes[prefixStart - 1] == 0 { prefixStart -= 1 }
            if let start = currentStart, prefixStart > start {
                try body(NALUnit(type: bytes[start] & 0x1F, range: start..<prefixStart))
            }
            currentStart = one + 1
            searchFrom = one + 3
        }
        if let start = currentStart, start < bytes.count {
            try body(NALUnit(type: bytes[start] & 0x1F, range: start..<bytes.count))
        }
    }

    /// The parameter sets of an access unit as Annex B (each SPS and PPS behind a 4-byte start code), in the
    /// order they appear, or an empty array when it holds none; and whether it holds an IDR slice.
    static func inspectAccessUnit(_ bytes: UnsafeRawBufferPointer) -> (parameterSets: [UInt8], hasIDR: Bool, hasSPS: Bool, hasPPS: Bool) {
        var parameterSets: [UInt8] = []
        var hasIDR = false
        var hasSPS = false
        var hasPPS = false
        forEachNALUnit(in: bytes) { nal in
            switch nal.type {
            case H264NALType.idrSlice:
                hasIDR = true
            case H264NALType.sps, H264NALType.pps:
                if nal.type == H264NALType.sps { hasSPS = true } else { hasPPS = true }
                parameterSets.append(contentsOf: [0, 0, 0, 1])
                parameterSets.append(contentsOf: bytes[nal.range])
            default:
                break
            }
        }
        return (parameterSets, hasIDR, hasSPS, hasPPS)
    }
}
