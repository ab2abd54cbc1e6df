import ArgumentParser
import MediaCore

extension MediaError {
    /// `{"type":"<prefix>.error","code":...,"message":...,"exit_code":...}`.
    func jsonEvent(prefix: String) -> JSONValue {
        .object([
            JSONField("type", .string("\(prefix).error")),
            JSONField("code", .string(kind.code)),
            JSONField("message", .string(message)),
            JSONField("exit_code", .int(Int64(exitCode))),
        ])
    }
}

/// Reports an error the way every command does (message on stderr, an error event on stdout with --json) and
/// turns it into the documented exit status.
func fail(_ error: any Error, console: Console, prefix: String) -> ExitCode {
    let mediaError = error as? MediaError ?? MediaError(.failure, "\(error)")
    console.error(mediaError.message)
    if console.json { console.json(mediaError.jsonEvent(prefix: prefix)) }
    return ExitCode(mediaError.exitCode)
}
