import MediaCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The duplicate check (the seed's 409): an exclusive `flock` on `<key>.lock` in the runtime directory, held for
/// the life of the transponder. The kernel drops the lock when the process ends in any way (SIGKILL included),
/// so a dead transponder never blocks a new one, and no stale-entry guesswork is involved.
///
/// The file holds the holder's id, so a refused transponder can say which one is in its way. A holder that ends
/// cleanly removes the file; one that was killed leaves it for the next holder to reuse.
final class TransponderKeyLock: Sendable {
    let path: String
    private let descriptor: CInt

    enum Outcome {
        case acquired(TransponderKeyLock)
        /// Another live process holds it; its id when the file names one.
        case heldBy(TransponderID?)
    }

    private init(path: String, descriptor: CInt) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock without waiting.
    static func acquire(path: String, holder: TransponderID) throws -> Outcome {
        // A holder that ends unlinks the file while it still holds the lock; a process that opened the old file
        // just before may then lock that unlinked inode. Locking is only trusted when the path still names the
        // locked inode; otherwise start over with the new file.
        for _ in 0..<8 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw Self.error(errno, "cannot open", path) }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                let holder = Self.readHolder(fd)
                close(fd)
                if code == EWOULDBLOCK || code == EAGAIN { return .heldBy(holder) }
                throw Self.error(code, "cannot lock", path)
            }
            var opened = stat()
            var named = stat()
            guard fstat(fd, &opened) == 0, stat(path, &named) == 0, opened.st_ino == named.st_ino,
                opened.st_dev == named.st_dev
            else {
                close(fd)
                continue
            }
            let text = Array(holder.rawValue.utf8)
            guard ftruncate(fd, 0) == 0, pwrite(fd, text, text.count, 0) == text.count else {
                let code = errno
                close(fd)
                throw Self.error(code, "cannot write", path)
            }
            return .acquired(TransponderKeyLock(path: path, descriptor: fd))
        }
        throw MediaError(.io, "cannot lock \(path): it keeps being replaced")
    }

    /// Removes the file, then drops the lock.
    func release() {
        unlink(path)
        close(descriptor)
    }

    private static func readHolder(_ fd: CInt) -> TransponderID? {
        var bytes = [UInt8](repeating: 0, count: TransponderID.length)
        guard pread(fd, &bytes, bytes.count, 0) == bytes.count else { return nil }
        return try? TransponderID(parsing: String(decoding: bytes, as: UTF8.self))
    }

    private static func error(_ code: CInt, _ what: String, _ path: String) -> MediaError {
        MediaError(.io, "\(what) the transponder lock \(path): \(String(cString: strerror(code)))")
    }
}
