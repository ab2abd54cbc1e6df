import MediaCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// A file or standard input, read in large blocks on NIO's thread pool so that a slow pipe never blocks the
/// cooperative threads.
public final class ByteSource: Sendable {
    public let path: String
    private let descriptor: CInt
    public let isStandardInput: Bool
    /// Size in bytes when known (regular files).
    public let size: Int64?

    public init(path: String) throws {
        self.path = path
        if path == "-" {
            descriptor = STDIN_FILENO
            isStandardInput = true
            size = nil
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw MediaError(errno == ENOENT ? .inputMissing : .io, "cannot open '\(path)': \(reason)")
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw MediaError(.inputMissing, "'\(path)' is a directory, not an FLV file")
        }
        descriptor = fd
        isStandardInput = false
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
    }

    deinit {
        if !isStandardInput { close(descriptor) }
    }

    /// Up to `maximum` bytes; nil at end of input.
    public func read(maximum: Int = 256 << 10) async throws -> ByteBuffer? {
        let fd = descriptor
        let path = path
        return try await NIOThreadPool.singleton.runIfActive {
            var buffer = ByteBufferAllocator().buffer(capacity: maximum)
            while true {
                var result = 0
                var error: CInt = 0
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maximum) { pointer in
                    result = Glibc.read(fd, pointer.baseAddress, maximum)
                    error = errno
                    return max(result, 0)
                }
                if result > 0 { return buffer }
                if result == 0 { return nil }
                if error == EINTR || error == EAGAIN { continue }
                throw MediaError(.io, "reading '\(path)' failed: \(String(cString: strerror(error)))")
            }
        }
    }

    /// Back to the start, for `--loop`.
    public func rewind() throws {
        guard !isStandardInput, lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw MediaError(.usage, "cannot rewind '\(path)': --loop needs a file, not a pipe")
        }
    }
}
