import MediaCore
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The transponders of this user, seen from outside their processes: `ls` and the control commands.
///
/// An entry whose process is gone (no such pid, or nobody listening on its socket: a SIGKILL leaves both the
/// entry file and the socket file behind) is removed when it is met, so `ls` never shows it.
public struct TransponderRegistry: Sendable {
    /// How long `ls` waits for each transponder's answer (all are asked at once).
    public static let listTimeout = Duration.milliseconds(1000)
    /// How long a control command waits; `stop` answers only after the unpublish.
    public static let controlTimeout = Duration.seconds(3)
    public static let stopTimeout = Duration.seconds(15)

    public let directory: TransponderRuntimeDirectory?

    /// The registry of `environment`'s runtime directory (`TransponderRuntimeDirectory.path`); empty when that
    /// directory does not exist. `.io` when it exists but is not safe to use.
    public init(environment: [String: String]) throws {
        directory = try TransponderRuntimeDirectory.existing(environment: environment)
    }

    /// Every entry file that reads, oldest first, and a message for each one that does not.
    public func entries() -> (entries: [TransponderEntry], problems: [String]) {
        guard let directory, let handle = opendir(directory.path) else { return ([], []) }
        defer { closedir(handle) }
        var entries: [TransponderEntry] = []
        var problems: [String] = []
        while let item = readdir(handle) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasSuffix(".json"), TransponderID.isValid(String(name.dropLast(5))) else { continue }
            do {
                entries.append(try read(directory.file(name)))
            } catch let error as MediaError {
                problems.append(error.message)
            } catch {
                problems.append("\(name): \(error)")
            }
        }
        entries.sort { ($0.startedAtMilliseconds, $0.id) < ($1.startedAtMilliseconds, $1.id) }
        return (entries, problems)
    }

    /// Asks every matching transponder for its status at once, each bounded by `timeout`. Entries of ended
    /// processes are removed and left out; one that does not answer is listed with `problem` set.
    public func list(filter: TransponderFilter = TransponderFilter(), timeout: Duration = listTimeout) async
        -> (statuses: [TransponderStatus], problems: [String])
    {
        let (all, problems) = entries()
        let matching = all.filter(filter.matches)
        let statuses = await withTaskGroup(of: (Int, TransponderStatus?).self) { group in
            for (index, entry) in matching.enumerated() {
                group.addTask { (index, await self.status(entry, timeout: timeout)) }
            }
            var statuses = [TransponderStatus?](repeating: nil, count: matching.count)
            for await (index, status) in group { statuses[index] = status }
            return statuses.compactMap { $0 }
        }
        return (statuses, problems)
    }

    /// The transponder named by `idOrPrefix` (a whole id or the start of exactly one). `.notFound` when none,
    /// `.usage` when the prefix names several or is not id text.
    public func find(_ idOrPrefix: String) throws -> TransponderEntry {
        try TransponderID.validatePrefix(idOrPrefix)
        let matches = entries().entries.filter { $0.id.rawValue.hasPrefix(idOrPrefix) }
        guard !matches.isEmpty else { throw MediaError(.notFound, "no transponder \(idOrPrefix) (mediactl transponder ls lists them)") }
        guard matches.count == 1 else {
            throw MediaError(.usage, "'\(idOrPrefix)' is the start of \(matches.count) transponder ids: \(matches.map(\.id.rawValue).joined(separator: ", "))")
        }
        return matches[0]
    }

    /// Sends `request` to the transponder named by `idOrPrefix` and returns its status after the request.
    /// `.notFound` when there is no such transponder or its process has ended (its entry is then removed);
    /// the transponder's own error (with its kind) when it refuses; `.timeout` when it does not answer.
    public func control(_ idOrPrefix: String, _ request: TransponderRequest) async throws -> TransponderStatus {
        let entry = try find(idOrPrefix)
        let timeout = request == .stop ? Self.stopTimeout : Self.controlTimeout
        switch await ask(entry, request, timeout: timeout) {
        case .answered(let snapshot):
            return TransponderStatus(entry: entry, snapshot: snapshot)
        case .refused(let error):
            throw error
        case .unreachable(let error):
            throw MediaError(error.kind, "transponder \(entry.id): \(error.message)")
        case .gone:
            throw MediaError(.notFound, "no transponder \(entry.id): its process \(entry.pid) has ended")
        }
    }

    private enum Answer {
        case answered(TransponderSnapshot)
        /// The transponder answered with an error.
        case refused(MediaError)
        /// It did not answer (in time, or sensibly).
        case unreachable(MediaError)
        /// Its process has ended; the entry has been removed.
        case gone
    }

    private func status(_ entry: TransponderEntry, timeout: Duration) async -> TransponderStatus? {
        switch await ask(entry, .status, timeout: timeout) {
        case .answered(let snapshot): return TransponderStatus(entry: entry, snapshot: snapshot)
        case .refused(let error), .unreachable(let error):
            return TransponderStatus(entry: entry, snapshot: nil, problem: error.message)
        case .gone: return nil
        }
    }

    private func ask(_ entry: TransponderEntry, _ request: TransponderRequest, timeout: Duration) async -> Answer {
        guard let directory else { return .gone }
        if kill(entry.pid, 0) != 0 && errno == ESRCH {
            remove(entry)
            return .gone
        }
        switch await TransponderClient.send(request, socketPath: directory.file(entry.socketName), timeout: timeout) {
        case .answered(.ok(let snapshot)): return .answered(snapshot)
        case .answered(.failure(let error)): return .refused(error)
        case .failed(let error): return .unreachable(error)
        case .gone:
            remove(entry)
            return .gone
        }
    }

    /// Deletes what an ended transponder left behind. Its key lock file stays (unlocked: it blocks nobody, and
    /// the next transponder with that key reuses it).
    private func remove(_ entry: TransponderEntry) {
        guard let directory else { return }
        unlink(directory.file(TransponderEntry.fileName(for: entry.id)))
        unlink(directory.file(entry.socketName))
    }

    private func read(_ path: String) throws -> TransponderEntry {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            let code = errno
            throw MediaError(.io, "cannot read transponder entry \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        // An entry is a few hundred bytes; anything past 64 KiB is not one.
        var bytes = [UInt8](repeating: 0, count: 64 << 10)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0, count < bytes.count else {
            throw MediaError(.malformedInput, "transponder entry \(path) is \(count <= 0 ? "empty or unreadable" : "too large")")
        }
        let json = try JSONValue.parse(ByteBuffer(bytes: bytes[0..<count]))
        return try TransponderEntry(json: json, file: path)
    }
}
