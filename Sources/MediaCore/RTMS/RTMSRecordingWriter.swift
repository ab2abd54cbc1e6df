import NIOCore

/// Encodes a recording (`RTMSRecordingFormat.formatDescription`): pure functions that return bytes; the caller
/// appends them to the file (and decides when to fsync).
public enum RTMSRecordingWriter {
    /// The file header, with the stream descriptor (without its signature) in the metadata.
    public static func header(
        descriptor: RTMSStreamDescriptor, createdMicros: UInt64, writer: String = "mediactl", extra: [JSONField] = []
    ) -> ByteBuffer {
        let metadata = JSONValue.object(
            [
                JSONField("format", "mediactl-rtms-recording"),
                JSONField("stream", descriptor.jsonObject(includeSignature: false)),
                JSONField("created_us", .int(Int64(clamping: createdMicros))), JSONField("writer", .string(writer)),
            ] + extra)
        return header(metadata: metadata)
    }

    /// A file header around any metadata object. The metadata must stay under `maxMetadataBytes`; it is the
    /// writer's own JSON, so this is a precondition.
    public static func header(metadata: JSONValue) -> ByteBuffer {
        let json = metadata.jsonBytes
        precondition(json.readableBytes <= RTMSRecordingFormat.maxMetadataBytes, "recording metadata too large")
        var out = ByteBufferAllocator().buffer(capacity: RTMSRecordingFormat.fileHeaderFixedSize + json.readableBytes + 4)
        out.writeBytes(RTMSRecordingFormat.magic)
        out.writeInteger(RTMSRecordingFormat.version)
        out.writeInteger(UInt16(0))
        out.writeInteger(UInt32(json.readableBytes))
        out.writeImmutableBuffer(json)
        out.writeInteger(CRC32C.checksum(out))
        return out
    }

    /// One record as bytes. Throws `.protocolViolation` for a payload above `maxPayloadBytes`.
    public static func record(
        kind: RTMSRecordingRecord.Kind, connection: RTMSConnectionID?, arrivalMicros: UInt64, payload: ByteBuffer
    ) throws -> ByteBuffer {
        var out = ByteBufferAllocator().buffer(
            capacity: RTMSRecordingFormat.recordHeaderSize + payload.readableBytes + RTMSRecordingFormat.recordTrailerSize)
        try writeRecord(
            RTMSRecordingRecord(kind: kind, connection: connection, arrivalMicros: arrivalMicros, payload: payload),
            into: &out)
        return out
    }

    /// Appends one record to `buffer` (for batching several records into one write).
    public static func writeRecord(_ record: RTMSRecordingRecord, into buffer: inout ByteBuffer) throws {
        let length = record.payload.readableBytes
        guard length <= RTMSRecordingFormat.maxPayloadBytes else {
            throw MediaError(
                .protocolViolation,
                "a \(length)-byte message is larger than a recording record may be (\(RTMSRecordingFormat.maxPayloadBytes) bytes)")
        }
        let start = buffer.writerIndex
        buffer.writeInteger(RTMSRecordingFormat.recordSync)
        buffer.writeInteger(record.kind.rawValue)
        buffer.writeInteger(record.connectionCode)
        buffer.writeInteger(record.arrivalMicros)
        buffer.writeInteger(UInt32(length))
        buffer.writeImmutableBuffer(record.payload)
        let crc = buffer.withUnsafeReadableBytes { all in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: all[(start - buffer.readerIndex)...]))
        }
        buffer.writeInteger(crc)
    }

    /// A received websocket message as a record.
    public static func message(
        _ payload: ByteBuffer, binaryFrame: Bool = false, connection: RTMSConnectionID, arrivalMicros: UInt64
    ) throws -> ByteBuffer {
        try record(
            kind: binaryFrame ? .binaryMessage : .textMessage, connection: connection, arrivalMicros: arrivalMicros,
            payload: payload)
    }

    /// An event (reconnection, disconnection, end, ...) as a marker record: its NDJSON object, without media.
    public static func marker(
        _ event: RTMSEvent, connection: RTMSConnectionID? = nil, arrivalMicros: UInt64
    ) throws -> ByteBuffer {
        try record(
            kind: .marker, connection: connection, arrivalMicros: arrivalMicros,
            payload: event.jsonObject(emitMedia: false).jsonBytes)
    }
}
