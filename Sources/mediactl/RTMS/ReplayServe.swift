import ArgumentParser
import Foundation
import MediaCore
import MediaTransport

#if canImport(Glibc)
    import Glibc
#endif

/// `rtms replay RECORDING --serve [HOST:]PORT`: one recorded stream served by an emulated RTMS server.
struct ReplayServe {
    let command: MediaCtl.RTMS.Replay
    let console: Console
    let address: String

    func run() async throws {
        let (host, port) = try Self.parseAddress(address)
        let streams = try await RTMSRecordingLocator.streams(at: command.recording, streamID: command.stream)
        guard streams.count == 1 else {
            throw MediaError(
                .usage,
                "--serve plays one stream and '\(command.recording)' holds \(streams.count): pick one with --stream (\(streams.map(\.streamID).joined(separator: ", ")))")
        }
        let (script, damage) = try await streams[0].playbackScript()
        for (file, d) in damage { console.warning("\(file): \(d): serving what comes before it") }
        guard !script.items.isEmpty else {
            throw MediaError(.malformedInput, "'\(command.recording)' holds no message to replay")
        }

        let environment = ProcessInfo.processInfo.environment
        var credentials: RTMSCredentials?
        if !command.anySignature {
            guard let id = environment["ZM_RTMS_CLIENT"], !id.isEmpty, let secret = environment["ZM_RTMS_SECRET"], !secret.isEmpty
            else {
                throw MediaError(
                    .usage,
                    "set ZM_RTMS_CLIENT and ZM_RTMS_SECRET (the credentials clients sign their handshakes with), or pass --any-signature")
            }
            credentials = RTMSCredentials(clientID: id, clientSecret: secret)
        }
        let webhook: RTMSWebhookSender? = try command.webhookURL.map { url in
            guard let secret = environment["ZM_RTMS_WEBHOOK_SECRET"], !secret.isEmpty else {
                throw MediaError(.usage, "--webhook-url needs the webhook secret token in ZM_RTMS_WEBHOOK_SECRET")
            }
            return try RTMSWebhookSender(url: url, secretToken: secret, tls: command.tls.options)
        }
        let faults = try command.faults.flatMap { try RTMSServerFault.parse($0) }
        let options = RTMSServerOptions(
            keepAliveInterval: command.keepaliveInterval, signalingReconnectWait: command.reconnectWait,
            mediaReconnectWait: command.reconnectWait + 5, speed: command.speed ?? 1, loop: command.loop,
            faults: faults, credentials: credentials, baseURL: "")
        let tls = command.tlsCert.map { RTMSServerTLS(certificatePath: $0, keyPath: command.tlsKey!) }

        let console = self.console
        let server = RTMSEmulatorServer(script: script, options: options, host: host, port: port, tls: tls) { event in
            if console.json { console.json(event.jsonObject) } else { console.note(event.text) }
        }
        let signals = Signals { _ in server.requestStop() }
        let announced = AnnouncedStream()
        let summary = try await server.run(maxSeconds: command.maxSeconds, stopAfterSessions: command.sessions) { ready in
            var descriptor = script.descriptor
            descriptor.serverURLs = [ready.signalingURL]
            descriptor.signature = nil
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            descriptor.eventTimestamp = now
            announced.set(descriptor)
            let body = RTMSWebhook.startedBody(for: descriptor, eventTimestamp: now)
            if console.json {
                console.json(
                    .object([
                        JSONField("type", "rtms.serve"), JSONField("signaling_url", .string(ready.signalingURL)),
                        JSONField("webhook", body),
                    ]))
            } else {
                console.data(ready.signalingURL)
                console.note(
                    "serving stream \(descriptor.streamID) (\(descriptor.id)) from \(command.recording): \(script.items.count) messages, \(String(format: "%.1f", Double(script.endOffsetMicros) / 1e6)) s")
            }
            if let webhook { try await Self.announce(body, via: webhook, console: console) }
        }
        if let webhook, let descriptor = announced.get() {
            let body = RTMSWebhook.stoppedBody(
                for: descriptor, eventTimestamp: Int64(Date().timeIntervalSince1970 * 1000), stopReason: script.endReason)
            do {
                let answer = try await webhook.post(body, timestamp: Int64(Date().timeIntervalSince1970))
                if !(200..<300).contains(answer.status) {
                    console.warning("the rtms_stopped webhook was answered with HTTP \(answer.status)")
                }
            } catch {
                console.warning("the rtms_stopped webhook failed: \(error)")
            }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpuSeconds = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        if console.json {
            console.json(
                .object([
                    JSONField("type", "rtms.serve.done"), JSONField("reason", .string(summary.stopReason)),
                    JSONField("sessions", .int(Int64(summary.sessionsStarted))),
                    JSONField("sessions_ended", .int(Int64(summary.sessionsEnded))),
                    JSONField("messages_sent", .int(Int64(summary.messagesSent))),
                    JSONField("items_sent_late", .int(Int64(summary.itemsLate))),
                    JSONField("max_send_lag_ms", .int(Int64(summary.maxLagMilliseconds))),
                    JSONField("cpu_s", .double((cpuSeconds * 100).rounded() / 100)),
                    JSONField("max_rss_mb", .int(Int64(usage.ru_maxrss / 1024))),
                ]))
        } else {
            console.note(
                "stopped (\(summary.stopReason)): \(summary.sessionsStarted) sessions, \(summary.messagesSent) messages sent")
        }
        if signals.wasInterrupted { throw ExitCode(130) }
        if let wanted = command.sessions, summary.sessionsEnded < wanted {
            throw MediaError(.timeout, "only \(summary.sessionsEnded) of \(wanted) sessions ended within --max-seconds")
        }
    }

    /// Notes, "URL validation": the app must answer the challenge before it gets events; then the started webhook.
    private static func announce(_ started: JSONValue, via webhook: RTMSWebhookSender, console: Console) async throws {
        let plainToken = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let now = Date().timeIntervalSince1970
        let challenge = RTMSWebhook.urlValidationBody(plainToken: plainToken, eventTimestamp: Int64(now * 1000))
        let answer = try await webhook.post(challenge, timestamp: Int64(now))
        if case .invalid(let reason) = RTMSWebhook.checkURLValidationResponse(
            status: answer.status, body: answer.body, plainToken: plainToken, secretToken: webhook.secretToken)
        {
            throw MediaError(.authenticationFailed, "\(webhook.url) failed the URL validation: \(reason)")
        }
        console.note("\(webhook.url) passed the URL validation")
        let reply = try await webhook.post(started, timestamp: Int64(Date().timeIntervalSince1970))
        guard (200..<300).contains(reply.status) else {
            throw MediaError(.peerRefused, "\(webhook.url) answered the rtms_started webhook with HTTP \(reply.status)")
        }
    }

    /// "[HOST:]PORT" -> (host, port); the host defaults to 127.0.0.1, "[::1]:PORT" for IPv6.
    static func parseAddress(_ text: String) throws -> (String, Int) {
        var host = "127.0.0.1"
        var portText = text
        if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            if host.isEmpty { host = "127.0.0.1" }
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw MediaError(.usage, "--serve wants [HOST:]PORT with a port from 0 to 65535, not '\(text)'")
        }
        return (host, port)
    }
}

/// The stream as announced when the server became ready (for the stopped webhook).
private final class AnnouncedStream: @unchecked Sendable {
    private let lock = NSLock()
    private var descriptor: RTMSStreamDescriptor?
    func set(_ d: RTMSStreamDescriptor) { lock.withLock { descriptor = d } }
    func get() -> RTMSStreamDescriptor? { lock.withLock { descriptor } }
}
