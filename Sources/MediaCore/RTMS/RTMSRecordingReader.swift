import NIOCore

/// The file header of a recording.
public struct RTMSRecordingHeader: Sendable, Equatable {
    public var version: UInt16
    public var flags: UInt16
    /// The metadata JSON object, whole.
    public var metadata: JSONValue
    /// Size of the header in bytes (where the first record starts).
    public var size: Int

    /// The stream the recording holds (metadata "stream"), nil when absent or unreadable.
    public var descriptor: RTMSStreamDescriptor? {
        metadata["stream"].flatMap { try? RTMSStreamDescriptor(json: $0) }
    }

    /// Metadata "created_us".
    public var createdMicros: UInt64? { metadata["created_us"]?.intValue.flatMap { UInt64(exactly: $0) } }
}

/// Reads a recording incrementally (`RTMSRecordingFormat.formatDescription`): `append` bytes as they are read and
/// call `next()` until it returns nil; at the end of the file call `inputEnded()` and drain `next()` once more. Reading stops at the first
/// damaged or incomplete record and `damage` says where and why; a damaged tail is not an error (a recording cut
/// short by SIGKILL is normal), only a file that is not a recording at all throws.
public struct RTMSRecordingReader: Sendable {
    private var buffer = ByteBuffer()
    /// Bytes dropped from the front of `buffer`: buffer positions plus this are file offsets.
    private var discarded = 0
    private var ended = false

    public private(set) var header: RTMSRecordingHeader?
    /// Set when reading stopped before the end: a bad record, or (after `inputEnded()`) an incomplete one.
    public private(set) var damage: RTMSRecordingDamage?
    /// File offset of the record `next()` returned last.
    public private(set) var lastRecordOffset: Int?

    public init() {}

    /// File offset of the first byte not yet consumed.
    public var offset: Int { discarded + buffer.readerIndex }

    /// Bytes received but not yet returned as records.
    public var bufferedBytes: Int { buffer.readableBytes }

    /// Adds the next bytes of the file.
    public mutating func append(_ bytes: ByteBuffer) {
        guard damage == nil, !ended else { return }
        if buffer.readerIndex > 1 << 16 && buffer.readerIndex > buffer.readableBytes {
            discarded += buffer.readerIndex
            buffer.discardReadBytes()
        }
        buffer.writeImmutableBuffer(bytes)
    }

    /// Says the file has no more bytes. Keep calling `next()` until it returns nil: then an incomplete record
    /// (or header) left at the end is reported in `damage`.
    public mutating func inputEnded() {
        ended = true
    }

    /// The next complete record, or nil when more bytes are needed, the input has ended, or reading stopped at
    /// damage. Throws `MediaError(.malformedInput)` only for a file header that is not a recording's.
    public mutating func next() throws -> RTMSRecordingRecord? {
        guard damage == nil else { return nil }
        if header == nil {
            guard try readHeader() else { return nil }
        }
        let start = buffer.readerIndex
        let fileOffset = offset
        guard buffer.readableBytes >= RTMSRecordingFormat.recordHeaderSize else {
            return incomplete(at: fileOffset, have: buffer.readableBytes, of: nil)
        }
        let sync = buffer.getInteger(at: start, as: UInt16.self)!
        guard sync == RTMSRecordingFormat.recordSync else {
            return stop(at: fileOffset, "no record sync marker (found 0x\(String(sync, radix: 16, uppercase: true)))")
        }
        let length = Int(buffer.getInteger(at: start + 12, as: UInt32.self)!)
        guard length <= RTMSRecordingFormat.maxPayloadBytes else {
            return stop(at: fileOffset, "record length \(length) exceeds the limit of \(RTMSRecordingFormat.maxPayloadBytes) bytes")
        }
        let total = RTMSRecordingFormat.recordHeaderSize + length + RTMSRecordingFormat.recordTrailerSize
        guard buffer.readableBytes >= total else {
            return incomplete(at: fileOffset, have: buffer.readableBytes, of: total)
        }
        let covered = RTMSRecordingFormat.recordHeaderSize + length
        let computed = CRC32C.checksum(buffer.getSlice(at: start, length: covered)!)
        let stored = buffer.getInteger(at: start + covered, as: UInt32.self)!
        guard computed == stored else {
            return stop(
                at: fileOffset,
                "record checksum mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16)))")
        }
        let record = RTMSRecordingRecord(
            kind: .init(rawValue: buffer.getInteger(at: start + 2, as: UInt8.self)!),
            connectionCode: buffer.getInteger(at: start + 3, as: UInt8.self)!,
            arrivalMicros: buffer.getInteger(at: start + 4, as: UInt64.self)!,
            payload: buffer.getSlice(at: start + RTMSRecordingFormat.recordHeaderSize, length: length)!)
        buffer.moveReaderIndex(forwardBy: total)
        lastRecordOffset = fileOffset
        return record
    }

