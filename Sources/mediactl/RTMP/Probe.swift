import ArgumentParser
import MediaCore
import MediaTransport

extension MediaCtl.RTMP {
    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tell what an RTMP server and a stream are, fast, with a timeout.",
            discussion: """
                Connects and reports the handshake and connect times, the round trip, the server's fmsVer, \
                capabilities, window acknowledgement size, peer bandwidth and chunk size. With a stream name it \
                plays the stream and adds its metadata and codecs (video codec, profile, level, size, frame \
                rate; audio codec, sample rate, channels), returning as soon as the codecs are known; \
                --duration watches longer to measure bitrate, frame rate and keyframe interval.

                A stream that sends nothing ends with state no_data and exit status 75 within --timeout; one the \
                server says does not exist, with state not_found and status 4. The --require options make the \
                probe exit with status 3 when the stream is not what a CI job expects.

                EXAMPLES
                  mediactl rtmp probe rtmp://127.0.0.1/live
                  mediactl rtmp probe --json rtmp://127.0.0.1/live/key | jq .video
                  mediactl rtmp probe --require-video h264 --require-audio aac --min-fps 25 rtmp://host/live/key
                  mediactl rtmp probe --duration 5 --min-bitrate 2000 rtmps://host/live/key
                """
        )

        @Argument(help: ArgumentHelp("rtmp[s]://[user:pass@]host[:port]/app[/stream]", valueName: "url"))
        var url: String

        @Option(help: ArgumentHelp("Stream name (otherwise the last path segment of the URL).", valueName: "name"))
        var stream: String?

        @Option(help: ArgumentHelp("Give up after this many seconds.", valueName: "seconds"))
        var timeout = 5.0

        @Option(help: ArgumentHelp("Watch the stream this long to measure bitrate, frame rate and keyframe interval.", valueName: "seconds"))
        var duration: Double?

        @Option(help: ArgumentHelp("Local address to connect from.", valueName: "address"))
        var bind: String?

        @Option(name: .customLong("require-video"), help: ArgumentHelp("Fail (status 3) unless the stream has video, of this codec if given (h264, hevc, av1, ...; 'any').", valueName: "codec"))
        var requireVideo: String?

        @Option(name: .customLong("require-audio"), help: ArgumentHelp("Fail (status 3) unless the stream has audio, of this codec if given (aac, mp3, opus, ...; 'any').", valueName: "codec"))
        var requireAudio: String?

        @Option(name: .customLong("min-fps"), help: ArgumentHelp("Fail (status 3) if the frame rate is lower.", valueName: "fps"))
        var minFPS: Double?

        @Option(name: .customLong("min-width"), help: ArgumentHelp("Fail (status 3) if the picture is narrower.", valueName: "pixels"))
        var minWidth: Int?

        @Option(name: .customLong("min-height"), help: ArgumentHelp("Fail (status 3) if the picture is lower.", valueName: "pixels"))
        var minHeight: Int?

        @Option(name: .customLong("min-bitrate"), help: ArgumentHelp("Fail (status 3) if the measured bitrate is lower (needs --duration).", valueName: "kbps"))
        var minBitrate: Double?

        @Option(name: .customLong("max-keyframe-interval"), help: ArgumentHelp("Fail (status 3) if keyframes are further apart (needs --duration).", valueName: "seconds"))
        var maxKeyframeInterval: Double?

        @OptionGroup var tls: TLSFlags
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
            if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
            if (minBitrate != nil || maxKeyframeInterval != nil) && duration == nil {
                throw ValidationError("--min-bitrate and --max-keyframe-interval need --duration to measure")
            }
        }

        var requirements: ProbeRequirements {
            ProbeRequirements(
                video: requireVideo, audio: requireAudio, minFPS: minFPS, minWidth: minWidth, minHeight: minHeight,
                minBitrate: minBitrate, maxKeyframeInterval: maxKeyframeInterval)
        }

        func run() async throws {
            let console = Console(json: output.json, quiet: output.quiet)
            do {
                let parsed = try RTMPURL(url, streamName: stream)
                var options = ProbeOptions(url: parsed)
                options.tls = tls.options
                options.timeout = timeout
                options.duration = duration
                options.bindAddress = bind
                let probing = Task { try await RTMPProber.probe(options) }
                let signals = Signals { _ in probing.cancel() }
                let result = try await probing.value
                _ = signals
                let failures = requirements.check(result)
                let report = ProbeReport(url: parsed, result: result, failures: failures)
                if console.json { console.json(report.json) } else { console.data(report.text) }
                switch result.state {
                case .noData: throw ExitCode(MediaError.Kind.timeout.exitCode)
                case .notFound: throw ExitCode(MediaError.Kind.notFound.exitCode)
                case .ok, .incomplete: break
                }
                if !failures.isEmpty {
                    for failure in failures { console.error(failure) }
                    throw ExitCode(MediaError.Kind.assertionFailed.exitCode)
                }
            } catch let exit as ExitCode {
                throw exit
            } catch is CancellationError {
                throw fail(MediaError(.interrupted, "interrupted"), console: console, prefix: "rtmp")
            } catch {
                throw fail(error, console: console, prefix: "rtmp")
            }
        }
    }
}
