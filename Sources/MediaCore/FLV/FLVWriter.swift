import NIOCore

/// Writes FLV files: the header (with PreviousTagSize0), then tags each followed by their PreviousTagSize.
public enum FLVWriter {
    /// Writes the 9-byte header, any padding up to `dataOffset`, and "PreviousTagSize0 UI32: Always 0".
    public static func write(_ header: FLVHeader, into buffer: inout ByteBuffer) {
        buffer.writeBytes(FLVHeader.signature)
        buffer.writeInteger(header.version)
        // TypeFlagsReserved UB[5], TypeFlagsAudio UB[1], TypeFlagsReserved UB[1], TypeFlagsVideo UB[1]
        let flags: UInt8 = (header.hasAudio ? 0x04 : 0) | (header.hasVideo ? 0x01 : 0)
        buffer.writeInteger(flags)
        let dataOffset = max(header.dataOffset, UInt32(FLVHeader.size))
        buffer.writeInteger(dataOffset)
        if dataOffset > UInt32(FLVHeader.size) {
            buffer.writeRepeatingByte(0, count: Int(dataOffset) - FLVHeader.size)
        }
        buffer.writeInteger(0 as UInt32)
    }

    /// Writes `tag` (its type, timestamp, stream id and data; `offset` is ignored) and its PreviousTagSize:
    /// "Size of previous tag, including its header, in bytes. For FLV version 1, this value is 11 plus the
    /// DataSize of the previous tag."
    ///
    /// - Precondition: `tag.data.readableBytes` fits in 24 bits (RTMP message lengths are 24 bits too).
    public static func write(_ tag: FLVTag, into buffer: inout ByteBuffer) {
        var data = tag.data
        let size = data.readableBytes
        precondition(size <= FLVLimits.maxTagDataSize, "FLV tag data of \(size) bytes does not fit in 24 bits")
        buffer.reserveCapacity(minimumWritableBytes: FLVTag.headerSize + size + 4)
        buffer.writeInteger(tag.type.rawValue)
        writeUInt24(UInt32(size), into: &buffer)
        writeUInt24(tag.timestamp & 0xFF_FFFF, into: &buffer)
        buffer.writeInteger(UInt8(truncatingIfNeeded: tag.timestamp >> 24))
        writeUInt24(tag.streamID & 0xFF_FFFF, into: &buffer)
        buffer.writeBuffer(&data)
        buffer.writeInteger(UInt32(FLVTag.headerSize + size))
    }

    /// Writes a tag of `type` at `timestamp` (milliseconds) with stream id 0, and its PreviousTagSize.
    public static func write(type: FLVTagType, timestamp: UInt32, data: ByteBuffer, into buffer: inout ByteBuffer) {
        write(FLVTag(type: type, timestamp: timestamp, data: data), into: &buffer)
    }

    static func writeUInt24(_ value: UInt32, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(truncatingIfNeeded: value >> 16))
        buffer.writeInteger(UInt16(truncatingIfNeeded: value))
    }
}
