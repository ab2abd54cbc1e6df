import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A failure of the end-to-end harness itself (a peer that did not start, a process that hung), as opposed to a
/// failed expectation. The message says what was run and what it printed, so a CI log is enough to diagnose it.
struct HarnessError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// What a finished process left behind.
struct RunResult: Sendable {
    /// The exit status; for a process ended by a signal, 128 + the signal number (as a shell reports it).
    var exitCode: Int32
    /// The signal that ended the process, if one did.
    var signal: Int32?
    var stdout: Data
    var stderr: String
    /// Wall time from launch to exit.
    var duration: TimeInterval

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Non-empty stdout lines (NDJSON output is one JSON object per line).
    var stdoutLines: [String] { stdoutText.split(separator: "\n").map(String.init) }
}

/// Runs `executable` (a path, or a name looked up in PATH) to completion and returns its exit code and output.
/// Past `timeout` seconds the process gets SIGTERM, then SIGKILL after a short grace, and this throws a
/// `HarnessError` that says so and carries what the process printed. A non-zero exit is not an error here:
/// check `exitCode`.
func run(
    _ executable: String, _ args: [String], stdin: Data? = nil, environment: [String: String]? = nil,
    currentDirectory: String? = nil, timeout: TimeInterval
) throws -> RunResult {
    let process = try BackgroundProcess(
        executable, args, stdin: stdin == nil ? .null : .pipe, environment: environment,
        currentDirectory: currentDirectory)
    if let stdin {
        // Written from another thread: a child that prints before it reads must not deadlock against a full pipe.
        process.writeStdinInBackground(stdin, thenClose: true)
    }
    return try process.waitForExit(timeout: timeout)
}

