import MediaCore
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written only at its end with `write(2)`: each `append` reaches the kernel before it returns, so a
/// process killed with SIGKILL loses nothing already appended (the page cache survives the process), and `close`
/// fsyncs. Failures (ENOSPC, EIO, EDQUOT, EFBIG, ...) are `MediaError(.io)` naming the file. Not thread-safe: one
/// owner at a time (a recorder, under its runner's lock).
final class AppendOnlyFile: @unchecked Sendable {
    let path: String
    private var fd: CInt
    private(set) var bytesWritten: UInt64 = 0

    /// Creates `path`; nil when it already exists (a recording is never overwritten).
    init?(creating path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { return nil }
            throw Self.error(errno, "cannot create", path)
        }
    }

    deinit {
        if fd >= 0 { _ = closeDescriptor(fd) }
    }

    /// Writes all of `buffer`'s readable bytes.
    func append(_ buffer: ByteBuffer) throws {
        guard fd >= 0 else { throw MediaError(.io, "\(path) is closed") }
        try buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Self.error(errno, "cannot write", path)
                }
                offset += n
            }
        }
        bytesWritten += UInt64(buffer.readableBytes)
    }

    /// fsync, then close. Safe to call twice; the second call does nothing.
    func close() throws {
        guard fd >= 0 else { return }
        let descriptor = fd
        fd = -1
        let synced = fsync(descriptor) == 0 ? 0 : errno
        let closed = closeDescriptor(descriptor) == 0 ? 0 : errno
        if synced != 0 { throw Self.error(synced, "cannot fsync", path) }
        if closed != 0 { throw Self.error(closed, "cannot close", path) }
    }

    /// Closes without fsync (after a write already failed).
    func abandon() {
        guard fd >= 0 else { return }
        _ = closeDescriptor(fd)
        fd = -1
    }

    private static func error(_ code: CInt, _ what: String, _ path: String) -> MediaError {
        let text = String(cString: strerror(code))
        switch code {
        case ENOENT, ENOTDIR: return MediaError(.io, "\(what) \(path): \(text)")
        default: return MediaError(.io, "\(what) \(path): \(text) (errno \(code))")
        }
    }
}

/// close(2), out of reach of the `close()` methods above.
private func closeDescriptor(_ fd: CInt) -> CInt { close(fd) }
