import ArgumentParser
import Bridge
import Foundation
import MediaCore
import MediaTransport

extension MediaCtl.RTMS {
    struct Listen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join RTMS streams from Zoom webhooks (or one given stream), record them losslessly and print their events.",
            discussion: """
                Webhook mode (--webhook [HOST:]PORT[/PATH], host 127.0.0.1 unless given): an HTTP server that \
                answers endpoint.url_validation, checks x-zm-signature over the raw body with the webhook secret \
                token (401 and a logged reason for a bad or stale signature), answers 200 at once, then joins every \
                *.rtms_started stream (meeting, webinar, session, contact center), leaves on *.rtms_stopped and \
                ignores a resent webhook for a stream it already runs. Any number of streams at once. It runs until \
                SIGINT/SIGTERM. Direct mode joins one stream, from a webhook body (--payload FILE, or - for stdin) \
                or from --meeting-uuid/--session-id/--engagement-id, --stream-id and --server-url, and ends with \
                the stream.

                Credentials come from the environment, never from the command line: ZM_RTMS_CLIENT and \
                ZM_RTMS_SECRET (client id and secret, for the handshake signature; a webhook's own signature wins), \
                ZM_RTMS_WEBHOOK_SECRET or ZOOM_SECRET_TOKEN (webhook secret token), or from files named by \
                --client-id-file, --client-secret-file, --webhook-secret-file. They are never printed or recorded.

                Connections: keep-alives are answered on every connection; a dropped connection, or none \
                heard from for --keepalive-timeout seconds, is reconnected with backoff (1, 2, 4, ... 30 s) by a \
                new signaling handshake, and the gap is reported (rtms.disconnect, rtms.reconnect) and recorded. \
                wss:// certificates are verified against the system trust store (or --ca-file) and the URL's host \
                name, or its IP address (an IP SAN entry; no SNI is sent for an IP address).

                With --json, stdout carries NDJSON, one flat object per message: rtms.connected, rtms.audio, \
                rtms.video, rtms.share (with user_id, ts, bytes; the payload as base64 "data" only with \
                --emit-media), rtms.transcript and rtms.chat (with "text"), rtms.event, rtms.session, rtms.stream, \
                rtms.disconnect, rtms.reconnect, rtms.metadata, rtms.unknown, rtms.error, rtms.end; and rtms.joining, \
                rtms.recording, rtms.webhook (listening with the port, validated, rejected with the reason, duplicate, \
                stopped, ignored). Without --json, a readable log on stdout and, on a terminal, a status line on \
                stderr.

                --record DIR writes DIR/<stream id>/stream.mrtms per stream (the id with characters other than \
                A-Z a-z 0-9 . _ - replaced; stream-2.mrtms and so on when a recording exists): every message \
                received, byte for byte, with its arrival time and connection, plus markers for disconnections, \
                reconnections, errors and the end. A thread of its own writes every recording each 20 ms (a slow \
                disk never stalls the network; past 64 MiB waiting in all, reading pauses until the disk catches \
                up), so a process killed even with SIGKILL leaves a recording that reads up to its last complete \
                message, losing at most the last 20 ms; the file is fsynced at the end. A write error (full disk) stops recording: the stream is left cleanly, \
                an rtms.error with code io is printed and the exit status is 74 (in webhook mode every stream is \
                left). The format is described under RECORDING FORMAT below.

                PUSH (--push URL): every stream joined is also published live to an RTMP server, converted on \
                the fly as `rtms replay --push` does (H.264 remuxed, JPG/PNG encoded to H.264, audio to AAC; the camera \
                or, with --push-video share, the screen share; every participant's audio or, with --push-user ID, \
                one's), through mediactl's own RTMP client with `rtmp push`'s URL forms, authentication, \
                --reconnect, --buffer and the other publishing options. Each stream needs its own RTMP stream name: \
                the URL's last path segment is it, and the URL may hold placeholders, {stream} for the stream's \
                rtms_stream_id and {meeting} for its meeting UUID (or session/engagement id), both with the \
                characters other than A-Z a-z 0-9 . _ - replaced as in recording directories (e.g. \
                rtmp://host/live/{meeting}-{stream}). When a name is already being published by another stream of \
                this listener (no placeholder, or {meeting} alone), -2, -3, ... is appended to it (the lowest free \
                number): rtmp://host/live/zoom, then zoom-2. The push is live: media is sent as it arrives (the \
                publisher adds no delay beyond --buffer, dropping video past it while connecting or when the link is \
                slow), and it never holds up receiving: when the converter falls behind by 16 MiB of media, video \
                is dropped up to the next keyframe (audio only when that is not enough) and counted. The push ends \
                with its stream: the rest is sent and the stream unpublished. Each stream's push is a transponder \
                (its id on stderr): `mediactl transponder ls` lists it, `transponder mute`, `unmute`, `sound` and \
                `sound-off` act on its audio before it is encoded, `transponder stop` unpublishes it (the listener \
                and its recording go on); a stream another process already bridges to the same URL is not pushed \
                (an rtms.push.error with code conflict). With --json: rtms.push.start (stream, \
                url, name_suffix: the number appended or null), then `rtmp push --json`'s events as rtms.push.connected, rtms.push.publishing, \
                rtms.push.stats, rtms.push.status, rtms.push.reconnecting, and at the end rtms.push.done (its \
                totals plus ok, the codecs, the message counts, messages_dropped, duration_ms, width, height), \
                each with the stream; a failure is an rtms.push.error (code, message) before the done line. A push \
                failure (server unreachable, refused, reconnections exhausted, media it cannot convert) ends only \
                that push: the stream is still received, recorded and reported, and the exit status does not \
                change. Stream keys and passwords are redacted everywhere.

                EXIT STATUS (besides the common ones)
                  0    the stream ended (terminated by the server, or stopped by a *.rtms_stopped webhook)
                  64   usage: bad options, an unusable webhook address or --push URL (a host name that does not \
                resolve included, checked before anything listens or connects; not with {stream} or {meeting} in \
                the host)
                  65   a --payload that is not a started webhook or a stream descriptor
                  66   the --ca-file cannot be read
                  69   a handshake was refused: the message shows the status number and the server's reason text
                  74   the recording could not be written
                  75   the connection kept failing: --max-reconnects reconnections in a row did not bring media back
                  76   TLS: the server's certificate is not trusted (--ca-file, --insecure) or not valid for its \
                host name or IP address; not retried
                  77   credentials missing (client id/secret, or the webhook secret token in webhook mode)
                  130  SIGINT/SIGTERM: connections closed cleanly (with --close-stream the server was first asked \
                to end the stream) and the recording flushed; a second signal exits at once

                EXAMPLES
                  ZM_RTMS_CLIENT=... ZM_RTMS_SECRET=... ZM_RTMS_WEBHOOK_SECRET=... \\
                    mediactl rtms listen --webhook 8080/zoom --record recordings --json
                  mediactl rtms listen --payload started.json --media audio,transcript --record rec
                  mediactl rtms listen --meeting-uuid 'abc==' --stream-id 03db... --server-url wss://rtms.example/signaling \\
                    --media video --video-codec h264 --video-fps 30 --video-resolution hd --json | jq .bytes
                  mediactl rtms listen --webhook 8080/zoom --record rec --push 'rtmp://127.0.0.1/live/{stream}' --json

                \(RTMSRecordingFormat.formatDescription)
                """
        )

        // MARK: Where streams come from

        @Option(help: ArgumentHelp("Serve Zoom webhooks here and join every stream they announce.", valueName: "[host:]port[/path]"))
        var webhook: String?

        @Option(help: ArgumentHelp("Join the stream of this *.rtms_started webhook body (or bare payload), - for stdin.", valueName: "file"))
        var payload: String?

        @Option(name: .customLong("meeting-uuid"), help: ArgumentHelp("Join a meeting's or webinar's stream.", valueName: "uuid"))
        var meetingUUID: String?

        @Option(name: .customLong("session-id"), help: ArgumentHelp("Join a Video SDK session's stream.", valueName: "id"))
        var sessionID: String?

        @Option(name: .customLong("engagement-id"), help: ArgumentHelp("Join a Contact Center engagement's stream.", valueName: "id"))
        var engagementID: String?

        @Option(name: .customLong("stream-id"), help: ArgumentHelp("rtms_stream_id of the stream to join.", valueName: "id"))
        var streamID: String?

        @Option(name: .customLong("server-url"), help: ArgumentHelp("Signaling URL (server_urls); repeat or separate with commas.", valueName: "url"))
        var serverURLs: [String] = []

        // MARK: Credentials

        @Option(name: .customLong("client-id-file"), help: ArgumentHelp("Read the client id from this file instead of ZM_RTMS_CLIENT.", valueName: "path"))
        var clientIDFile: String?

        @Option(name: .customLong("client-secret-file"), help: ArgumentHelp("Read the client secret from this file instead of ZM_RTMS_SECRET.", valueName: "path"))
        var clientSecretFile: String?

        @Option(name: .customLong("webhook-secret-file"), help: ArgumentHelp("Read the webhook secret token from this file instead of ZM_RTMS_WEBHOOK_SECRET.", valueName: "path"))
        var webhookSecretFile: String?

        // MARK: What to receive

        @Option(help: ArgumentHelp("Media to ask for: audio,video,deskshare,transcript,chat or all.", valueName: "types"))
        var media = "all"

        @Option(help: ArgumentHelp("Media connections: auto (one all connection when everything is wanted and offered), all, per-type.", valueName: "mode"))
        var connection = "auto"

        @Option(name: .customLong("audio-codec"), help: ArgumentHelp("l16, g711, g722 or opus.", valueName: "codec"))
        var audioCodec: String?

        @Option(name: .customLong("audio-sample-rate"), help: ArgumentHelp("8000, 16000, 32000 or 48000.", valueName: "hz"))
        var audioSampleRate: Int?

        @Option(name: .customLong("audio-channels"), help: ArgumentHelp("1 (mono) or 2 (stereo, Opus only).", valueName: "n"))
        var audioChannels: Int?

        @Option(name: .customLong("audio-data"), help: ArgumentHelp("mixed, or per-participant (one stream per speaker).", valueName: "option"))
        var audioData: String?

        @Option(name: .customLong("audio-send-rate"), help: ArgumentHelp("Milliseconds of audio per message: a multiple of 20 up to 1000.", valueName: "ms"))
        var audioSendRate: Int?

        @Option(name: .customLong("video-codec"), help: ArgumentHelp("jpg, png (up to 5 fps) or h264.", valueName: "codec"))
        var videoCodec: String?

        @Option(name: .customLong("video-resolution"), help: ArgumentHelp("sd, hd, fhd or qhd.", valueName: "size"))
        var videoResolution: String?

        @Option(name: .customLong("video-fps"), help: ArgumentHelp("Frames per second, 1 to 30.", valueName: "fps"))
        var videoFPS: Int?

        @Option(name: .customLong("video-data"), help: ArgumentHelp("active-speaker, individual (with --video-user) or gallery.", valueName: "option"))
        var videoData: String?

        @Option(name: .customLong("deskshare-codec"), help: ArgumentHelp("jpg, png (up to 1 fps) or h264.", valueName: "codec"))
        var deskshareCodec: String?

        @Option(name: .customLong("deskshare-resolution"), help: ArgumentHelp("sd, hd, fhd or qhd.", valueName: "size"))
        var deskshareResolution: String?

        @Option(name: .customLong("deskshare-fps"), help: ArgumentHelp("Frames per second, 1 to 30.", valueName: "fps"))
        var deskshareFPS: Int?

        @Option(name: .customLong("transcript-language"), help: ArgumentHelp("Source language: a name (english, german, ...) or its number.", valueName: "language"))
        var transcriptLanguage: String?

        @Option(name: .customLong("language-detection"), help: ArgumentHelp("Let the server detect the transcript language (true/false).", valueName: "bool"))
        var languageDetection: Bool?

        @Option(help: ArgumentHelp("Events to subscribe to: names (active_speaker_change, participant_join, ...) or numbers, or none.", valueName: "list"))
        var events: String?

        @Option(name: .customLong("video-user"), help: ArgumentHelp("Subscribe to this participant's own video (needs --video-data individual).", valueName: "user-id"))
        var videoUser: Int64?

        @Flag(name: .customLong("no-buffer-data"), help: "Drop the audio captured before the signaling connection was up (buffer_data false).")
        var noBufferData = false

        // MARK: Behaviour

        @Flag(name: .customLong("close-stream"), help: "On SIGINT/SIGTERM, ask the server to end the stream itself before leaving.")
        var closeStream = false

        @Option(help: ArgumentHelp("Record every message of every stream below this directory.", valueName: "dir"))
        var record: String?

        @Flag(name: .customLong("emit-media"), help: "Include media payloads (base64 \"data\") in the JSON events.")
        var emitMedia = false

        @Option(name: .customLong("keepalive-timeout"), help: ArgumentHelp("Reconnect when no keep-alive came for this long.", valueName: "seconds"))
        var keepaliveTimeout = 65.0

        @Option(name: .customLong("max-reconnects"), help: ArgumentHelp("Reconnections in a row, without media coming back, before giving up.", valueName: "n"))
        var maxReconnects = 10

        // MARK: Push

        @Option(help: ArgumentHelp("Publish every stream live to this rtmp:// or rtmps:// URL ({stream} and {meeting} are replaced).", valueName: "url"))
        var push: String?

        @Option(name: .customLong("push-video"), help: ArgumentHelp("Which video --push publishes: camera or share.", valueName: "source"))
        var pushVideo: RTMSFLVSelection.VideoSource = .camera

        @Option(name: .customLong("push-user"), help: ArgumentHelp("--push only this participant's audio (default: everyone's).", valueName: "user-id"))
        var pushUser: Int64?

        @OptionGroup var publishing: PushOptions

        @OptionGroup var tls: TLSFlags
        @OptionGroup var output: OutputOptions

        // MARK: -

        private var directIDs: [(RTMSInstanceID.Kind, String)] {
            [(.meetingUUID, meetingUUID), (.sessionID, sessionID), (.engagementID, engagementID)]
                .compactMap { kind, value in value.map { (kind, $0) } }
        }

        func validate() throws {
            let flagsGiven = !directIDs.isEmpty || streamID != nil || !serverURLs.isEmpty
            let modes = [webhook != nil, payload != nil, flagsGiven].filter { $0 }.count
            guard modes == 1 else {
                throw ValidationError(
                    "give one of --webhook, --payload, or --meeting-uuid/--session-id/--engagement-id with --stream-id and --server-url")
            }
            if flagsGiven {
                guard directIDs.count == 1 else {
                    throw ValidationError("give exactly one of --meeting-uuid, --session-id, --engagement-id")
                }
                guard streamID != nil, !serverURLs.isEmpty else {
                    throw ValidationError("direct mode needs --stream-id and --server-url")
                }
            }
            guard keepaliveTimeout > 0 else { throw ValidationError("--keepalive-timeout must be positive") }
            guard maxReconnects >= 0 else { throw ValidationError("--max-reconnects must not be negative") }
            try validatePush()
            do {
                _ = try clientOptions()
                if let webhook { _ = try RTMSWebhookEndpoint(parsing: webhook) }
            } catch let error as MediaError {
                throw ValidationError(error.message)
            }
        }

        private func validatePush() throws {
            guard let push else {
                let pushOnly: [(Bool, String)] = [(pushVideo != .camera, "--push-video"), (pushUser != nil, "--push-user")]
                if let used = pushOnly.first(where: \.0)?.1 ?? publishing.firstChanged {
                    throw ValidationError("\(used) only goes with --push")
                }
                return
            }
            do {
                let naming = try RTMSPushNaming(template: push)
                _ = try publishing.publishOptions(
                    url: try naming.resolve(streamID: "stream", instance: "meeting", inUse: []).url, streamName: nil, tls: tls)
            } catch let error as MediaError {
                throw ValidationError("--push: \(error.message)")
            }
        }

        func run() async throws {
            let console = Console(json: output.json, quiet: output.quiet)
            // A file size limit (ulimit -f) then fails the write with EFBIG, handled like a full disk, instead of
            // killing the process.
            signal(SIGXFSZ, SIG_IGN)
            EventLoopExecutor.install()
            let report = ListenReport(console: console, emitMedia: emitMedia)
            do {
                let options = try clientOptions()
                let credentials = try ListenCredentials.load(
                    clientIDFile: clientIDFile, clientSecretFile: clientSecretFile, webhookSecretFile: webhookSecretFile)
                try tls.options.check()
                let configuration = RTMSListenerConfiguration(
                    options: options, credentials: credentials.client, tls: tls.options, recordDirectory: record)
                // Media not asked for will not come: no waiting for its codec before the FLV starts.
                let wanted = options.mediaTypes
                let both = wanted.contains(.all) || (wanted.contains(.audio) && wanted.contains(pushVideo == .camera ? .video : .deskshare))
                let selection = RTMSFLVSelection(video: pushVideo, audioUserID: pushUser, codecWaitMs: both ? 2_000 : 0)
                let pushes = try push.map { template in
                    let naming = try RTMSPushNaming(template: template)
                    // A host that does not resolve is a usage error before anything listens or connects. A host
                    // holding {stream} or {meeting} is known only when a stream joins: not checked here
                    // (connecting tells, as an rtms.push.error).
                    if let url = naming.sameHostURL { try HostResolution.check(url, option: "--push URL") }
                    return ListenPush(naming: naming, publishing: publishing, tls: tls, selection: selection, report: report)
                }
                let listener = RTMSListener(configuration: configuration) { event in
                    report.show(event)
                    pushes?.handle(event)
                }
                let signals = Signals { _ in listener.stop(closeStream: closeStream) }
                report.onRecordingFailure = { listener.stop(closeStream: false) }
                report.startStatusLine { listener.runningCount }
                defer { report.stopStatusLine() }

                let summary: RTMSListenerSummary
                if let webhook {
                    guard let secret = credentials.webhookSecret else {
                        throw MediaError(
                            .authenticationFailed,
                            "no webhook secret token: set ZM_RTMS_WEBHOOK_SECRET (or ZOOM_SECRET_TOKEN) or give --webhook-secret-file")
                    }
                    guard credentials.client != nil else {
                        throw MediaError(
                            .authenticationFailed,
                            "no client credentials: set ZM_RTMS_CLIENT and ZM_RTMS_SECRET or give --client-id-file and --client-secret-file")
                    }
                    let server = RTMSWebhookServer(
                        endpoint: try RTMSWebhookEndpoint(parsing: webhook), secretToken: secret, listener: listener
                    ) { report.show($0) }
                    summary = try await Self.serve(server, listener: listener)
                } else {
                    let descriptor = try streamDescriptor()
                    if descriptor.signature == nil && credentials.client == nil {
                        throw MediaError(
                            .authenticationFailed,
                            "no client credentials: set ZM_RTMS_CLIENT and ZM_RTMS_SECRET or give --client-id-file and --client-secret-file")
                    }
                    listener.join(descriptor)
                    listener.closeIntake()
                    summary = await listener.run()
                }
                // Every push ends with its stream: the rest is sent and the stream unpublished.
                await pushes?.finish()
                report.stopStatusLine()
                if let error = summary.recordingError { throw error }
                if signals.wasInterrupted { throw ExitCode(130) }
                if webhook == nil, let error = summary.last?.outcome.error { throw error }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                report.stopStatusLine()
                throw fail(error, console: console, prefix: "rtms")
            }
        }

        /// Runs the webhook server until the listener stops (SIGINT/SIGTERM, a recording failure); a server that
        /// cannot start stops the listener and throws.
        private static func serve(_ server: RTMSWebhookServer, listener: RTMSListener) async throws -> RTMSListenerSummary {
            let serving = Task { try await server.run() }
            let listening = Task { await listener.run() }
            let serverFailure = Task {
                do {
                    try await serving.value
                    return nil as (any Error)?
                } catch {
                    listener.stop(closeStream: false)
                    return error
                }
            }
            let summary = await listening.value
            serving.cancel()
            if let error = await serverFailure.value { throw error }
            return summary
        }

        // MARK: Building the request

        private func streamDescriptor() throws -> RTMSStreamDescriptor {
            if let payload {
                let body = try PayloadInput.read(payload)
                let json = try JSONValue.parse(body)
                if json["event"] != nil {
                    switch try RTMSWebhook.parse(body) {
                    case .started(let descriptor): return descriptor
                    default:
                        throw MediaError(
                            .malformedInput, "--payload \(payload): not a *.rtms_started webhook (\(json["event"]?.stringValue ?? "?"))")
                    }
                }
                return try RTMSStreamDescriptor(json: json)
            }
            let (kind, value) = directIDs[0]
            let product: RTMSProduct = kind == .sessionID ? .session : kind == .engagementID ? .contactCenter : .meeting
            return RTMSStreamDescriptor(
                product: product, id: RTMSInstanceID(kind, value), streamID: streamID ?? "",
                serverURLs: serverURLs.flatMap(RTMSStreamDescriptor.splitServerURLs))
        }

        private func clientOptions() throws -> RTMSClientOptions {
            var options = RTMSClientOptions()
            options.mediaTypes = try ListenNames.mediaTypes(media)
            guard let mode = RTMSConnectionMode(rawValue: connection) else {
                throw MediaError(.usage, "--connection \(connection): expected auto, all or per-type")
            }
            options.connectionMode = mode
            options.mediaParameters = try mediaParameters()
            if let events { options.events = try ListenNames.events(events) }
            options.videoUserID = videoUser
            options.bufferData = noBufferData ? false : nil
            options.maxReconnectAttempts = maxReconnects
            options.keepAliveTimeout = keepaliveTimeout
            return options
        }

        private func mediaParameters() throws -> RTMSMediaParameters {
            var p = RTMSMediaParameters()
            if audioCodec != nil || audioSampleRate != nil || audioChannels != nil || audioData != nil || audioSendRate != nil {
                p.audio = RTMSAudioParameters(
                    contentType: .rawAudio,
                    sampleRate: try audioSampleRate.map {
                        guard let code = RTMSAudioSampleRate(hertz: $0) else {
                            throw MediaError(.usage, "--audio-sample-rate \($0): expected 8000, 16000, 32000 or 48000")
                        }
                        return code
                    },
                    channel: try audioChannels.map {
                        guard $0 == 1 || $0 == 2 else { throw MediaError(.usage, "--audio-channels \($0): expected 1 or 2") }
                        return RTMSAudioChannel(rawValue: $0)
                    },
                    codec: try audioCodec.map { try ListenNames.code(RTMSCodec.self, $0, flag: "--audio-codec") },
                    dataOption: try audioData.map { try ListenNames.audioDataOption($0) },
                    sendRate: audioSendRate.map(Int64.init))
            }
            if videoCodec != nil || videoResolution != nil || videoFPS != nil || videoData != nil || videoUser != nil {
                p.video = RTMSVideoParameters(
                    contentType: .rawVideo,
                    codec: try videoCodec.map { try ListenNames.code(RTMSCodec.self, $0, flag: "--video-codec") },
                    resolution: try videoResolution.map { try ListenNames.code(RTMSResolution.self, $0, flag: "--video-resolution") },
                    dataOption: try (videoData ?? (videoUser != nil ? "individual" : nil)).map { try ListenNames.videoDataOption($0) },
                    fps: videoFPS.map(Int64.init))
            }
            if deskshareCodec != nil || deskshareResolution != nil || deskshareFPS != nil {
                p.deskshare = RTMSVideoParameters(
                    contentType: .rawVideo,
                    codec: try deskshareCodec.map { try ListenNames.code(RTMSCodec.self, $0, flag: "--deskshare-codec") },
                    resolution: try deskshareResolution.map { try ListenNames.code(RTMSResolution.self, $0, flag: "--deskshare-resolution") },
                    fps: deskshareFPS.map(Int64.init))
            }
            if transcriptLanguage != nil || languageDetection != nil {
                p.transcript = RTMSTranscriptParameters(
                    contentType: .text,
                    sourceLanguage: try transcriptLanguage.map { try ListenNames.language($0) },
                    enableLanguageIdentification: languageDetection)
            }
            if let problem = p.problems.first { throw MediaError(.usage, problem) }
            return p
        }
    }
}