/// Looks a program up in PATH (as a shell does); a name with a slash is returned as it is.
func resolveExecutable(_ name: String) throws -> String {
    if name.contains("/") { return name }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
    for directory in path.split(separator: ":") where !directory.isEmpty {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw HarnessError("'\(name)' is not installed or not in PATH (run scripts/install-deps.sh --test)")
}

/// A process running in the background: signal it, feed its stdin, read its stdout line by line while it runs
/// (NDJSON events), and wait for its exit with a bound. Dropping the last reference kills a process that still
/// runs, so a failing test leaves nothing behind.
final class BackgroundProcess: @unchecked Sendable {
    enum StandardInput {
        /// /dev/null: the default, so no child ever waits on the test runner's stdin.
        case null
        /// A pipe the test writes with `writeStdin(_:)` and closes with `closeStdin()`.
        case pipe
    }

    /// Seconds between SIGTERM and SIGKILL when a process overruns its time.
    static let terminationGrace: TimeInterval = 2
    /// How long output is still read after exit (a grandchild may hold the pipe open).
    static let outputDrainLimit: TimeInterval = 2

    let commandLine: String
    let pid: Int32
    private let process: Process
    private let stdoutReader: PipeReader
    private let stderrReader: PipeReader
    private let stdinHandle: FileHandle?
    private let launched: Date
    private let exitFlag: ExitFlag

    init(
        _ executable: String, _ args: [String], stdin: StandardInput = .null,
        environment: [String: String]? = nil, currentDirectory: String? = nil
    ) throws {
        let path = try resolveExecutable(executable)
        commandLine = ([path] + args).map(Self.shellQuoted).joined(separator: " ")
        process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        if let environment {
            process.environment = environment
        }
        if let currentDirectory {
            process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
        }
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        var inPipe: Pipe?
        switch stdin {
        case .null:
            process.standardInput = FileHandle.nullDevice
            stdinHandle = nil
        case .pipe:
            let pipe = Pipe()
            process.standardInput = pipe
            stdinHandle = pipe.fileHandleForWriting
            inPipe = pipe
        }
        let flag = ExitFlag()
        exitFlag = flag
        process.terminationHandler = { _ in flag.set() }
        do {
            try Self.launchWithSignalsUnblocked(process)
        } catch {
            throw HarnessError("could not start \(commandLine): \(error)")
        }
        launched = Date()
        pid = process.processIdentifier
        // The parent's copies of the child's ends must go: the readers would never see end of file, and a write to
        // the stdin of a child that has exited would block on a full pipe instead of failing with EPIPE.
        try? outPipe.fileHandleForWriting.close()
        try? errPipe.fileHandleForWriting.close()
        try? inPipe?.fileHandleForReading.close()
        stdoutReader = PipeReader(outPipe.fileHandleForReading, name: "stdout of \(pid)")
        stderrReader = PipeReader(errPipe.fileHandleForReading, name: "stderr of \(pid)")
    }

    deinit {
        if process.isRunning {
            Glibc.kill(pid, SIGKILL)
            _ = waitForExitFlag(until: Date().addingTimeInterval(Self.terminationGrace))
        }
        try? stdinHandle?.close()
    }

    var isRunning: Bool { !exitFlag.isSet && peekExitStatus() == nil }

    /// SIGINT, as Ctrl-C in a terminal.
    func interrupt() { signal(SIGINT) }
    /// SIGTERM.
    func terminate() { signal(SIGTERM) }
    /// SIGKILL.
    func kill() { signal(SIGKILL) }

    func signal(_ number: Int32) {
        if isRunning { Glibc.kill(pid, number) }
    }

    /// Writes to the process's stdin pipe; waits until written. Throws when the process has closed its end.
    func writeStdin(_ data: Data) throws {
        guard let stdinHandle else { throw HarnessError("\(commandLine) was started without a stdin pipe") }
        let error = Self.writeWithoutSIGPIPE(data, to: stdinHandle, close: false, wait: true)
        if let error { throw HarnessError("writing stdin of \(commandLine): \(error)") }
    }

    func closeStdin() {
        try? stdinHandle?.close()
    }

    fileprivate func writeStdinInBackground(_ data: Data, thenClose: Bool) {
        guard let stdinHandle else { return }
        // EPIPE when the child does not read it all: fine, its exit code tells the story.
        _ = Self.writeWithoutSIGPIPE(data, to: stdinHandle, close: thenClose, wait: false)
    }

    /// Writing into a pipe whose reader has gone raises SIGPIPE, and the test process does not ignore it (ignoring
    /// it process-wide would also make every child inherit SIG_IGN). So the write runs on a thread of its own with
    /// SIGPIPE blocked, and sees EPIPE instead. Returns the error, if any, when `wait` is true.
    private static func writeWithoutSIGPIPE(_ data: Data, to handle: FileHandle, close: Bool, wait: Bool) -> String? {
        final class Outcome: @unchecked Sendable {
            var error: String?
            let done = DispatchSemaphore(value: 0)
        }
        let outcome = Outcome()
        let thread = Thread {
            var pipeOnly = sigset_t()
            sigemptyset(&pipeOnly)
            sigaddset(&pipeOnly, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeOnly, nil)
            let fd = handle.fileDescriptor
            let bytes = [UInt8](data)
            var written = 0
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    outcome.error = String(cString: strerror(errno))
                    break
                }
                written += n
            }
            if close { try? handle.close() }  // FileHandle knows it is closed: a later close() is harmless
            // A SIGPIPE left pending on this thread is discarded when it ends.
            outcome.done.signal()
        }
        thread.name = "stdin writer"
        thread.start()
        guard wait else { return nil }
        outcome.done.wait()
        return outcome.error
    }

    /// The next line of stdout without its newline; nil at end of output. Throws when no whole line arrives in
    /// `timeout` seconds (the message includes the output so far).
    func readLine(timeout: TimeInterval) throws -> String? {
        switch stdoutReader.nextLine(until: Date().addingTimeInterval(timeout)) {
        case .line(let line): return line
        case .endOfFile: return nil
        case .timedOut:
            throw HarnessError(
                "no stdout line from \(commandLine) within \(timeout) s; stderr so far:\n\(stderrSoFar)")
        }
    }

    /// Reads stdout lines until one satisfies `predicate`, bounded by `timeout` in all; returns that line.
    func readLine(
        timeout: TimeInterval, where predicate: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            switch stdoutReader.nextLine(until: deadline) {
            case .line(let line) where predicate(line): return line
            case .line: continue
            case .endOfFile:
                throw HarnessError(
                    "\(commandLine) closed stdout before the expected line; stderr:\n\(stderrSoFar)")
            case .timedOut:
                throw HarnessError(
                    "the expected stdout line from \(commandLine) did not come within \(timeout) s; "
                        + "stderr so far:\n\(stderrSoFar)")
            }
        }
    }

    var stdoutSoFar: Data { stdoutReader.snapshot() }
    var stderrSoFar: String { String(decoding: stderrReader.snapshot(), as: UTF8.self) }

    /// Waits for the process to exit. Past `timeout` it is ended (SIGTERM, then SIGKILL) and this throws a
    /// `HarnessError` that says so, with its output.
    func waitForExit(timeout: TimeInterval) throws -> RunResult {
        if !waitForExitFlag(until: Date().addingTimeInterval(timeout)) {
            Glibc.kill(pid, SIGTERM)
            var how = "SIGTERM"
            if !waitForExitFlag(until: Date().addingTimeInterval(Self.terminationGrace)) {
                Glibc.kill(pid, SIGKILL)
                how = "SIGKILL after SIGTERM was ignored for \(Self.terminationGrace) s"
                _ = waitForExitFlag(until: Date().addingTimeInterval(Self.terminationGrace))
            }
            let drain = Date().addingTimeInterval(Self.outputDrainLimit)
            stdoutReader.waitForEndOfFile(until: drain)
            stderrReader.waitForEndOfFile(until: drain)
            throw HarnessError(
                "timed out after \(timeout) s, ended with \(how): \(commandLine)\n"
                    + "stdout:\n\(String(decoding: stdoutReader.snapshot(), as: UTF8.self).suffix(4000))\n"
                    + "stderr:\n\(stderrSoFar.suffix(4000))")
        }
        let duration = Date().timeIntervalSince(launched)
        let drain = Date().addingTimeInterval(Self.outputDrainLimit)
        stdoutReader.waitForEndOfFile(until: drain)
        stderrReader.waitForEndOfFile(until: drain)
        let status: Int32
        let bySignal: Bool
        if let peeked = peekExitStatus() ?? lastPeekedStatus {
            (status, bySignal) = peeked
        } else {
            status = process.terminationStatus
            bySignal = process.terminationReason == .uncaughtSignal
        }
        return RunResult(
            exitCode: bySignal ? 128 + status : status, signal: bySignal ? status : nil,
            stdout: stdoutReader.snapshot(), stderr: stderrSoFar, duration: duration)
    }

    /// True once the process has exited, by `deadline` at the latest. Foundation reports an exit only when every
    /// holder of an internal socket it gives the child has closed it, so a grandchild that outlives the child (a
    /// shell's background job) delays the report until the grandchild ends. The zombie is therefore also looked
    /// at directly, every 20 ms, without reaping it (`waitid` with `WNOWAIT`; Foundation reaps it later).
    private func waitForExitFlag(until deadline: Date) -> Bool {
        while true {
            if peekExitStatus() != nil { return true }
            let slice = min(deadline, Date().addingTimeInterval(0.02))
            if exitFlag.wait(until: slice) { return true }
            if Date() >= deadline { return peekExitStatus() != nil }
        }
    }

    private let statusLock = NSLock()
    private var lastPeekedStatus: (status: Int32, bySignal: Bool)?

    /// The exit status of the child if it has exited and Foundation has not reaped it yet; remembered once seen.
    private func peekExitStatus() -> (status: Int32, bySignal: Bool)? {
        statusLock.lock()
        defer { statusLock.unlock() }
        if let lastPeekedStatus { return lastPeekedStatus }
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT | WNOHANG) == 0,
            info._sifields._sigchld.si_pid == pid
        else { return nil }
        let code = info.si_code
        let value = info._sifields._sigchld.si_status
        let peeked = (status: value, bySignal: code == Int32(CLD_KILLED) || code == Int32(CLD_DUMPED))
        lastPeekedStatus = peeked
        return peeked
    }

    /// Starts `process` from a fresh thread whose signal mask is empty. The child inherits the mask of the thread
    /// that spawns it, and Swift Testing runs tests on dispatch worker threads, which block SIGINT, SIGTERM and
    /// most others: spawned from there, ffmpeg, nginx or mediactl would ignore `interrupt()` and `terminate()`.
    private static func launchWithSignalsUnblocked(_ process: Process) throws {
        final class Launch: @unchecked Sendable {
            let process: Process
            var error: (any Error)?
            let done = DispatchSemaphore(value: 0)
            init(_ process: Process) { self.process = process }
        }
        let launch = Launch(process)
        let thread = Thread {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            do { try launch.process.run() } catch { launch.error = error }
            launch.done.signal()
        }
        thread.name = "spawn"
        thread.start()
        launch.done.wait()
        if let error = launch.error { throw error }
    }

    private static func shellQuoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,@%+".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Set once by the termination handler; waited on with a deadline.