    private mutating func stop(at offset: Int, _ reason: String) -> RTMSRecordingRecord? {
        damage = RTMSRecordingDamage(offset: offset, reason: reason)
        return nil
    }

    private mutating func incomplete(at offset: Int, have: Int, of total: Int?) -> RTMSRecordingRecord? {
        guard ended, have > 0 else { return nil }
        if let total {
            return stop(at: offset, "incomplete record: the file ends \(have) bytes into a record of \(total) bytes")
        }
        return stop(at: offset, "incomplete record: the file ends \(have) bytes into a record header")
    }

    /// Reads the file header when all of it is there; true once read.
    private mutating func readHeader() throws -> Bool {
        let available = buffer.readableBytes
        let start = buffer.readerIndex
        // The magic is checked on whatever part of it has arrived, so a file that is not a recording fails at once.
        let magicBytes = buffer.getBytes(at: start, length: min(available, 8)) ?? []
        guard magicBytes == Array(RTMSRecordingFormat.magic.prefix(magicBytes.count)) else {
            throw MediaError(.malformedInput, "not an RTMS recording: the file does not start with \"MRTMSREC\"")
        }
        guard available >= RTMSRecordingFormat.fileHeaderFixedSize else { return headerIncomplete(available) }
        let version = buffer.getInteger(at: start + 8, as: UInt16.self)!
        guard version == RTMSRecordingFormat.version else {
            throw MediaError(
                .malformedInput,
                "unsupported RTMS recording version \(version) at byte 8 (this build reads version \(RTMSRecordingFormat.version))")
        }
        let flags = buffer.getInteger(at: start + 10, as: UInt16.self)!
        guard flags == 0 else {
            throw MediaError(.malformedInput, "RTMS recording header has unknown flags 0x\(String(flags, radix: 16)) at byte 10")
        }
        let metadataLength = Int(buffer.getInteger(at: start + 12, as: UInt32.self)!)
        guard metadataLength <= RTMSRecordingFormat.maxMetadataBytes else {
            throw MediaError(
                .malformedInput,
                "RTMS recording metadata length \(metadataLength) at byte 12 exceeds the limit of \(RTMSRecordingFormat.maxMetadataBytes)")
        }
        let size = RTMSRecordingFormat.fileHeaderFixedSize + metadataLength + 4
        guard available >= size else { return headerIncomplete(available) }
        let computed = CRC32C.checksum(buffer.getSlice(at: start, length: size - 4)!)
        let stored = buffer.getInteger(at: start + size - 4, as: UInt32.self)!
        guard computed == stored else {
            throw MediaError(.malformedInput, "RTMS recording header checksum mismatch at byte \(size - 4)")
        }
        let metadata: JSONValue
        do {
            metadata = try JSONValue.parse(buffer.getSlice(at: start + 16, length: metadataLength)!)
        } catch let error as MediaError {
            throw MediaError(.malformedInput, "RTMS recording metadata (at byte 16): \(error.message)")
        }
        guard case .object = metadata else {
            throw MediaError(.malformedInput, "RTMS recording metadata at byte 16 is not a JSON object")
        }
        header = RTMSRecordingHeader(version: version, flags: flags, metadata: metadata, size: size)
        buffer.moveReaderIndex(forwardBy: size)
        return true
    }

    private mutating func headerIncomplete(_ available: Int) -> Bool {
        if ended {
            damage = RTMSRecordingDamage(
                offset: 0, reason: "incomplete file header: the file ends after \(available) bytes")
        }
        return false
    }
}
