import MediaCore
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running transponder's place in the registry, from `register` to `close`: the key lock (the duplicate check),
/// the control server, and the entry file that `ls` reads, in that order, so an entry that can be read always
/// has a socket that answers while its process lives.
public final class TransponderRegistration: Sendable {
    public let entry: TransponderEntry
    public let directory: TransponderRuntimeDirectory
    private let lock: TransponderKeyLock
    private let server: TransponderControlServer
    private let closed = NIOLockedValueBox(false)

    private init(entry: TransponderEntry, directory: TransponderRuntimeDirectory, lock: TransponderKeyLock, server: TransponderControlServer) {
        self.entry = entry
        self.directory = directory
        self.lock = lock
        self.server = server
    }

    /// Registers a transponder of this process.
    ///
    /// Throws `MediaError(.conflict)` when a live transponder already publishes `source` to `destination` (the
    /// seed's 409), naming it; `.io` when the runtime directory cannot be used.
    public static func register(
        command: String, source: TransponderSource, destination: TransponderDestination, editsAudio: Bool,
        controller: any TransponderControllable, environment: [String: String]
    ) async throws -> TransponderRegistration {
        let directory = try TransponderRuntimeDirectory.prepare(environment: environment)
        var random = SystemRandomNumberGenerator()
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let entry = TransponderEntry(
            id: TransponderID(using: &random), pid: getpid(), command: command, source: source,
            destination: destination, startedAtMilliseconds: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000,
            editsAudio: editsAudio)
        let socketPath = try directory.socketPath(for: entry.id)
        let lock: TransponderKeyLock
        switch try TransponderKeyLock.acquire(path: directory.lockPath(for: entry.key), holder: entry.id) {
        case .acquired(let acquired):
            lock = acquired
        case .heldBy(let holder):
            let who = holder.map { "transponder \($0)" } ?? "another transponder"
            let hint = holder.map { " (mediactl transponder stop \($0))" } ?? ""
            throw MediaError(
                .conflict, "\(who) already publishes \(source.description) to \(destination.redactedURL)\(hint)")
        }
        let server: TransponderControlServer
        do {
            server = try await TransponderControlServer.start(path: socketPath, controller: controller)
        } catch {
            lock.release()
            throw error
        }
        let registration = TransponderRegistration(entry: entry, directory: directory, lock: lock, server: server)
        do {
            try registration.writeEntry()
        } catch {
            await registration.close()
            throw error
        }
        return registration
    }

    /// Removes the entry, answers requests in flight, closes the socket and drops the lock. Idempotent.
    public func close() async {
        let first = closed.withLockedValue { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        unlink(directory.file(TransponderEntry.fileName(for: entry.id)))
        await server.close()
        lock.release()
    }

    /// Writes `<id>.json` atomically: a temporary dot-file (which `ls` skips), then rename(2).
    private func writeEntry() throws {
        let final = directory.file(TransponderEntry.fileName(for: entry.id))
        let temporary = directory.file(".\(entry.id.rawValue).json.tmp")
        var bytes = entry.jsonValue.jsonBytes
        bytes.writeInteger(UInt8(ascii: "\n"))
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Self.error(errno, "cannot create", temporary) }
        let written = bytes.withUnsafeReadableBytes { write(fd, $0.baseAddress, $0.count) }
        let code = errno
        Glibc.close(fd)
        guard written == bytes.readableBytes else {
            unlink(temporary)
            throw Self.error(code, "cannot write", temporary)
        }
        guard rename(temporary, final) == 0 else {
            let code = errno
            unlink(temporary)
            throw Self.error(code, "cannot rename", temporary)
        }
    }

    private static func error(_ code: CInt, _ what: String, _ path: String) -> MediaError {
        MediaError(.io, "\(what) transponder entry \(path): \(String(cString: strerror(code)))")
    }
}