private final class ExitFlag: @unchecked Sendable {
    private let condition = NSCondition()
    private var value = false

    var isSet: Bool {
        condition.lock()
        defer { condition.unlock() }
        return value
    }

    func set() {
        condition.lock()
        value = true
        condition.broadcast()
        condition.unlock()
    }

    /// True when set before `deadline`.
    func wait(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !value {
            if !condition.wait(until: deadline) { return value }
        }
        return true
    }
}

/// Reads one pipe on its own thread (never on Swift concurrency's small cooperative pool), keeping every byte and
/// a cursor for line-by-line consumers.
private final class PipeReader: @unchecked Sendable {
    enum LineResult {
        case line(String)
        case endOfFile
        case timedOut
    }

    private let condition = NSCondition()
    private var buffer = Data()
    private var lineCursor = 0
    private var atEndOfFile = false

    init(_ handle: FileHandle, name: String) {
        let thread = Thread { [self] in
            let fd = handle.fileDescriptor
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                condition.lock()
                if count > 0 {
                    buffer.append(contentsOf: chunk[0..<count])
                } else {
                    atEndOfFile = true
                }
                condition.broadcast()
                condition.unlock()
                if count <= 0 { break }
            }
            try? handle.close()
        }
        thread.name = name
        thread.start()
    }

    func snapshot() -> Data {
        condition.lock()
        defer { condition.unlock() }
        return buffer
    }

    func waitForEndOfFile(until deadline: Date) {
        condition.lock()
        defer { condition.unlock() }
        while !atEndOfFile {
            if !condition.wait(until: deadline) { return }
        }
    }

    func nextLine(until deadline: Date) -> LineResult {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let newline = buffer[lineCursor...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[lineCursor..<newline], as: UTF8.self)
                lineCursor = newline + 1
                return .line(line)
            }
            if atEndOfFile {
                if lineCursor < buffer.count {  // a last line without a newline
                    let line = String(decoding: buffer[lineCursor...], as: UTF8.self)
                    lineCursor = buffer.count
                    return .line(line)
                }
                return .endOfFile
            }
            if !condition.wait(until: deadline) {
                // One last look: the wait may have timed out just as data arrived.
                if buffer[lineCursor...].contains(UInt8(ascii: "\n")) || atEndOfFile { continue }
                return .timedOut
            }
        }
    }
}
