import Foundation
import Testing

/// `mediactl rtms replay --serve` checked from the outside by Tests/Peers/rtms_client_check.py, a client written
/// from the reference: a whole session, keep-alives, every recorded media message byte for byte, faults, refusals,
/// TLS, webhooks and twenty clients at once.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RTMSReplayServeTests {
    typealias Scratch = HarnessTests.Scratch

    static func ofType(_ lines: [[String: Any]], _ type: String) -> [[String: Any]] {
        lines.filter { $0["type"] as? String == type }
    }

    /// Every recorded media message of every type arrived, in order, payload and timestamp as recorded.
    static func expectEveryMediaMessage(_ report: ClientReport, _ records: [ReplaySample.Record]) {
        for msgType in [14, 15, 16, 17] {
            let recorded = ReplaySample.media(msgType, in: records)
            let received = report.media(msgType)
            #expect(received.count == recorded.count, "msg_type \(msgType): \(received.count) of \(recorded.count)")
            #expect(received == recorded, "msg_type \(msgType) differs")
        }
    }

    @Test(arguments: [[String](), ["--per-type", "--binary"]])
    func aClientGetsTheWholeMeeting(clientArgs: [String]) throws {
        let scratch = try Scratch()
        let (_, records) = try ReplaySample.records()
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "60", "--keepalive-interval", "1"])
        let webhook = try #require(server.ready["webhook"] as? [String: Any])
        #expect(webhook["event"] as? String == "meeting.rtms_started")
        let payload = try #require(webhook["payload"] as? [String: Any])
        #expect(payload["meeting_uuid"] as? String == ReplaySample.meetingUUID)
        #expect(payload["rtms_stream_id"] as? String == ReplaySample.streamID)
        #expect(payload["server_urls"] as? String == server.signalingURL)

        let out = scratch.file("got.ndjson")
        let client = try server.client(
            ["--media", "audio,video,deskshare,transcript", "--seconds", "30", "--no-reconnect"] + clientArgs, out: out)
        let report = try ClientReport(client, out: out)
        #expect(report.exitCode == 0, "client: \(report.summary) \(report.stderr)")
        Self.expectEveryMediaMessage(report, records)
        // Keep-alives every second on every connection, answered; the opening and the end.
        #expect((report.summary["keepalives_answered"] as? Int ?? 0) >= 8)
        let opening = report.messages(6).first?["event"] as? [String: Any]
        #expect(opening?["event_type"] as? Int == 1)
        #expect(opening?["timestamp"] as? Int == 1_735_732_800_100)
        #expect(report.messages(9).first?["state"] as? Int == 2)
        #expect(report.messages(9).last?["state"] as? Int == 5)
        let end = try #require(report.messages(8).last)
        #expect(end["state"] as? Int == 4 && end["reason"] as? Int == 6)
        #expect((report.summary["events"] as? [Int]) == [1, 3, 8, 2, 5, 2, 2, 6, 4])
        // Every keep-alive request carries a timestamp and a sequence counting from 1 on its connection.
        let keepAlives = report.received.filter { ($0["msg"] as? [String: Any])?["msg_type"] as? Int == 12 }
        #expect(!keepAlives.isEmpty)
        var sequences: [String: [Int]] = [:]
        for k in keepAlives {
            let msg = k["msg"] as? [String: Any] ?? [:]
            #expect(msg["timestamp"] is Int)
            sequences[k["connection"] as? String ?? "?", default: []].append(msg["sequence"] as? Int ?? -1)
        }
        for (_, list) in sequences { #expect(list == Array(1...list.count)) }

        let (result, lines) = try server.finish()
        #expect(result.exitCode == 0, "server: \(result.stderr)")
        let done = try #require(Self.ofType(lines, "rtms.serve.done").last)
        #expect(done["sessions"] as? Int == 1)
        #expect(Self.ofType(lines, "rtms.serve.end").first?["outcome"] as? String == "completed")
    }

    @Test func loopPlaysTheMeetingAgainUntilTheServerStops() throws {
        let scratch = try Scratch()
        let server = try ReplayServer(["--loop", "--speed", "4", "--max-seconds", "5"])
        let out = scratch.file("got.ndjson")
        let report = try ClientReport(try server.client(["--seconds", "20", "--no-reconnect"], out: out), out: out)
        // The stream ends when the server stops: terminated, meeting ended.
        #expect(report.exitCode == 0, "\(report.summary)")
        #expect(report.counts["14"] ?? 0 > 294)
        let (result, lines) = try server.finish()
        #expect(result.exitCode == 0)
        #expect(!Self.ofType(lines, "rtms.serve.loop").isEmpty)
        #expect(Self.ofType(lines, "rtms.serve.done").first?["reason"] as? String == "max_seconds")
        #expect(Self.ofType(lines, "rtms.serve.end").first?["outcome"] as? String == "server_stopped")
    }

    @Test func aBadSignatureIsRefused() throws {
        let scratch = try Scratch()
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "8"])
        let out = scratch.file("got.ndjson")
        let report = try ClientReport(
            try server.client(["--signature", String(repeating: "ab", count: 32), "--seconds", "10"], out: out), out: out)
        #expect(report.exitCode == 3)
        let failure = report.summary["handshake_failure"] as? [String: Any]
        #expect(failure?["which"] as? String == "signaling")
        #expect(failure?["status_code"] as? Int == 15)
        #expect((failure?["reason"] as? String ?? "").contains("invalid signature"))
        server.process.interrupt()
        let (result, lines) = try server.finish()
        #expect(result.exitCode == 130)
        #expect(Self.ofType(lines, "rtms.serve.refused").first?["status_code"] as? Int == 15)
        #expect(Self.ofType(lines, "rtms.serve.session").isEmpty)
    }

    @Test func aStatusFaultAnswersTheHandshakeWithIt() throws {
        let scratch = try Scratch()
        let server = try ReplayServer(["--max-seconds", "8", "--fault", "status=7"])
        let out = scratch.file("got.ndjson")
        let report = try ClientReport(try server.client(["--seconds", "10"], out: out), out: out)
        #expect(report.exitCode == 3)
        #expect((report.summary["handshake_failure"] as? [String: Any])?["status_code"] as? Int == 7)
        server.process.terminate()
        _ = try server.finish()
    }

    /// Notes: "After three unanswered requests the server interrupts the connection".
    @Test func threeUnansweredKeepAlivesInterruptTheConnections() throws {
        let scratch = try Scratch()
        let server = try ReplayServer(["--max-seconds", "20", "--keepalive-interval", "0.5", "--reconnect-wait", "1"])
        let out = scratch.file("got.ndjson")
        let started = Date()
        let report = try ClientReport(
            try server.client(["--ignore-keepalives", "--no-reconnect", "--seconds", "15"], out: out), out: out)
        let elapsed = Date().timeIntervalSince(started)
        #expect(report.exitCode == 4, "\(report.summary)")
        #expect(report.counts["12"] ?? 0 >= 6)
        #expect(elapsed > 1.5 && elapsed < 5, "dropped after \(elapsed) s")
        server.process.interrupt()
        let (_, lines) = try server.finish()
        let timeouts = Self.ofType(lines, "rtms.serve.keepalive_timeout")
        #expect(!timeouts.isEmpty)
        #expect(timeouts.allSatisfy { $0["unanswered"] as? Int == 3 })
    }

    @Test func droppedMediaIsReconnectedAndTheSessionGoesOn() throws {
        let scratch = try Scratch()
        let (_, records) = try ReplaySample.records()
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "40", "--fault", "drop-media-at=2"])
        let out = scratch.file("got.ndjson")
        let report = try ClientReport(try server.client(["--seconds", "30"], out: out), out: out)
        #expect(report.exitCode == 0, "\(report.summary)")
        let reconnects = report.summary["reconnects"] as? [[String: Any]] ?? []
        #expect(reconnects.count == 1)
        #expect((reconnects.first?["why"] as? String ?? "").contains("dropped"))
        // What arrived is the recording with a gap: in order, nothing twice, nothing invented.
        let recorded = ReplaySample.media(14, in: records)
        let received = report.media(14)
        #expect(received.count > 100 && received.count < recorded.count)
        #expect(Set(received).count == received.count)
        var cursor = recorded.startIndex
        for message in received {
            guard let found = recorded[cursor...].firstIndex(of: message) else {
                Issue.record("an audio message that is not in the recording, or out of order")
                break
            }
            cursor = found + 1
        }
        #expect(report.messages(8).last?["state"] as? Int == 4)
        let (result, lines) = try server.finish()
        #expect(result.exitCode == 0)
        #expect(Self.ofType(lines, "rtms.serve.fault").first?["fault"] as? String == "drop-media-at=2")
        #expect(Self.ofType(lines, "rtms.serve.reconnect").count == 1)
        #expect(Self.ofType(lines, "rtms.serve.session").count == 1)
    }

    @Test func stoppedKeepAlivesMakeTheClientReconnect() throws {
        let scratch = try Scratch()
        let server = try ReplayServer([
            "--sessions", "1", "--max-seconds", "40", "--keepalive-interval", "0.3", "--fault", "stop-keepalive-at=1",
        ])
        let out = scratch.file("got.ndjson")
        let report = try ClientReport(try server.client(["--seconds", "30", "--keepalive-timeout", "1.5"], out: out), out: out)
        #expect(report.exitCode == 0, "\(report.summary)")
        let reconnects = report.summary["reconnects"] as? [[String: Any]] ?? []
        #expect(reconnects.contains { ($0["why"] as? String ?? "").hasPrefix("keepalive-timeout") })
        let (result, lines) = try server.finish()
        #expect(result.exitCode == 0)
        #expect(Self.ofType(lines, "rtms.serve.fault").first?["fault"] as? String == "stop-keepalive-at=1")
    }

    @Test func twentyClientsAtOnceEachGetTheirOwnMeeting() throws {
        let scratch = try Scratch()
        let (_, records) = try ReplaySample.records()
        let server = try ReplayServer(["--sessions", "20", "--max-seconds", "90", "--speed", "2"])
        let clients = try (0..<20).map { n -> (BackgroundProcess, String) in
            let out = scratch.file("got-\(n).ndjson")
            return (try server.client(["--seconds", "60", "--no-reconnect"], out: out), out)
        }
        for (process, out) in clients {
            let report = try ClientReport(process, out: out, timeout: 80)
            #expect(report.exitCode == 0, "\(report.summary)")
            Self.expectEveryMediaMessage(report, records)
        }
        let (result, lines) = try server.finish(timeout: 30)
        #expect(result.exitCode == 0)
        #expect(Self.ofType(lines, "rtms.serve.session").count == 20)
        #expect(Self.ofType(lines, "rtms.serve.end").allSatisfy { $0["outcome"] as? String == "completed" && $0["unsent"] as? Int == 0 })
    }

    @Test func wssWithACertificate() throws {
        let scratch = try Scratch()
        let cert = scratch.file("cert.pem")
        let key = scratch.file("key.pem")
        let openssl = try run(
            "openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1"],
            timeout: 30)
        try #require(openssl.exitCode == 0, "openssl: \(openssl.stderr)")
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "40", "--speed", "3", "--tls-cert", cert, "--tls-key", key])
        #expect(server.signalingURL.hasPrefix("wss://127.0.0.1:"))
        let out = scratch.file("got.ndjson")
        let report = try ClientReport(try server.client(["--seconds", "30", "--ca-file", cert], out: out), out: out)
        #expect(report.exitCode == 0, "\(report.summary) \(report.stderr)")
        #expect(report.counts["14"] == 294)
        #expect(try server.finish().result.exitCode == 0)
    }

    @Test func webhooksAnnounceTheStreamAfterTheURLValidation() throws {
        let scratch = try Scratch()
        let log = scratch.file("webhooks.ndjson")
        let sink = try BackgroundProcess(
            "/usr/bin/env",
            ["python3", "\(ReplaySample.peers)/webhook_sink.py", "--secret", ReplaySample.webhookSecret, "--log", log, "--max-seconds", "60"])
        let sinkURL = try #require(ReplaySample.jsonLines(try sink.readLine(timeout: 10) ?? "").first?["url"] as? String)
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "40", "--speed", "3", "--webhook-url", sinkURL])
        let out = scratch.file("got.ndjson")
        let report = try ClientReport(try server.client(["--seconds", "30"], out: out), out: out)
        #expect(report.exitCode == 0)
        #expect(try server.finish().result.exitCode == 0)
        let requests = ReplaySample.jsonLines(try String(contentsOfFile: log, encoding: .utf8))
        #expect(requests.map { $0["event"] as? String ?? "" } == ["endpoint.url_validation", "meeting.rtms_started", "meeting.rtms_stopped"])
        #expect(requests.allSatisfy { $0["signature_ok"] as? Bool == true })
        let started = (requests[1]["body"] as? [String: Any])?["payload"] as? [String: Any]
        #expect(started?["server_urls"] as? String == server.signalingURL)
        #expect(started?["rtms_stream_id"] as? String == ReplaySample.streamID)
    }

    @Test func aFailedURLValidationStopsTheServer() throws {
        let scratch = try Scratch()
        let sink = try BackgroundProcess(
            "/usr/bin/env",
            ["python3", "\(ReplaySample.peers)/webhook_sink.py", "--secret", ReplaySample.webhookSecret, "--wrong-token",
             "--log", scratch.file("w.ndjson"), "--max-seconds", "30"])
        let sinkURL = try #require(ReplaySample.jsonLines(try sink.readLine(timeout: 10) ?? "").first?["url"] as? String)
        let result = try MediaCtl.run(
            ["rtms", "replay", "--serve", "0", "--max-seconds", "10", "--webhook-url", sinkURL, ReplaySample.directory],
            environment: ReplaySample.environment, timeout: 20)
        #expect(result.exitCode == 77)
        #expect(result.stderr.contains("URL validation"))
    }

    @Test func missingCredentialsAreAUsageError() throws {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "ZM_RTMS_CLIENT")
        environment.removeValue(forKey: "ZM_RTMS_SECRET")
        let result = try MediaCtl.run(
            ["rtms", "replay", "--serve", "0", "--max-seconds", "5", ReplaySample.directory], environment: environment, timeout: 20)
        #expect(result.exitCode == 64)
        #expect(result.stderr.contains("ZM_RTMS_CLIENT"))
    }

    /// `rtms listen` (issue 3) records what the emulator serves: the replay of that recording has every media
    /// message of the sample.
    @Test(.enabled(if: RTMSReplayServeTests.listenIsBuilt()))
    func rtmsListenRecordsTheEmulatedMeeting() throws {
        let scratch = try Scratch()
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "40", "--speed", "3"])
        let webhook = try JSONSerialization.data(withJSONObject: server.ready["webhook"] as Any)
        let listen = try MediaCtl.run(
            ["rtms", "listen", "--payload", "-", "--record", scratch.file("rec")], stdin: webhook,
            environment: ReplaySample.environment, timeout: 40)
        #expect(listen.exitCode == 0, "\(listen.stderr)")
        #expect(try server.finish().result.exitCode == 0)
        let original = try MediaCtl.run(["rtms", "replay", "--json", "--emit-media", "--types", "audio,video,share,transcript", ReplaySample.directory], timeout: 30)
        let again = try MediaCtl.run(["rtms", "replay", "--json", "--emit-media", "--types", "audio,video,share,transcript", scratch.file("rec")], timeout: 30)
        func media(_ r: RunResult) -> [String] {
            ReplaySample.jsonLines(r.stdoutText).map { "\($0["type"] ?? "") \($0["ts"] ?? "") \($0["data"] ?? $0["text"] ?? "")" }.sorted()
        }
        #expect(media(again) == media(original))
    }

    /// True when the built mediactl has `rtms listen` (`rtms --help` lists it).
    static func listenIsBuilt() -> Bool {
        guard let help = try? MediaCtl.run(["rtms", "--help"], timeout: 20) else { return false }
        return help.stdoutLines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("listen ") }
    }
}
