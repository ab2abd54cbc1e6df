import MediaCore
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Records one stream (`RTMSRecordingFormat`): `DIR/<stream directory>/stream.mrtms`, created new (an existing
/// recording is never touched: a second recording of the same stream, after a restart, is `stream-2.mrtms`, and
/// so on). Every received message is queued as it arrives, with its arrival time and connection, and
/// `RecordingFlusher` writes the queue with `write(2)` every 20 ms, so a process killed even with SIGKILL loses at
/// most the last 20 ms; `close()` writes the rest and fsyncs. The header holds the stream descriptor without its
/// signature, and is written at once. A write error is kept and thrown by the next `message`/`marker`/`close`.
final class RTMSRecorder: @unchecked Sendable {
    static let fileName = "stream"
    static let fileExtension = "mrtms"

    let path: String
    /// Written only under `writeLock` (by the flusher thread, or by `close`).
    private let file: AppendOnlyFile
    private let writeLock = NIOLock()
    /// Guards `queue`, `failure`, `closed`.
    private let lock = NIOLock()
    private var queue = ByteBufferAllocator().buffer(capacity: 16 << 10)
    private var failure: MediaError?
    private var closed = false

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
        RecordingFlusher.shared.register(self)
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
        let added = try lock.withLock { () throws -> Int in
            if let failure { throw failure }
            guard !closed else { throw MediaError(.io, "\(path) is closed") }
            let before = queue.readableBytes
            try RTMSRecordingWriter.writeRecord(record, into: &queue)
            return queue.readableBytes - before
        }
        RecordingFlusher.shared.adjust(added)
    }

    /// Writes what is queued (the flusher thread, every 20 ms); a failure is kept for the stream's runner.
    func flush() {
        writeLock.withLock {
            let batch = lock.withLock { () -> ByteBuffer? in
                guard failure == nil, queue.readableBytes > 0 else { return nil }
                let taken = queue
                queue = ByteBufferAllocator().buffer(capacity: min(max(taken.readableBytes, 16 << 10), 1 << 20))
                return taken
            }
            guard let batch else { return }
            defer { RecordingFlusher.shared.adjust(-batch.readableBytes) }
            do {
                try file.append(batch)
            } catch {
                let mediaError = error as? MediaError ?? MediaError(.io, "\(error)")
                lock.withLock { failure = mediaError }
            }
        }
    }

    /// The write error seen by the flusher, if any.
    var writeFailure: MediaError? { lock.withLock { failure } }

    var bytesWritten: UInt64 { writeLock.withLock { file.bytesWritten } }

    /// Writes what is queued, fsyncs and closes; throws the first write error. Blocks on the disk: call it off
    /// the event loops.
    func close() throws {
        lock.withLock { closed = true }
        RecordingFlusher.shared.unregister(self)
        flush()
        try writeLock.withLock {
            if let failure = lock.withLock({ failure }) {
                file.abandon()
                throw failure
            }
            try file.close()
        }
    }

    /// Drops what is queued and closes without fsync (after a failed write).
    func abandon() {
        let dropped = lock.withLock { () -> Int in
            closed = true
            defer { queue.clear() }
            return queue.readableBytes
        }
        RecordingFlusher.shared.adjust(-dropped)
        RecordingFlusher.shared.unregister(self)
        writeLock.withLock { file.abandon() }
    }

    /// The directory of a stream: `RTMSSafeName.of` its id.
    static func directoryName(for streamID: String) -> String {
        RTMSSafeName.of(streamID)
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
