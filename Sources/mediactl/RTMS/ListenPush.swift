import Bridge
import Foundation
import MediaCore
import MediaTransport
import Remux

/// `rtms listen --push URL`: a live bridge (`RTMSLivePush`) for every stream the listener joins, fed with the
/// stream's events as they are reported (never waiting), ended with the stream; its publisher's events as
/// `rtms.push.*` lines (`rtmp push --json`'s fields, plus `stream`).
final class ListenPush: @unchecked Sendable {
    // @unchecked: the mutable state is only touched under `lock`.
    private let naming: RTMSPushNaming
    private let publishing: PushOptions
    private let tls: TLSFlags
    private let selection: RTMSFLVSelection
    private let configuration: FLVRemuxConfiguration
    private let report: ListenReport
    private let lock = NSLock()
    /// The running pushes by stream id, with their RTMP stream names.
    private var running: [String: (push: RTMSLivePush, name: String)] = [:]
    private var tasks: [Task<Void, Never>] = []

    init(naming: RTMSPushNaming, publishing: PushOptions, tls: TLSFlags, selection: RTMSFLVSelection, report: ListenReport) {
        self.naming = naming
        self.publishing = publishing
        self.tls = tls
        self.selection = selection
        self.report = report
        var configuration = FLVRemuxConfiguration(output: .standardOutput)
        configuration.libavLogLevel = report.console.quiet ? .quiet : .error
        self.configuration = configuration
    }

    /// Called with every listener event, on the receive path: starts, feeds and ends the bridges.
    func handle(_ event: RTMSListenerEvent) {
        switch event {
        case .joining(let descriptor):
            start(descriptor)
        case .session(let event):
            guard let push = lock.withLock({ running[event.stream]?.push }) else { return }
            if case .ended = event.kind {
                push.end()
            } else {
                push.offer(event)
            }
        default:
            break
        }
    }

    /// Waits for every bridge to finish (each ends with its stream).
    func finish() async {
        while let task = lock.withLock({ tasks.popLast() }) { await task.value }
    }

    /// The live bridges now, for a later registration (transponders).
    var pushes: [RTMSLivePush] { lock.withLock { running.values.map(\.push) } }

    private func start(_ descriptor: RTMSStreamDescriptor) {
        let stream = descriptor.streamID
        lock.lock()
        defer { lock.unlock() }
        // The same stream joined again (a new rtms_started after it ended) while its last push still finishes:
        // that one has had its end; the new one gets a name of its own.
        running[stream]?.push.end()
        let options: PublishOptions
        let name: String
        let suffix: Int?
        do {
            let target = try naming.resolve(
                streamID: stream, instance: descriptor.id.value, inUse: Set(running.values.map(\.name)))
            options = try publishing.publishOptions(url: target.url, streamName: nil, tls: tls)
            name = target.name
            suffix = target.suffix
        } catch {
            let failure = error as? MediaError ?? MediaError(.usage, "\(error)")
            report.line(json: Self.error(stream: stream, url: nil, failure), text: "push of stream \(stream) not started: \(failure.message)")
            return
        }
        let url = options.url
        let pushReport = PushReport(console: report.console, url: url)
        let reportLine = report
        // Each bridge is a transponder (`mediactl transponder ls`): mute and sound act on its audio before the
        // AAC encoder, stop unpublishes it.
        let audio = TransponderAudioControl()
        let transponder = PublisherTransponder(audio: audio)
        let push = RTMSLivePush(
            streamID: stream, configuration: configuration, selection: selection, options: options
        ) { event in
            transponder.observe(event)
            Self.show(event, stream: stream, pushReport: pushReport, report: reportLine)
        }
        push.setPCMFilter { samples, rate, channels in audio.process(samples, sampleRate: rate, channels: channels) }
        transponder.attach(push.publisher)
        transponder.setPictureSize { push.bridge.pictureSize }
        let source = TransponderSource.rtmsStream(meetingUUID: descriptor.id.value, streamID: stream)
        running[stream] = (push, name)
        report.line(
            json: .object([
                JSONField("type", "rtms.push.start"), JSONField("stream", .string(stream)),
                JSONField("url", .string(url.redacted)), JSONField("name_suffix", suffix.map { .int(Int64($0)) } ?? .null),
            ]),
            text: "stream \(stream): pushing to \(url.redacted)\(suffix.map { " (stream name with -\($0) appended)" } ?? "")")
        tasks.append(
            Task {
                let registration: TransponderRegistration?
                do {
                    registration = try await BridgeTransponder.registration(
                        command: "rtms listen", source: source, url: url, controller: transponder,
                        console: self.report.console)
                } catch {
                    // The same stream is already bridged to this URL by another process (exit status 5 there).
                    let failure = error as? MediaError ?? MediaError(.failure, "\(error)")
                    push.stop()
                    self.lock.withLock {
                        if self.running[stream]?.push === push { self.running[stream] = nil }
                    }
                    self.report.line(
                        json: Self.error(stream: stream, url: url, failure),
                        text: "push of stream \(stream) not started: \(failure.message)")
                    return
                }
                let result = await push.run()
                transponder.finish(result.error.map { .failure($0) } ?? .success(result.stats))
                await registration?.close()
                self.lock.withLock {
                    if self.running[stream]?.push === push { self.running[stream] = nil }
                }
                self.done(result, stream: stream, suffix: suffix, pushReport: pushReport)
            })
    }

