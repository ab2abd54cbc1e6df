import NIOCore

/// The four chunk message header formats, selected by the basic header's `fmt` field (section 5.3.1.2).
enum RTMPChunkHeaderType: UInt8, Sendable {
    /// "Type 0 chunk headers are 11 bytes long. This type MUST be used at the start of a chunk stream, and whenever
    /// the stream timestamp goes backward" (section 5.3.1.2.1): timestamp, length, type id, message stream id.
    case type0 = 0
    /// "Type 1 chunk headers are 7 bytes long. The message stream ID is not included" (section 5.3.1.2.2):
    /// timestamp delta, length, type id.
    case type1 = 1
    /// "Type 2 chunk headers are 3 bytes long. Neither the stream ID nor the message length is included"
    /// (section 5.3.1.2.3): timestamp delta.
    case type2 = 2
    /// "Type 3 chunks have no message header." (section 5.3.1.2.4)
    case type3 = 3

    /// Length of the chunk message header that follows the basic header.
    var messageHeaderLength: Int {
        switch self {
        case .type0: return 11
        case .type1: return 7
        case .type2: return 3
        case .type3: return 0
        }
    }
}

/// "If the timestamp is greater than or equal to 16777215 (hexadecimal 0xFFFFFF), this field MUST be 16777215,
/// indicating the presence of the Extended Timestamp field to encode the full 32 bit timestamp." (section 5.3.1.2.1)
let rtmpExtendedTimestampMarker: UInt32 = 0xFF_FFFF

extension ByteBuffer {
    /// The length of the basic header for `chunkStreamID`.
    ///
    /// "An implementation SHOULD use the smallest representation that can hold the ID." (section 5.3.1.1)
    static func rtmpBasicHeaderLength(chunkStreamID: UInt32) -> Int {
        chunkStreamID < 64 ? 1 : (chunkStreamID < 320 ? 2 : 3)
    }

    /// Writes a chunk basic header.
    ///
    /// "Chunk stream IDs 2-63 can be encoded in the 1-byte version of this field." "Chunk stream IDs 64-319 can be
    /// encoded in the 2-byte form of the header. ID is computed as (the second byte + 64)." "Chunk stream IDs
    /// 64-65599 can be encoded in the 3-byte version of this field. ID is computed as ((the third byte)*256 + (the
    /// second byte) + 64)." (section 5.3.1.1)
    @discardableResult
    mutating func writeRTMPBasicHeader(format: UInt8, chunkStreamID: UInt32) -> Int {
        let fmt = format << 6
        if chunkStreamID < 64 {
            return self.writeInteger(fmt | UInt8(truncatingIfNeeded: chunkStreamID))
        } else if chunkStreamID < 320 {
            return self.writeMultipleIntegers(fmt, UInt8(truncatingIfNeeded: chunkStreamID - 64))
        } else {
            // (third byte) * 256 + (second byte): the 16-bit value is little-endian.
            return self.writeMultipleIntegers(fmt | 1, UInt16(truncatingIfNeeded: chunkStreamID - 64).byteSwapped)
        }
    }

    /// Reads a chunk basic header at `index` without moving the reader index: nil when it is not complete yet.
    ///
    /// "cs id (6 bits): This field contains the chunk stream ID, for values from 2-63. Values 0 and 1 are used to
    /// indicate the 2- or 3-byte versions of this field." (section 5.3.1.1)
    func getRTMPBasicHeader(at index: Int) -> (format: RTMPChunkHeaderType, chunkStreamID: UInt32, length: Int)? {
        guard let first = self.getInteger(at: index, as: UInt8.self) else { return nil }
        let format = RTMPChunkHeaderType(rawValue: first >> 6)!
        switch first & 0x3F {
        case 0:
            guard let second = self.getInteger(at: index + 1, as: UInt8.self) else { return nil }
            return (format, UInt32(second) + 64, 2)
        case 1:
            guard let value = self.getInteger(at: index + 1, endianness: .little, as: UInt16.self) else { return nil }
            return (format, UInt32(value) + 64, 3)
        case let id:
            return (format, UInt32(id), 1)
        }
    }

    /// A 3-byte big-endian field (timestamp, timestamp delta, message length).
    func getRTMPUInt24(at index: Int) -> UInt32? {
        guard let high = self.getInteger(at: index, as: UInt16.self),
            let low = self.getInteger(at: index + 2, as: UInt8.self)
        else { return nil }
        return UInt32(high) << 8 | UInt32(low)
    }
}
