import NIOCore

/// Limits of the FLV reader, checked before any byte of the item they bound is buffered.
public enum FLVLimits {
    /// "DataSize UI24": a tag body cannot be longer than 2^24 - 1 bytes. A reader may be given a lower limit.
    public static let maxTagDataSize = 0xFF_FFFF
    /// The largest header DataOffset accepted. Version 1 headers are 9 bytes; a larger offset only skips padding,
    /// and a hostile one must not make the reader wait for (or buffer) gigabytes.
    public static let maxHeaderDataOffset = 64 * 1024
}

/// An incremental FLV reader for files and pipes: `append` bytes as they arrive (any sizes), call `next()` until
/// it returns nil (needs more bytes), and `finish()` at the end of the input.
///
/// Tag data are zero-copy slices of the appended buffers. Bytes are copied only for an item (header or tag) that
/// straddles two appended buffers: the part already held and the missing part go into one fresh buffer of exactly
/// the item's size, so every input byte is copied at most once.
///
/// PreviousTagSize values that do not match the tag before them are counted in `warnings`, not thrown: many
/// writers get them wrong, and the tags themselves are still well delimited by DataSize.
public struct FLVReader: Sendable {
    public enum Event: Sendable, Equatable {
        case header(FLVHeader)
        case tag(FLVTag)
    }

    private enum State: Sendable {
        case header
        /// Expecting a PreviousTagSize; `expected` is 0 for PreviousTagSize0 ("Always 0").
        case previousTagSize(expected: UInt32, sawTag: Bool)
        case tag
    }

    private var state: State = .header
    /// The buffer being read. Its reader index is at stream offset `offset`.
    private var buffer = ByteBuffer()
    /// Buffers appended while `buffer` still had unread bytes, in order.
    private var pending = CircularBuffer<ByteBuffer>()
    private var pendingBytes = 0
    private var consumed: Int64 = 0
    private let maxTagDataSize: Int

    /// PreviousTagSize mismatches and other tolerated irregularities seen so far.
    public private(set) var warnings = 0
    /// A description of the last irregularity counted in `warnings`.
    public private(set) var lastWarning: String?

    /// - Parameter maxTagDataSize: tags with a longer body are rejected before they are buffered.
    public init(maxTagDataSize: Int = FLVLimits.maxTagDataSize) {
        self.maxTagDataSize = maxTagDataSize
    }

    /// Bytes consumed so far: the stream offset of the next unread byte.
    public var offset: Int64 { consumed }

    /// Bytes appended but not consumed yet.
    public var bufferedBytes: Int { buffer.readableBytes + pendingBytes }

    public mutating func append(_ bytes: ByteBuffer) {
        guard bytes.readableBytes > 0 else { return }
        if buffer.readableBytes == 0 && pending.isEmpty {
            buffer = bytes
        } else {
            pending.append(bytes)
            pendingBytes += bytes.readableBytes
        }
    }

    /// The next header or tag, or nil when more bytes are needed.
    public mutating func next() throws -> Event? {
        while true {
            switch state {
            case .header:
                // Say "not an FLV file" as soon as the first bytes disagree, not only once 9 bytes arrived.
                let prefix = min(FLVHeader.signature.count, bufferedBytes)
                if prefix > 0, ensure(prefix),
                    buffer.getBytes(at: buffer.readerIndex, length: prefix)! != Array(FLVHeader.signature[..<prefix])
                {
                    throw MediaError(.malformedInput, "not an FLV file: expected 'FLV' at byte \(consumed)")
                }
                guard ensure(FLVHeader.size) else { return nil }
                let header = try peekHeader()
                let dataOffset = Int(header.dataOffset)
                guard ensure(dataOffset) else { return nil }
                buffer.moveReaderIndex(forwardBy: dataOffset)
                consumed += Int64(dataOffset)
                state = .previousTagSize(expected: 0, sawTag: false)
                return .header(header)

            case .previousTagSize(let expected, _):
                guard ensure(4) else { return nil }
                let at = consumed
                let size = buffer.readInteger(as: UInt32.self)!
                consumed += 4
                if size != expected {
                    warn("PreviousTagSize at byte \(at) is \(size), expected \(expected)")
                }
                state = .tag

            case .tag:
                guard ensure(FLVTag.headerSize) else { return nil }
                let at = consumed
                let index = buffer.readerIndex
                let first = buffer.getInteger(at: index, as: UInt8.self)!
                let dataSize = Int(getUInt24(at: index + 1))
                // "Filter UB[1] ... 1 = Pre-processing (such as decryption) of the packet is required".
                if first & 0x20 != 0 {
                    throw MediaError(
                        .malformedInput,
                        "encrypted FLV tag (filter bit set, type \(first & 0x1F)) at byte \(at): not supported")
                }
                guard let type = FLVTagType(rawValue: first & 0x1F) else {
                    throw MediaError(.malformedInput, "unknown FLV tag type \(first & 0x1F) at byte \(at)")
                }
                guard dataSize <= maxTagDataSize else {
                    throw MediaError(
                        .malformedInput,
                        "FLV tag at byte \(at) has a data size of \(dataSize) bytes, "
                            + "over the limit of \(maxTagDataSize)")
                }
                // `ensure` may move the bytes into a new buffer: read the rest of the header after it.
                guard ensure(FLVTag.headerSize + dataSize) else { return nil }
                let tagIndex = buffer.readerIndex
                let timestamp = getUInt24(at: tagIndex + 4)
                    | UInt32(buffer.getInteger(at: tagIndex + 7, as: UInt8.self)!) << 24
                let streamID = getUInt24(at: tagIndex + 8)
                buffer.moveReaderIndex(forwardBy: FLVTag.headerSize)
                let data = buffer.readSlice(length: dataSize)!
                consumed += Int64(FLVTag.headerSize + dataSize)
                state = .previousTagSize(expected: UInt32(FLVTag.headerSize + dataSize), sawTag: true)
                return .tag(FLVTag(type: type, timestamp: timestamp, streamID: streamID, data: data, offset: at))
            }
        }
    }

