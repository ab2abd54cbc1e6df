import ArgumentParser
import MediaCore

@main
struct MediaCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mediactl",
        abstract: "A multi-tool for live media plumbing: RTMP publishing and probing, Zoom RTMS receiving and recording.",
        discussion: """
            Every command takes --json: stdout then carries only JSON (one object, or NDJSON for streams of \
            events, one flat object per line). Without it, stdout carries readable text. Diagnostics and \
            progress go to stderr; colour only on a terminal and never with NO_COLOR or TERM=dumb.

            EXIT STATUS
            \(ExitStatus.table)
            """,
        version: MediaCoreVersion.string,
        subcommands: [RTMP.self, RTMS.self, Transponder.self]
    )
}

/// The exit codes, one place for the man page and the code: `MediaError.Kind.exitCode`.
enum ExitStatus {
    static let table: String = {
        let rows: [(Int32, String)] = [
            (0, "success"),
            (1, "failure not covered below"),
            (3, "rtmp probe: the stream is not what a --require option asked for"),
            (4, "not found: the stream or object does not exist"),
            (5, "conflict: such an object already exists"),
            (64, "usage: bad command line, option or URL (a host name that does not resolve included)"),
            (65, "bad data: malformed input file or a peer that broke the protocol"),
            (66, "input missing: a file that does not exist"),
            (69, "unavailable: connection refused, unreachable, or the server refused the request"),
            (74, "I/O error: reading or writing a local file failed"),
            (75, "timeout: the peer or the stream did not answer in time, or reconnecting kept failing (retryable)"),
            (76, "TLS handshake or certificate failure"),
            (77, "authentication failed: wrong or missing credentials"),
            (130, "interrupted (SIGINT or SIGTERM)"),
        ]
        return rows.map { "  \($0.0)\t\($0.1)" }.joined(separator: "\n")
    }()
}
