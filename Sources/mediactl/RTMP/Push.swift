import ArgumentParser
import Foundation
import MediaCore
import MediaTransport

extension MediaCtl.RTMP {
    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish an FLV file or stdin to an RTMP/RTMPS server.",
            discussion: """
                Sends the FLV's tags as they are (no re-encoding), paced in real time on their timestamps unless \
                --no-realtime. Credentials in the URL answer Adobe (authmod=adobe) and Limelight (authmod=llnw) \
                challenges and are never sent in tcUrl; query parameters reach the server with the app and the \
                stream name. Stream keys and passwords are redacted in every message and in JSON.

                With --json, stdout carries NDJSON events: rtmp.connected, rtmp.publishing, rtmp.stats (every \
                --stats-interval seconds), rtmp.status, rtmp.reconnecting, rtmp.done (totals) or rtmp.error.

                While it runs it is a transponder (its id on stderr): `mediactl transponder ls` lists it, \
                `transponder stop ID` ends it with a clean unpublish and exit status 0. A second push of the same \
                source (file, or stdin) to the same destination is refused before connecting, with exit status 5.

                A URL that cannot work (no stream name, or a host name that does not resolve) is refused with exit \
                status 64 before the source is opened or anything connects. A resolver that cannot answer for now \
                is not such a refusal: connecting reports it (exit status 69; --reconnect retries it).

                EXAMPLES
                  mediactl rtmp push clip.flv rtmp://127.0.0.1/live/key
                  ffmpeg -re -i in.mp4 -c copy -f flv - | mediactl rtmp push - rtmps://user:pass@ingest.example.com/app/key
                  mediactl rtmp push --loop --duration 3600 --reconnect 5 clip.flv rtmp://host/live/key
                  mediactl rtmp push --no-realtime --json clip.flv rtmp://host/live/key | jq .bitrate_kbps
                """
        )

        @Argument(help: ArgumentHelp("An FLV file, or - for FLV on stdin.", valueName: "source"))
        var source: String

        @Argument(help: ArgumentHelp("rtmp://[user:pass@]host[:port]/app[/instance]/stream[?query], or rtmps://.", valueName: "url"))
        var url: String

        @Option(help: ArgumentHelp("Stream name (otherwise the last path segment of the URL).", valueName: "name"))
        var stream: String?

        @Flag(name: .customLong("no-realtime"), help: "Send as fast as the server accepts instead of at the media's own pace.")
        var noRealtime = false

        @Flag(help: "Repeat the file, with timestamps that keep increasing.")
        var loop = false

        @Option(help: ArgumentHelp("Stop after this much media time.", valueName: "seconds"))
        var duration: Double?

        @OptionGroup var publishing: PushOptions
        @OptionGroup var tls: TLSFlags
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try publishing.validate()
            if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
            if loop && source == "-" { throw ValidationError("--loop needs a file: stdin cannot be rewound") }
        }

        func run() async throws {
            let console = Console(json: output.json, quiet: output.quiet)
            do {
                // A host that does not resolve is a usage error before the source is opened or anything registered.
                var options = try publishing.publishOptions(url: url, streamName: stream, tls: tls, resolvingHostOf: "URL")
                options.realtime = !noRealtime
                options.loop = loop
                options.duration = duration
                let source = try ByteSource(path: self.source)
                let report = PushReport(console: console, url: options.url)
                let transponder = try await PushTransponder.register(source: self.source, url: options.url, console: console)
                let publisher = RTMPPublisher(source: source, options: options) { transponder.observe($0); report.show($0) }
                let signals = Signals { _ in publisher.requestStop() }
                let stats = try await transponder.run(publisher)
                report.done(stats, interrupted: signals.wasInterrupted)
                if signals.wasInterrupted { throw ExitCode(130) }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                throw fail(error, console: console, prefix: "rtmp")
            }
        }
    }
}

/// How `rtmp push` shows its events: NDJSON on stdout with --json, otherwise notes and a progress line on
/// stderr and a summary on stdout.
struct PushReport: Sendable {
    let console: Console
    let url: RTMPURL