    /// Call at the end of the input, after `next()` returned nil: throws if a partial header or tag remains.
    /// A file that ends right after a tag without its trailing PreviousTagSize is accepted with a warning.
    public mutating func finish() throws {
        let remaining = bufferedBytes
        switch state {
        case .header:
            throw MediaError(
                .malformedInput,
                remaining == 0
                    ? "not an FLV file: empty input"
                    : "truncated FLV header at byte \(consumed): \(remaining) of at least \(FLVHeader.size) bytes")
        case .previousTagSize(_, let sawTag):
            if remaining == 0 {
                if sawTag { warn("the last tag has no PreviousTagSize after it") }
                return
            }
            throw MediaError(
                .malformedInput, "truncated FLV tag at byte \(consumed): \(remaining) of 4 bytes of PreviousTagSize")
        case .tag:
            guard remaining > 0 else { return }
            var needed = FLVTag.headerSize
            if remaining >= 4 {
                _ = ensure(4)
                needed += Int(getUInt24(at: buffer.readerIndex + 1))
            }
            throw MediaError(
                .malformedInput,
                "truncated FLV tag at byte \(consumed): \(remaining) of \(needed) bytes (header and data) present")
        }
    }

    // MARK: - Buffering

    /// Makes `buffer` hold at least `count` readable bytes if enough were appended; false if not yet.
    private mutating func ensure(_ count: Int) -> Bool {
        if buffer.readableBytes >= count { return true }
        guard buffer.readableBytes + pendingBytes >= count else { return false }
        if buffer.readableBytes == 0 {
            // The first pending buffer may hold the whole item: take it without copying.
            buffer = pending.removeFirst()
            pendingBytes -= buffer.readableBytes
            if buffer.readableBytes >= count { return true }
        }
        // The item straddles buffers: copy exactly its bytes into a fresh buffer (not into `buffer`, whose storage
        // is shared with tags already handed out, and whose already-read bytes a copy-on-write would copy too).
        var merged = ByteBufferAllocator().buffer(capacity: count)
        merged.writeBuffer(&buffer)
        while merged.readableBytes < count {
            var next = pending.removeFirst()
            pendingBytes -= next.readableBytes
            let take = min(count - merged.readableBytes, next.readableBytes)
            var part = next.readSlice(length: take)!
            merged.writeBuffer(&part)
            if next.readableBytes > 0 {
                pending.prepend(next)
                pendingBytes += next.readableBytes
            }
        }
        buffer = merged
        return true
    }

    private func getUInt24(at index: Int) -> UInt32 {
        UInt32(buffer.getInteger(at: index, as: UInt8.self)!) << 16
            | UInt32(buffer.getInteger(at: index + 1, as: UInt16.self)!)
    }

    private func peekHeader() throws -> FLVHeader {
        let index = buffer.readerIndex
        guard buffer.getBytes(at: index, length: 3)! == FLVHeader.signature else {
            throw MediaError(.malformedInput, "not an FLV file: expected 'FLV' at byte \(consumed)")
        }
        let version = buffer.getInteger(at: index + 3, as: UInt8.self)!
        let flags = buffer.getInteger(at: index + 4, as: UInt8.self)!
        let dataOffset = buffer.getInteger(at: index + 5, as: UInt32.self)!
        guard dataOffset >= UInt32(FLVHeader.size), dataOffset <= UInt32(FLVLimits.maxHeaderDataOffset) else {
            throw MediaError(
                .malformedInput,
                "FLV header DataOffset \(dataOffset) at byte \(consumed + 5) is outside "
                    + "\(FLVHeader.size)...\(FLVLimits.maxHeaderDataOffset)")
        }
        return FLVHeader(
            version: version, hasAudio: flags & 0x04 != 0, hasVideo: flags & 0x01 != 0, dataOffset: dataOffset)
    }

    private mutating func warn(_ message: String) {
        warnings += 1
        lastWarning = message
    }
}
