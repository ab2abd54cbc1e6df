import ArgumentParser
import MediaCore
import MediaTransport

extension MediaCtl.Transponder {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List the running transponders of this user.",
            discussion: """
                Asks every registered transponder for its state and numbers at once (each has \(TransponderRegistry.listTimeout.components.seconds) s \
                to answer) and prints them oldest first: a table on a terminal, otherwise one tab-separated line per \
                transponder with the same columns (ID, STATE, UPTIME, SOURCE, URL, SIZE, AUDIO, KBIT/S, SENT, \
                RECONN, BUFFER, PID) and no header. Entries of processes that have ended are removed and not shown; \
                one that does not answer is shown with state `no answer` (JSON: state null, `error` says why).

                With --json, one JSON array of objects: mediaSessionId (the id the other commands take), pid, \
                command, source, streamName (always "***" when the URL names a stream: it is the stream key), \
                rtmpUrl (redacted), startedAt (ISO 8601), audio ("copy": compressed audio copied, mute and sound \
                refused; "mix": encoded, mute and sound work), state (connecting, publishing, reconnecting, \
                stopped, failed), uptime (s), width, height, muted, soundEnabled, soundFile, loop, bitrate \
                (kbit/s over the publish), bytesSent, reconnects, bufferDepth (ms queued), failure, error. No \
                transponders: `[]` (or nothing without --json) and status 0.

                --stream and --url filter like the seed's find: --stream NAME matches the stream name (its query \
                ignored); --url matches the destination: scheme, host, port and app, and the stream name when the \
                URL has one (`rtmp://host/live` matches every stream of app live on host:1935).

                EXIT STATUS (besides the common ones)
                  0    listed (also when there are none)
                  64   --url is not an rtmp:// or rtmps:// URL
                  74   the runtime directory exists but belongs to another user or is open to others

                EXAMPLES
                  mediactl transponder ls
                  mediactl transponder ls --json | jq -r '.[] | select(.state=="reconnecting") | .mediaSessionId'
                  mediactl transponder ls --url rtmp://127.0.0.1/live --stream cam1
                  MEDIACTL_RUNTIME_DIR=/run/user/1000/mediactl-test mediactl transponder ls --json
                """
        )

        @Option(help: ArgumentHelp("Only transponders publishing this stream name.", valueName: "name"))
        var stream: String?

        @Option(help: ArgumentHelp("Only transponders publishing to this server and app (and stream, if the URL names one).", valueName: "url"))
        var url: String?

        @OptionGroup var output: OutputOptions

        func run() async throws {
            let console = Console(json: output.json, quiet: output.quiet)
            do {
                let filter = try TransponderFilter(stream: stream, url: url)
                let registry = try TransponderEnvironment.registry
                let (statuses, problems) = await registry.list(filter: filter)
                let report = TransponderReport(console: console)
                report.problems(problems + statuses.compactMap { status in status.problem.map { "transponder \(status.entry.id): \($0)" } })
                report.list(statuses)
            } catch {
                throw fail(error, console: console, prefix: "transponder")
            }
        }
    }
}
