import MediaCore
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Records one stream (`RTMSRecordingFormat`): `DIR/<stream directory>/stream.mrtms`, created new (an existing
/// recording is never touched: a second recording of the same stream, after a restart, is `stream-2.mrtms`, and
/// so on). Every received message is appended as it arrives, with its arrival time and connection, and reaches
/// the kernel before the next one is read; `close()` fsyncs. The header holds the stream descriptor without its
/// signature. Not thread-safe: its stream's runner calls it only under its lock (hence `@unchecked`).
final class RTMSRecorder: @unchecked Sendable {
    static let fileName = "stream"
    static let fileExtension = "mrtms"

    let path: String
    private let file: AppendOnlyFile
    /// One buffer reused for every record: no allocation per message once it has grown.
    private var scratch = ByteBufferAllocator().buffer(capacity: 64 << 10)

    init(directory: String, descriptor: RTMSStreamDescriptor, createdMicros: UInt64) throws {
        let streamDirectory = directory + "/" + Self.directoryName(for: descriptor.streamID)
        try Self.makeDirectory(directory, parents: true)
        try Self.makeDirectory(streamDirectory, parents: false)
        var opened: AppendOnlyFile?
        for attempt in 1...1000 where opened == nil {
            let name = attempt == 1 ? Self.fileName : "\(Self.fileName)-\(attempt)"
            opened = try AppendOnlyFile(creating: "\(streamDirectory)/\(name).\(Self.fileExtension)")
        }
        guard let opened else {
            throw MediaError(.io, "\(streamDirectory) already holds 1000 recordings")
        }
        file = opened
        path = file.path
        try file.append(
            RTMSRecordingWriter.header(
                descriptor: descriptor, createdMicros: createdMicros, writer: "mediactl \(MediaCoreVersion.string)"))
    }

    /// Appends a received websocket message, exactly as received.
    func message(_ payload: ByteBuffer, binary: Bool, connection: RTMSConnectionID, arrivalMicros: UInt64) throws {
        try append(
            RTMSRecordingRecord(
                kind: binary ? .binaryMessage : .textMessage, connection: connection, arrivalMicros: arrivalMicros,
                payload: payload))
    }

    /// Appends an event as a marker record (its NDJSON object, without media).
    func marker(_ event: RTMSEvent, arrivalMicros: UInt64) throws {
        try append(
            RTMSRecordingRecord(
                kind: .marker, connection: nil, arrivalMicros: arrivalMicros,
                payload: event.jsonObject(emitMedia: false).jsonBytes))
    }

    private func append(_ record: RTMSRecordingRecord) throws {
        scratch.clear()
        try RTMSRecordingWriter.writeRecord(record, into: &scratch)
        try file.append(scratch)
        // Keep the buffer for the next record unless one huge message made it large.
        if scratch.capacity > 1 << 20 { scratch = ByteBufferAllocator().buffer(capacity: 64 << 10) }
    }

    var bytesWritten: UInt64 { file.bytesWritten }

    /// fsync and close.
    func close() throws { try file.close() }

    /// Close after a failed write, without fsync.
    func abandon() { file.abandon() }

    /// The directory of a stream: its id with every byte outside `A-Z a-z 0-9 . _ -` replaced by `_`, at most
    /// 100 characters; when anything had to change, `-` and the CRC-32C of the id in hex follow, so two ids
    /// never share a directory by accident. Never empty, never `.` or `..`.
    static func directoryName(for streamID: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-".utf8)
        var bytes = Array(streamID.utf8.prefix(100))
        var changed = bytes.count != streamID.utf8.count
        for i in bytes.indices where !allowed.contains(bytes[i]) {
            bytes[i] = UInt8(ascii: "_")
            changed = true
        }
        var name = String(decoding: bytes, as: UTF8.self)
        if name.isEmpty || name.allSatisfy({ $0 == "." }) {
            name = "stream"
            changed = true
        }
        guard changed else { return name }
        let crc = Array(streamID.utf8).withUnsafeBytes { CRC32C.checksum($0) }
        let hex = String(crc, radix: 16)
        return name + "-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    private static func makeDirectory(_ path: String, parents: Bool) throws {
        if parents, let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            let parent = String(path[..<slash])
            var status = stat()
            if stat(parent, &status) != 0 { try makeDirectory(parent, parents: true) }
        }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw MediaError(.io, "cannot create the directory \(path): \(String(cString: strerror(errno)))")
        }
    }
}