    func show(_ event: PublishEvent) {
        switch event {
        case .connecting(let attempt):
            if attempt == 0 { console.note("connecting to \(url.redacted)") }
        case .connected(let info, let timings):
            if console.json {
                console.json(
                    .object(
                        [
                            JSONField("type", "rtmp.connected"),
                            JSONField("url", .string(url.redacted)),
                            JSONField("server", info.serverVersion.map { .string($0) } ?? .null),
                        ] + timingFields(timings)))
            } else {
                console.note("connected (\(info.serverVersion ?? "unknown server"), \(format(timings.connectResult)) ms)")
            }
        case .publishing(let streamID):
            if console.json {
                console.json(
                    .object([
                        JSONField("type", "rtmp.publishing"),
                        JSONField("url", .string(url.redacted)),
                        JSONField("stream_id", .int(Int64(streamID))),
                    ]))
            } else {
                console.note("publishing")
            }
        case .stats(let stats):
            if console.json {
                console.json(.object([JSONField("type", "rtmp.stats")] + fields(stats)))
            } else {
                console.progress(progressLine(stats))
            }
        case .reconnecting(let attempt, let delay, let reason):
            if console.json {
                console.json(
                    .object([
                        JSONField("type", "rtmp.reconnecting"),
                        JSONField("attempt", .int(Int64(attempt))),
                        JSONField("delay_s", .double(delay)),
                        JSONField("code", .string(reason.kind.code)),
                        JSONField("reason", .string(reason.message)),
                    ]))
            } else {
                console.warning("\(reason.message); reconnecting in \(format(delay)) s (attempt \(attempt))")
            }
        case .status(let status):
            if console.json {
                console.json(
                    .object([
                        JSONField("type", "rtmp.status"),
                        JSONField("level", .string(status.level)),
                        JSONField("code", .string(status.code)),
                        JSONField("description", .string(status.details)),
                    ]))
            } else {
                console.note("server: \(status)")
            }
        case .warning(let text):
            console.warning(text)
        }
    }

    func done(_ stats: PublishStats, interrupted: Bool) {
        if console.json {
            console.json(
                .object(
                    [JSONField("type", "rtmp.done")] + fields(stats) + [
                        JSONField("interrupted", .bool(interrupted))
                    ]))
        } else {
            console.clearProgress()
            let seconds = stats.wallTime / 1000
            console.data(
                "sent \(stats.bytesSent) bytes (\(stats.audioTags) audio, \(stats.videoTags) video, \(stats.dataTags) data tags, \(format(Double(stats.mediaTime) / 1000)) s of media) in \(format(seconds)) s: \(format(stats.bitrateKbps)) kbit/s; dropped \(stats.droppedFrames) frames; \(stats.reconnects) reconnects\(interrupted ? "; interrupted" : "")"
            )
        }
    }

    func fields(_ stats: PublishStats) -> [JSONField] {
        var fields: [JSONField] = [
            JSONField("url", .string(url.redacted)),
            JSONField("bytes_sent", .int(Int64(stats.bytesSent))),
            JSONField("media_bytes", .int(Int64(stats.mediaBytes))),
            JSONField("audio_tags", .int(Int64(stats.audioTags))),
            JSONField("video_tags", .int(Int64(stats.videoTags))),
            JSONField("data_tags", .int(Int64(stats.dataTags))),
            JSONField("media_time_ms", .int(stats.mediaTime)),
            JSONField("wall_time_ms", .double(round(stats.wallTime * 10) / 10)),
            JSONField("bitrate_kbps", .double(round(stats.bitrateKbps * 10) / 10)),
            JSONField("buffer_ms", .int(stats.bufferDepth)),
            JSONField("dropped_frames", .int(Int64(stats.droppedFrames))),
            JSONField("dropped_bytes", .int(Int64(stats.droppedBytes))),
            JSONField("reconnects", .int(Int64(stats.reconnects))),
        ]
        if let median = stats.pacingMedianBehind {
            fields.append(JSONField("pacing_max_ahead_ms", .double(round(stats.pacingMaxAhead * 100) / 100)))
            fields.append(JSONField("pacing_max_behind_ms", .double(round(stats.pacingMaxBehind * 100) / 100)))
            fields.append(JSONField("pacing_median_behind_ms", .double(round(median * 100) / 100)))
        }
        return fields
    }

    func timingFields(_ timings: RTMPConnectionTimings) -> [JSONField] {
        [
            JSONField("tcp_ms", timings.tcpConnected.map { .double(round($0 * 100) / 100) } ?? .null),
            JSONField("handshake_ms", timings.handshakeDone.map { .double(round($0 * 100) / 100) } ?? .null),
            JSONField("connect_ms", timings.connectResult.map { .double(round($0 * 100) / 100) } ?? .null),
        ]
    }

    func progressLine(_ stats: PublishStats) -> String {
        let media = Double(stats.mediaTime) / 1000
        let wall = stats.wallTime / 1000
        return "\(format(stats.bitrateKbps / 1000)) Mbit/s  sent \(format(media)) s of media in \(format(wall)) s  buffer \(stats.bufferDepth) ms  dropped \(stats.droppedFrames)  reconnects \(stats.reconnects)"
    }
}

func format(_ value: Double?) -> String {
    guard let value else { return "-" }
    return String(format: "%.1f", value)
}
