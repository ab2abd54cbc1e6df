import NIOCore

/// Payloads of the protocol control messages the chunk layer itself acts on (section 5.4): Set Chunk Size and Abort.
/// Both the chunk decoder (which applies them) and `RTMPBody` (which reports them) read them here.
extension ByteBuffer {
    /// Reads a Set Chunk Size payload.
    ///
    /// "0: This bit MUST be zero." "chunk size (31 bits): This field holds the new maximum chunk size, in bytes, which
    /// will be used for all of the sender's subsequent chunks until further notice. Valid sizes are 1 to 2147483647
    /// (0x7FFFFFFF) inclusive" (section 5.4.1). "The maximum chunk size SHOULD be at least 128 bytes, and MUST be at
    /// least 1 byte." (section 5.4.1)
    mutating func readRTMPSetChunkSize() throws -> UInt32 {
        guard let size = self.readInteger(as: UInt32.self) else {
            throw MediaError(
                .protocolViolation,
                "RTMP Set Chunk Size: payload has \(self.readableBytes) bytes, expected 4"
            )
        }
        guard size & 0x8000_0000 == 0 else {
            throw MediaError(
                .protocolViolation,
                "RTMP Set Chunk Size: chunk size 0x\(String(size, radix: 16)) has its high bit set (bit 0 MUST be zero)"
            )
        }
        guard size >= 1 else {
            throw MediaError(.protocolViolation, "RTMP Set Chunk Size: chunk size 0 (MUST be at least 1 byte)")
        }
        return size
    }

    mutating func writeRTMPSetChunkSize(_ size: UInt32) {
        self.writeInteger(size)
    }

    /// Reads an Abort Message payload.
    ///
    /// "chunk stream ID (32 bits): This field holds the chunk stream ID, whose current message is to be discarded."
    /// (section 5.4.2)
    mutating func readRTMPAbortChunkStreamID() throws -> UInt32 {
        guard let id = self.readInteger(as: UInt32.self) else {
            throw MediaError(.protocolViolation, "RTMP Abort Message: payload has \(self.readableBytes) bytes, expected 4")
        }
        return id
    }
}
