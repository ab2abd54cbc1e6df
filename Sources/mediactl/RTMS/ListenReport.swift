import Foundation
import MediaCore
import MediaTransport

/// How `rtms listen` shows what happens: NDJSON on stdout with --json (one line per event, written whole under
/// a lock, as many streams report at once), otherwise a compact log on stdout (media summarised in the status
/// line, transcript and chat text shown) and, on a terminal, a status line on stderr.
final class ListenReport: @unchecked Sendable {
    let console: Console
    let emitMedia: Bool
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var mediaBytes: Int64 = 0
    private var reconnects = 0
    private var statusTask: Task<Void, Never>?
    private var recordingFailureHandler: (@Sendable () -> Void)?

    init(console: Console, emitMedia: Bool) {
        self.console = console
        self.emitMedia = emitMedia
    }

    /// Called (once per failure) when a recording cannot be written.
    var onRecordingFailure: (@Sendable () -> Void)? {
        get { lock.withLock { recordingFailureHandler } }
        set { lock.withLock { recordingFailureHandler = newValue } }
    }

    func show(_ event: RTMSListenerEvent) {
        switch event {
        case .session(let e):
            count(e)
            if console.json {
                write { console.json(e.jsonObject(emitMedia: emitMedia)) }
            } else if let line = Self.line(e) {
                write { console.data(line) }
            }
        case .joining(let descriptor):
            if console.json {
                var fields = [JSONField("type", "rtms.joining"), JSONField("stream", .string(descriptor.streamID))]
                if case .object(let rest) = descriptor.jsonObject(includeSignature: false) {
                    fields += rest.filter { $0.key != "rtms_stream_id" }
                }
                write { console.json(.object(fields)) }
            } else {
                write {
                    console.note(
                        "joining \(descriptor.product.rawValue) stream \(descriptor.streamID) (\(descriptor.id)) at \(descriptor.serverURLs.joined(separator: ", "))")
                }
            }
        case .recording(let stream, let path):
            if console.json {
                write {
                    console.json(
                        .object([
                            JSONField("type", "rtms.recording"), JSONField("stream", .string(stream)),
                            JSONField("path", .string(path)),
                        ]))
                }
            } else {
                write { console.note("recording stream \(stream) to \(path)") }
            }
        case .recordingFailed(let stream, let error):
            write {
                console.error("recording of stream \(stream) stopped: \(error.message)")
                if console.json {
                    console.json(
                        .object([
                            JSONField("type", "rtms.error"), JSONField("stream", .string(stream)),
                            JSONField("code", .string(error.kind.code)), JSONField("message", .string(error.message)),
                        ]))
                }
            }
            onRecordingFailure?()
        case .webhookListening(let host, let port, let path):
            let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path ?? "/")"
            webhook("listening", [JSONField("host", .string(host)), JSONField("port", .int(Int64(port))), JSONField("url", .string(url))]) {
                console.note("listening for webhooks on \(url)")
            }
        case .webhookRejected(let status, let reason):
            webhook("rejected", [JSONField("status", .int(Int64(status))), JSONField("reason", .string(reason))]) {
                console.warning("webhook refused with HTTP \(status): \(reason)")
            }
        case .webhookValidated:
            webhook("validated", []) { console.note("webhook endpoint validation answered") }
        case .webhookDuplicate(let stream):
            webhook("duplicate", [JSONField("stream", .string(stream))]) {
                console.note("webhook for stream \(stream) ignored: the stream is already running")
            }
        case .webhookStopped(let stream, let known):
            webhook("stopped", [JSONField("stream", stream.map { .string($0) } ?? .null), JSONField("known", .bool(known))]) {
                console.note("stream \(stream ?? "?") stopped by webhook\(known ? "" : " (not running here)")")
            }
        case .webhookIgnored(let name):
            webhook("ignored", [JSONField("event", .string(name))]) { console.note("webhook \(name) ignored") }
        }
    }

    /// A line of another part of listen (the push bridges), under the same lock as the events: the JSON with
    /// --json, else the text as a note on stderr (nil: nothing).
    func line(json: @autoclosure () -> JSONValue?, text: String?) {
        write {
            if console.json {
                if let value = json() { console.json(value) }
            } else if let text {
                console.note(text)
            }
        }
    }

    /// `{"type":"rtms.webhook","event":...}` with --json, else the text.
    private func webhook(_ name: String, _ fields: [JSONField], text: () -> Void) {
        write {
            if console.json {
                console.json(.object([JSONField("type", "rtms.webhook"), JSONField("event", .string(name))] + fields))
            } else {
                text()
            }
        }
    }

    private func write(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body()
    }

    private func count(_ event: RTMSEvent) {
        lock.withLock {
            switch event.kind {
            case .media(let kind, _, let content):
                counts[kind.rawValue, default: 0] += 1
                mediaBytes += Int64(content.data.readableBytes)
            case .reconnected:
                reconnects += 1
            default:
                break
            }
        }
    }

    /// A log line for an event, nil for binary media (counted in the status line instead): the event type without
    /// "rtms.", the stream, then the fields as key=value.
    static func line(_ event: RTMSEvent) -> String? {
        if case .media(let kind, _, _) = event.kind, !kind.isText { return nil }
        guard case .object(let fields) = event.jsonObject(emitMedia: false) else { return nil }
        let time = Self.clock()
        var parts = [time, event.type.replacingOccurrences(of: "rtms.", with: ""), event.stream]
        for field in fields where field.key != "type" && field.key != "stream" {
            let value: String
            switch field.value {
            case .string(let s): value = s.contains(" ") ? JSONValue.string(s).jsonString : s
            case .null: continue
            default: value = field.value.jsonString
            }
            parts.append("\(field.key)=\(value)")
        }
        return parts.joined(separator: " ")
    }

    /// Local time of day, "HH:MM:SS.mmm".
    private static func clock() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        localtime_r(&seconds, &parts)
        return String(
            format: "%02d:%02d:%02d.%03d", parts.tm_hour, parts.tm_min, parts.tm_sec, Int32(now.tv_nsec / 1_000_000))
    }

    // MARK: Status line

    /// Rewrites a status line on stderr every second while it runs (only on a terminal, never with --quiet).
    func startStatusLine(streams: @escaping @Sendable () -> Int) {
        guard console.stderrIsTerminal, !console.quiet else { return }
        let task = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                let text = lock.withLock { () -> String in
                    let media = ["audio", "video", "share", "transcript", "chat"]
                        .compactMap { name in counts[name].map { "\(name) \($0)" } }.joined(separator: "  ")
                    let mib = String(format: "%.1f", Double(mediaBytes) / 1_048_576)
                    return "streams \(streams())  \(media.isEmpty ? "no media yet" : media)  \(mib) MiB  reconnects \(reconnects)"
                }
                write { console.progress(text) }
            }
        }
        lock.withLock { statusTask = task }
    }

    func stopStatusLine() {
        let task = lock.withLock { () -> Task<Void, Never>? in
            defer { statusTask = nil }
            return statusTask
        }
        guard let task else { return }
        task.cancel()
        write { console.clearProgress() }
    }
}
