import Foundation
import MediaCore

#if canImport(Glibc)
    import Glibc
#endif

/// stdout for data (JSON or text, written and flushed line by line), stderr for people.
struct Console: Sendable {
    let json: Bool
    let quiet: Bool
    let stderrIsTerminal = isatty(STDERR_FILENO) == 1
    let colour: Bool

    init(json: Bool, quiet: Bool) {
        self.json = json
        self.quiet = quiet
        let environment = ProcessInfo.processInfo.environment
        colour = isatty(STDERR_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    /// One line on stdout, flushed at once (a pipe into jq sees each event as it happens).
    func data(_ line: String) {
        Self.writeAll(STDOUT_FILENO, line + "\n")
    }

    /// One JSON object as a line on stdout.
    func json(_ value: JSONValue) {
        data(value.jsonString)
    }

    /// A note for people on stderr (suppressed by --quiet).
    func note(_ text: String) {
        guard !quiet else { return }
        clearProgress()
        Self.writeAll(STDERR_FILENO, text + "\n")
    }

    func warning(_ text: String) {
        clearProgress()
        Self.writeAll(STDERR_FILENO, (colour ? "\u{1B}[33mwarning:\u{1B}[0m " : "warning: ") + text + "\n")
    }

    func error(_ text: String) {
        clearProgress()
        Self.writeAll(STDERR_FILENO, (colour ? "\u{1B}[31merror:\u{1B}[0m " : "error: ") + text + "\n")
    }

    /// A progress line that rewrites itself; only on a terminal.
    func progress(_ text: String) {
        guard stderrIsTerminal, !quiet else { return }
        Self.writeAll(STDERR_FILENO, "\r\u{1B}[2K" + text)
    }

    func clearProgress() {
        guard stderrIsTerminal, !quiet else { return }
        Self.writeAll(STDERR_FILENO, "\r\u{1B}[2K")
    }

    static func writeAll(_ fd: CInt, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}
