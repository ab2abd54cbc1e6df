import ArgumentParser
import Bridge
import Foundation
import MediaCore
import MediaTransport

extension MediaCtl.RTMS {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a recorded RTMS session: as events, as FLV, live to an RTMP server, or as an emulated RTMS server.",
            discussion: """
                RECORDING is what `rtms listen --record` wrote: one stream's recording (a .mrtms file or the \
                stream's directory) or a whole --record directory (every stream in it, merged in arrival order, or \
                --stream ID to pick one).

                EVENTS (the default): every recorded message as one line, in order, as fast as it can be read \
                (--realtime or --speed X to pace it like the meeting). With --json, one flat JSON object per line, \
                the schema `rtms listen --json` prints (rtms.audio, rtms.transcript, rtms.event, rtms.session, \
                rtms.stream, ...; recorded markers such as rtms.reconnect as written; rtms.note for notes). Media \
                payloads only with --emit-media (base64 `data`); transcript and chat text always. --types and --user \
                filter. A truncated or damaged recording replays up to the damage, then an rtms.damage line (and a \
                message on stderr) says which file, at which byte offset and why, and the exit status is 65.

                FLV (--flv OUT, a path or - for stdout): one stream's audio and video in an FLV that ffmpeg plays \
                and RTMP servers accept. RECORDING must hold one stream, or --stream picks it. H.264 is remuxed \
                (nothing before the first keyframe); JPG and PNG pictures are encoded to H.264 with libx264 \
                (--x264-preset, --video-bitrate); L16, G.711, G.722 and Opus audio to AAC (--audio-bitrate). The \
                codecs are those the recorded media handshake confirmed (the protocol's defaults, L16 16 kHz mono, \
                when it is not in the recording; G.711 is taken as mu-law). FLV holds one video stream: the camera \
                (--video camera, the default) or the screen share (--video share). Audio is every audio message (the \
                mixed stream; when the recording has one L16 stream per participant, they are mixed), or only \
                those of one participant with --user ID (gaps, where others speak, become silence). Timestamps \
                are the recorded RTMS timestamps rebased to the first one; audio gaps are filled with silence so \
                sound and picture stay in sync. A progress line on a terminal; with --json one summary object: \
                {"type": "rtms.flv", "stream", "output", "audio_codec", "video_codec", "audio_messages", "video_messages", \
                "messages_skipped", "duration_ms", "has_audio", "has_video", "audio_packets", "video_packets", "width", \
                "height", "frames_dropped_before_keyframe", "pictures_letterboxed", "undecodable_messages", \
                "messages_ignored", "silence_inserted_ms", "timestamps_corrected", "pictures_reordered", "bytes_written", \
                "notes", "damaged" (and "damage_file", "damage_offset", "damage_reason")}. A damaged recording is \
                converted up to the damage, the FLV is finished properly there, and the exit status is 65.

                PUSH (--push URL): the same conversion published live, at the recorded pace, to an RTMP or RTMPS \
                server through mediactl's own RTMP client (no ffmpeg), with `rtmp push`'s URL forms, \
                authentication (credentials in the URL), --reconnect, --buffer and the other publishing options. \
                The stream name is the URL's last path segment. With --json, stdout carries `rtmp push --json`'s \
                events (rtmp.connected, rtmp.publishing, rtmp.stats, rtmp.status, rtmp.reconnecting), then the \
                rtms.flv summary and rtmp.done. Stream keys and passwords are redacted everywhere. While it runs \
                it is a transponder (its id on stderr): `mediactl transponder ls` lists it with its picture size, \
                `transponder mute`, `unmute`, `sound` and `sound-off` act on its audio before it is encoded (the \
                conversion runs at most half a second ahead of the publish, so within about that), `transponder \
                stop` ends it with a clean unpublish, the summary and exit status 0. A second push of the same \
                recorded stream to the same destination is refused before connecting, with exit status 5.

                SERVE (--serve [HOST:]PORT, default host 127.0.0.1, port 0 picks a free one): an emulated RTMS \
                server for testing RTMS apps offline. Clients start with a signaling handshake at \
                ws://HOST:PORT/signaling, signed with ZM_RTMS_CLIENT and ZM_RTMS_SECRET from the environment (a bad \
                signature gets status 15 and a reason); the response offers a media URL per type and `all`; media \
                handshakes are answered with the parameters of the recorded media. Every connection gets keep-alive \
                requests (timestamp and sequence) every --keepalive-interval seconds and is interrupted after three \
                unanswered ones. After the first client ready ack come the first-packet-timestamp event and a \
                session state update, then the recorded events and media at their recorded pace (--speed), then a \
                session stopped and a stream terminated update (the recorded reason, else 6, meeting ended). Each \
                client gets its own playback; a client that reconnects (a new signaling handshake) continues its \
                interrupted session. wss:// with --tls-cert and --tls-key. When ready it prints the signaling URL, \
                or with --json one line: {"type":"rtms.serve","signaling_url":...,"webhook":<the \
                meeting.rtms_started webhook body a client would get>}, then rtms.serve.* events. With \
                --webhook-url it first sends a signed endpoint.url_validation challenge (the answer must carry the \
                encryptedToken for ZM_RTMS_WEBHOOK_SECRET), then the rtms_started webhook, and rtms_stopped when \
                it stops. --fault stages bad days: drop-media-at=S, drop-signaling-at=S, stop-keepalive-at=S \
                (seconds after playback starts), status=N or media-status=N (refuse handshakes).

                EXIT STATUS (besides the common ones)
                  0    replayed to the end; --serve: stopped by --sessions or --max-seconds
                  4    no stream --stream ID in RECORDING
                  5    --push: this recorded stream is already being pushed to this destination (a transponder)
                  64   usage; --serve without ZM_RTMS_CLIENT/ZM_RTMS_SECRET (and no --any-signature); --flv or \
                       --push with a RECORDING of several streams and no --stream; --push URL whose host name does \
                       not resolve (checked before the recording is opened)
                  65   the recording is damaged (everything before the damage was replayed; --flv/--push: the FLV \
                       ends there); --flv/--push: no usable audio or video, or media libav cannot decode
                  66   RECORDING does not exist or holds no recording
                  69   --push: the RTMP server is unreachable or refused the stream; --webhook-url answered the \
                       rtms_started webhook with an error
                  74   --flv: OUT cannot be written
                  75   --serve: fewer than --sessions sessions ended within --max-seconds; --push: the server \
                       stopped answering
                  76   --push: TLS failed
                  77   --webhook-url failed the URL validation (wrong ZM_RTMS_WEBHOOK_SECRET); --push: the server \
                       refused the credentials
                  130  SIGINT/SIGTERM (--serve first ends every session with a terminated update)

                EXAMPLES
                  mediactl rtms replay --json rec/ | jq -c 'select(.type=="rtms.transcript")'
                  mediactl rtms replay --realtime --types transcript,event rec/5a3d.../
                  mediactl rtms replay --flv meeting.flv Tests/Fixtures/sample-meeting
                  mediactl rtms replay --flv - --video share --user 16778240 rec/ | ffplay -
                  mediactl rtms replay --push rtmp://127.0.0.1/live/meeting --json Tests/Fixtures/sample-meeting
                  mediactl rtms replay --serve 8765 --json Tests/Fixtures/sample-meeting
                  mediactl rtms replay --serve 0 --json --sessions 1 rec/ | jq -c --unbuffered .webhook
                """
        )

        @Argument(help: ArgumentHelp("A recording file, a stream's directory, or a whole --record directory.", valueName: "recording"))
        var recording: String

        @Option(help: ArgumentHelp("Only this stream (its rtms_stream_id or directory name).", valueName: "id"))
        var stream: String?

        @OptionGroup var output: OutputOptions

        // MARK: Events

        @Flag(name: .customLong("emit-media"), help: "Include media payloads (base64 `data`) in JSON lines.")
        var emitMedia = false

        @Option(help: ArgumentHelp("Only these line types: \(RTMSReplayFilter.typeNames.joined(separator: ",")).", valueName: "types"))
        var types: String?

        @Option(help: ArgumentHelp("Only lines about this participant (media from them, events naming them).", valueName: "user-id"))
        var user: Int64?

        @Flag(help: "Pace the replay like the meeting (as --speed 1).")
        var realtime = false

        @Option(help: ArgumentHelp("Pace the replay at this multiple of the recorded pace (events; --serve: default 1).", valueName: "x"))
        var speed: Double?

        // MARK: FLV and push

        @Option(help: ArgumentHelp("Convert to FLV into this file (- for stdout).", valueName: "out"))
        var flv: String?

        @Option(help: ArgumentHelp("Convert to FLV and publish it live to this rtmp:// or rtmps:// URL.", valueName: "url"))
        var push: String?

        @Option(help: ArgumentHelp("Which video goes into the FLV: camera or share.", valueName: "source"))
        var video: RTMSFLVSelection.VideoSource = .camera

        @Option(name: .customLong("x264-preset"), help: ArgumentHelp("libx264 preset for JPG/PNG video (ultrafast ... veryslow).", valueName: "preset"))
        var x264Preset = "veryfast"

        @Option(name: .customLong("video-bitrate"), help: ArgumentHelp("Target bitrate of encoded JPG/PNG video in kbit/s (default: constant quality).", valueName: "kbps"))
        var videoBitrate: Int?

        @Option(name: .customLong("audio-bitrate"), help: ArgumentHelp("AAC bitrate in kbit/s.", valueName: "kbps"))
        var audioBitrate = 96

        @Option(name: .customLong("audio-threads"), help: ArgumentHelp(
            "AAC encoders at work at once for --flv, 1 to 16 (default: one per core, at most 8, at 4 or more bits per sample and channel, e.g. 16 kHz mono at 64 kbit/s or more; else 1).",
            discussion: "The audio is cut into 8 s segments encoded side by side and joined seamlessly. Below 4 bits per sample and channel each segment restarts the encoder's rate control, which costs quality: keep 1 there.",
            valueName: "n"))
        var audioThreads: Int?

        @Flag(help: .hidden)
        var timing = false

        @OptionGroup var publishing: PushOptions

        // MARK: Serve

        @Option(help: ArgumentHelp("Emulate an RTMS server on [HOST:]PORT (host 127.0.0.1 unless given; 0: any free port).", valueName: "[host:]port"))
        var serve: String?

        @Option(name: .customLong("keepalive-interval"), help: ArgumentHelp("Seconds between keep-alive requests on every connection.", valueName: "seconds"))
        var keepaliveInterval = 10.0

        @Option(name: .customLong("reconnect-wait"), help: ArgumentHelp("Seconds an interrupted session waits for its client to come back (media: 5 s more).", valueName: "seconds"))
        var reconnectWait = 60.0

        @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve wss:// with this PEM certificate (chain).", valueName: "path"))
        var tlsCert: String?

        @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "path"))
        var tlsKey: String?

        @Option(name: .customLong("webhook-url"), help: ArgumentHelp("Send the URL validation, rtms_started and rtms_stopped webhooks here (signed with ZM_RTMS_WEBHOOK_SECRET).", valueName: "url"))
        var webhookURL: String?

        @Flag(help: "Start the recording over at its end instead of ending the stream.")
        var loop = false

        @Option(name: .customLong("fault"), help: ArgumentHelp("Stage a fault (repeatable): drop-media-at=S, drop-signaling-at=S, stop-keepalive-at=S, status=N, media-status=N.", valueName: "fault"))
        var faults: [String] = []

        @Option(help: ArgumentHelp("Stop once this many client sessions have ended.", valueName: "count"))
        var sessions: Int?

        @Option(name: .customLong("max-seconds"), help: ArgumentHelp("Stop serving after this many seconds.", valueName: "seconds"))
        var maxSeconds: Double?

        @Flag(name: .customLong("any-signature"), help: "Accept handshakes without checking their signature (no ZM_RTMS_CLIENT/ZM_RTMS_SECRET needed).")
        var anySignature = false

        @OptionGroup var tls: TLSFlags

        /// What the replay produces; each is its own code path.
        enum Mode {
            case events
            case serve(String)
            case flv(String)
            case push(String)
        }

        var mode: Mode {
            if let serve { return .serve(serve) }
            if let flv { return .flv(flv) }
            if let push { return .push(push) }
            return .events
        }

        /// --realtime, --speed X, or as fast as possible (nil).
        var pace: Double? { realtime ? 1 : speed }

        func validate() throws {
            if realtime && speed != nil { throw ValidationError("--realtime and --speed exclude each other") }
            if let speed, !(speed > 0 && speed.isFinite) { throw ValidationError("--speed must be a positive number") }
            if let types { _ = try Self.usage { try RTMSReplayFilter.parseTypes(types) } }
            if [serve != nil, flv != nil, push != nil].filter({ $0 }).count > 1 {
                throw ValidationError("--serve, --flv and --push exclude each other")
            }
            if let audioThreads {
                // Not with --push: live output encodes as it goes.
                guard case .flv = mode else { throw ValidationError("--audio-threads only goes with --flv") }
                guard (1...16).contains(audioThreads) else { throw ValidationError("--audio-threads must be between 1 and 16") }
            }
            let flvOnly: [(Bool, String)] = [
                (video != .camera, "--video"), (x264Preset != "veryfast", "--x264-preset"),
                (videoBitrate != nil, "--video-bitrate"), (audioBitrate != 96, "--audio-bitrate"),
            ]
            switch mode {
            case .flv, .push: break
            default:
                if let used = flvOnly.first(where: \.0) { throw ValidationError("\(used.1) only goes with --flv or --push") }
            }
            switch mode {
            case .flv(let out):
                if emitMedia || types != nil || realtime || speed != nil {
                    throw ValidationError("--emit-media, --types, --realtime and --speed do not go with --flv")
                }
                if out == "-" && output.json { throw ValidationError("--flv - writes FLV on stdout: no --json with it") }
                if audioBitrate < 8 || (videoBitrate ?? 1) < 1 { throw ValidationError("--audio-bitrate must be at least 8 and --video-bitrate positive") }
            case .push:
                if emitMedia || types != nil || realtime || speed != nil {
                    throw ValidationError("--emit-media, --types, --realtime and --speed do not go with --push (it is paced at the recorded pace)")
                }
                if audioBitrate < 8 || (videoBitrate ?? 1) < 1 { throw ValidationError("--audio-bitrate must be at least 8 and --video-bitrate positive") }
            default: break
            }
            if push == nil, let used = publishing.firstChanged {
                throw ValidationError("\(used) only goes with --push")
            }
            switch mode {
            case .events, .flv, .push:
                let serveOnly: [(Bool, String)] = [
                    (tlsCert != nil || tlsKey != nil, "--tls-cert/--tls-key"), (webhookURL != nil, "--webhook-url"),
                    (loop, "--loop"), (!faults.isEmpty, "--fault"), (sessions != nil, "--sessions"),
                    (maxSeconds != nil, "--max-seconds"), (anySignature, "--any-signature"),
                ]
                if let used = serveOnly.first(where: \.0) { throw ValidationError("\(used.1) only goes with --serve") }
            case .serve:
                if emitMedia || types != nil || user != nil {
                    throw ValidationError("--emit-media, --types and --user filter event output, not --serve")
                }
                if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
                guard keepaliveInterval > 0, reconnectWait >= 0 else {
                    throw ValidationError("--keepalive-interval must be positive and --reconnect-wait not negative")
                }
                if let sessions, sessions < 1 { throw ValidationError("--sessions must be at least 1") }
                if let maxSeconds, maxSeconds <= 0 { throw ValidationError("--max-seconds must be positive") }
                for fault in faults { _ = try Self.usage { try RTMSServerFault.parse(fault) } }
            }
        }

        func run() async throws {
            let console = Console(json: output.json, quiet: output.quiet)
            do {
                switch mode {
                case .events: try await ReplayEvents(command: self, console: console).run()
                case .serve(let address): try await ReplayServe(command: self, console: console, address: address).run()
                case .flv(let out): try await ReplayFLV(command: self, console: console, target: .file(out)).run()
                case .push(let url):
                    // A URL that cannot work (no stream name, a host that does not resolve) is refused before the
                    // recording is opened or anything registered.
                    let options = try publishing.publishOptions(url: url, streamName: nil, tls: tls, resolvingHostOf: "--push URL")
                    try await ReplayFLV(command: self, console: console, target: .push(options)).run()
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                // --push speaks `rtmp push --json`'s language, errors included.
                if case .push = mode { throw fail(error, console: console, prefix: "rtmp") }
                throw fail(error, console: console, prefix: "rtms")
            }
        }

        /// Runs a core parser, turning its usage error into a validation error (exit 64 with usage help).
        static func usage<T>(_ body: () throws -> T) throws -> T {
            do {
                return try body()
            } catch let error as MediaError {
                throw ValidationError(error.message)
            }
        }
    }
}

extension RTMSFLVSelection.VideoSource: ExpressibleByArgument {}