    // MARK: Output

    private static func show(_ event: PublishEvent, stream: String, pushReport: PushReport, report: ListenReport) {
        let prefix = [JSONField("stream", .string(stream))]
        let url = pushReport.url.redacted
        switch event {
        case .connecting(let attempt):
            if attempt == 0 { report.line(json: nil, text: "stream \(stream): connecting to \(url)") }
        case .connected(let info, let timings):
            report.line(
                json: .object(
                    [JSONField("type", "rtms.push.connected")] + prefix + [
                        JSONField("url", .string(url)),
                        JSONField("server", info.serverVersion.map { .string($0) } ?? .null),
                    ] + pushReport.timingFields(timings)),
                text: "stream \(stream): connected to \(url) (\(info.serverVersion ?? "unknown server"))")
        case .publishing(let id):
            report.line(
                json: .object(
                    [JSONField("type", "rtms.push.publishing")] + prefix + [
                        JSONField("url", .string(url)), JSONField("stream_id", .int(Int64(id))),
                    ]),
                text: "stream \(stream): publishing to \(url)")
        case .stats(let stats):
            // Text mode: the listener's status line is the progress; stats only as JSON.
            report.line(json: .object([JSONField("type", "rtms.push.stats")] + prefix + pushReport.fields(stats)), text: nil)
        case .reconnecting(let attempt, let delay, let reason):
            report.line(
                json: .object(
                    [JSONField("type", "rtms.push.reconnecting")] + prefix + [
                        JSONField("attempt", .int(Int64(attempt))), JSONField("delay_s", .double(delay)),
                        JSONField("code", .string(reason.kind.code)), JSONField("reason", .string(reason.message)),
                    ]),
                text: "stream \(stream): \(reason.message); reconnecting to \(url) in \(format(delay)) s (attempt \(attempt))")
        case .status(let status):
            report.line(
                json: .object(
                    [JSONField("type", "rtms.push.status")] + prefix + [
                        JSONField("level", .string(status.level)), JSONField("code", .string(status.code)),
                        JSONField("description", .string(status.details)),
                    ]),
                text: "stream \(stream): server: \(status)")
        case .warning(let text):
            report.line(json: nil, text: "stream \(stream): \(text)")
        }
    }

    private func done(_ result: RTMSLivePushResult, stream: String, suffix: Int?, pushReport: PushReport) {
        if let error = result.error {
            report.line(json: Self.error(stream: stream, url: pushReport.url, error), text: nil)
            report.console.error("push of stream \(stream) to \(pushReport.url.redacted) failed: \(error.message)")
        }
        let conversion = result.conversion
        let summary = conversion.summary
        let stats = result.stats
        report.line(
            json: .object(
                [JSONField("type", "rtms.push.done"), JSONField("stream", .string(stream))] + pushReport.fields(stats) + [
                    JSONField("name_suffix", suffix.map { .int(Int64($0)) } ?? .null),
                    JSONField("ok", .bool(result.error == nil)),
                    JSONField("audio_codec", conversion.audioCodec.map { .string(RTMSFLVCodecs.name($0)) } ?? .null),
                    JSONField("video_codec", conversion.videoCodec.map { .string(RTMSFLVCodecs.name($0)) } ?? .null),
                    JSONField("audio_messages", .int(Int64(conversion.audioMessages))),
                    JSONField("video_messages", .int(Int64(conversion.videoMessages))),
                    JSONField("messages_skipped", .int(Int64(conversion.messagesSkipped))),
                    JSONField("messages_dropped", .int(Int64(result.droppedMessages))),
                    JSONField("message_bytes_dropped", .int(Int64(result.droppedBytes))),
                    JSONField("duration_ms", .int(summary.durationMs)),
                    JSONField("width", summary.width.map { .int(Int64($0)) } ?? .null),
                    JSONField("height", summary.height.map { .int(Int64($0)) } ?? .null),
                ]),
            text:
                "stream \(stream): pushed \(stats.bytesSent) bytes to \(pushReport.url.redacted) (\(stats.audioTags) audio, \(stats.videoTags) video tags, \(format(Double(stats.mediaTime) / 1000)) s of media); dropped \(stats.droppedFrames) frames and \(result.droppedMessages) messages; \(stats.reconnects) reconnects"
        )
    }

    private static func error(stream: String, url: RTMPURL?, _ error: MediaError) -> JSONValue {
        .object([
            JSONField("type", "rtms.push.error"), JSONField("stream", .string(stream)),
            JSONField("url", url.map { .string($0.redacted) } ?? .null),
            JSONField("code", .string(error.kind.code)), JSONField("message", .string(error.message)),
        ])
    }
}
