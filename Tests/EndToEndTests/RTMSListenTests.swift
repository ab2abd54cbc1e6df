import Foundation
import MediaCore
import Testing

/// `mediactl rtms listen` against Tests/Peers/rtms_server.py on 127.0.0.1: what the server sent is what was
/// recorded, message by message (rtms_compare.py over the recording read back with the core's reader), through
/// drops, keep-alive silence, refusals, webhooks, SIGKILL, SIGINT and a full disk.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RTMSListenTests {
    typealias Scratch = HarnessTests.Scratch

    static func lines(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap { RTMSPeers.jsonObject(String($0)) }
    }

    static func ofType(_ lines: [[String: Any]], _ type: String) -> [[String: Any]] {
        lines.filter { $0["type"] as? String == type }
    }

    /// Runs `rtms listen --payload - --json --record DIR ARGS` for the server's stream to its end.
    static func listen(_ server: RTMSServerPeer, scratch: Scratch, _ args: [String], timeout: TimeInterval = 40) throws
        -> RunResult
    {
        try MediaCtl.run(
            ["rtms", "listen", "--payload", "-", "--json", "--record", scratch.file("rec")] + args,
            stdin: Data(server.webhookBody.utf8), environment: RTMSPeers.environment, timeout: timeout)
    }

    struct Layout: Sendable, CustomStringConvertible {
        var offered: String
        var media: String
        var connection: String
        var expectedPaths: Set<String>
        var description: String { "\(media) on \(connection) (\(offered) offered)" }
    }

    @Test(arguments: [
        Layout(offered: "both", media: "audio,video,transcript", connection: "per-type",
               expectedPaths: ["/media/audio", "/media/video", "/media/transcript"]),
        Layout(offered: "all", media: "all", connection: "auto", expectedPaths: ["/media/all"]),
    ])
    func recordsEveryMessageTheServerSent(layout: Layout) throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(
            scratch: scratch.path,
            ["--duration", "3", "--keepalive-interval", "0.4", "--media-urls", layout.offered, "--transcript-interval", "1"])
        let result = try Self.listen(server, scratch: scratch, ["--media", layout.media, "--connection", layout.connection])
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try server.waitForExit(timeout: 20).exitCode == 0)

        // What was printed.
        let lines = Self.lines(result.stdoutText)
        let audio = Self.ofType(lines, "rtms.audio")
        #expect(audio.count >= 100, "\(audio.count) audio events")
        #expect(audio.allSatisfy { $0["bytes"] as? Int == 640 && $0["data"] == nil && $0["ts"] is Int })
        #expect(!Self.ofType(lines, "rtms.video").isEmpty)
        #expect(Self.ofType(lines, "rtms.transcript").contains { $0["text"] as? String == "line 1" })
        #expect(Self.ofType(lines, "rtms.end").last?["outcome"] as? String == "terminated")
        #expect(Self.ofType(lines, "rtms.recording").count == 1)

        // What was recorded is what the server sent, message by message.
        let recording = try RecordingContents(path: try RecordingContents.find(in: scratch.file("rec")))
        #expect(recording.damage == nil)
        #expect(recording.header?.descriptor?.streamID == server.ready["rtms_stream_id"] as? String)
        let report = try RTMSPeers.compare(
            recording: recording, serverLog: server.logPath, scratch: scratch.path, allowTailLoss: false)
        #expect(report["ok"] as? Bool == true, "\(report)")
        let arrivals = recording.records.map(\.arrivalMicros)
        #expect(arrivals == arrivals.sorted())

        // The media connections asked for, and keep-alives answered echoing timestamp and sequence.
        let log = try server.log()
        let handshakes = Set(log.filter { $0["dir"] as? String == "conn" && $0["event"] as? String == "handshake" }
            .compactMap { $0["path"] as? String }.filter { $0.hasPrefix("/media/") })
        #expect(handshakes == layout.expectedPaths)
        let keepAlivesSent = log.filter { $0["dir"] as? String == "sent" && $0["msg_type"] as? Int == 12 }.count
        let keepAlivesAnswered = log.filter { $0["dir"] as? String == "recv" && $0["msg_type"] as? Int == 13 }.count
        #expect(keepAlivesSent >= 4)
        #expect(keepAlivesAnswered >= keepAlivesSent - handshakes.count - 1, "\(keepAlivesAnswered) of \(keepAlivesSent)")
        let complaints = log.filter { ($0["note"] as? String)?.hasPrefix("keepalive") == true }
        #expect(complaints.isEmpty, "\(complaints)")

        // Secrets: neither the client secret nor the handshake signature anywhere.
        let signature = RTMSSignature.sign(
            clientID: RTMSPeers.clientID, clientSecret: RTMSPeers.clientSecret,
            id: server.ready["meeting_uuid"] as? String ?? "", streamID: server.ready["rtms_stream_id"] as? String ?? "")
        for secret in [RTMSPeers.clientSecret, signature] {
            #expect(!result.stdoutText.contains(secret))
            #expect(!result.stderr.contains(secret))
            #expect(recording.bytes.range(of: Data(secret.utf8)) == nil)
        }
    }

    @Test func droppedMediaIsReconnectedAndTheGapRecorded() throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(
            scratch: scratch.path, ["--duration", "4", "--keepalive-interval", "0.5", "--fault", "drop-media-at=1.5"])
        let result = try Self.listen(server, scratch: scratch, [])
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try server.waitForExit(timeout: 20).exitCode == 0)
        let lines = Self.lines(result.stdoutText)
        #expect(Self.ofType(lines, "rtms.disconnect").count == 1)
        let reconnect = Self.ofType(lines, "rtms.reconnect")
        #expect(reconnect.count == 1)
        #expect((reconnect.first?["gap_ms"] as? Int ?? 0) > 0)

        let recording = try RecordingContents(path: try RecordingContents.find(in: scratch.file("rec")))
        #expect(recording.damage == nil)
        let markerTypes = recording.markers.compactMap { $0["type"] as? String }
        #expect(markerTypes == ["rtms.disconnect", "rtms.reconnect", "rtms.end"], "\(markerTypes)")
        let report = try RTMSPeers.compare(
            recording: recording, serverLog: server.logPath, scratch: scratch.path, allowTailLoss: false)
        #expect(report["ok"] as? Bool == true, "\(report)")
        #expect(report["hole_count"] as? Int == 0)
        let arrivals = recording.records.map(\.arrivalMicros)
        #expect(arrivals == arrivals.sorted())
        // Audio from both connections, in one recording, in order.
        let audioTimestamps = recording.records.compactMap { record -> Int64? in
            guard record.isMessage, case .audio(let content)? = try? record.message() else { return nil }
            return content.timestamp
        }
        #expect(audioTimestamps == audioTimestamps.sorted())
        let signalingOpens = try server.log().filter {
            $0["dir"] as? String == "conn" && $0["event"] as? String == "open" && $0["path"] as? String == "/signaling"
        }
        #expect(signalingOpens.count == 2)
    }

    @Test func silentKeepAlivesAreNoticedAndReconnected() throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(
            scratch: scratch.path,
            ["--duration", "6", "--keepalive-interval", "0.5", "--keepalive-misses", "0", "--fault", "stop-keepalive-at=1"])
        let result = try Self.listen(server, scratch: scratch, ["--keepalive-timeout", "2"])
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        _ = try server.waitForExit(timeout: 20)
        let lines = Self.lines(result.stdoutText)
        let lost = Self.ofType(lines, "rtms.disconnect")
        #expect(lost.first.map { ($0["reason"] as? String ?? "").contains("keep-alive") } == true, "\(lost)")
        #expect(Self.ofType(lines, "rtms.reconnect").count == 1)
        #expect(Self.ofType(lines, "rtms.end").last?["outcome"] as? String == "terminated")
    }

    @Test func aNonZeroStatusEndsWithItsNumberAndReason() throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(scratch: scratch.path, ["--duration", "2", "--fault", "status=15"])
        let result = try Self.listen(server, scratch: scratch, [], timeout: 20)
        #expect(result.exitCode == 69)
        #expect(result.stderr.contains("status 15") && result.stderr.contains("simulated failure 15"), "\(result.stderr)")
        let lines = Self.lines(result.stdoutText)
        let end = Self.ofType(lines, "rtms.end").last
        #expect(end?["outcome"] as? String == "refused")
        #expect(end?["status_code"] as? Int == 15)
        #expect(end?["reason"] as? String == "simulated failure 15")
        #expect(Self.ofType(lines, "rtms.error").last?["exit_code"] as? Int == 69)
        server.process.kill()
    }

    @Test func webhookModeValidatesVerifiesJoinsOnceAndStopsOnSIGINT() throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(scratch: scratch.path, ["--duration", "2", "--keepalive-interval", "0.5"])
        let listener = try MediaCtl.start(
            ["rtms", "listen", "--webhook", "127.0.0.1:0/zoom", "--json", "--record", scratch.file("rec")],
            environment: RTMSPeers.environment)
        let listening = RTMSPeers.jsonObject(
            try listener.readLine(timeout: 10) { $0.contains("\"listening\"") })
        let port = listening?["port"] as? Int ?? 0
        #expect(port > 0)
        let url = "http://127.0.0.1:\(port)/zoom"

        let validation = try RTMSPeers.sendWebhook(url: url, ["--validation", "tok-123"])
        #expect(validation["validation_ok"] as? Bool == true, "\(validation)")
        let body = server.webhookBody
        let bad = try RTMSPeers.sendWebhook(url: url, ["--body-json", body, "--bad-signature"])
        #expect(bad["status"] as? Int == 401)
        let stale = try RTMSPeers.sendWebhook(url: url, ["--body-json", body, "--stale-seconds", "900"])
        #expect(stale["status"] as? Int == 401)
        let unsigned = try RTMSPeers.sendWebhook(url: url, ["--body-json", body, "--no-signature"])
        #expect(unsigned["status"] as? Int == 401)
        let wrongSecret = try RTMSPeers.sendWebhook(url: url, ["--body-json", body], secret: "not-the-secret")
        #expect(wrongSecret["status"] as? Int == 401)

        let good = try RTMSPeers.sendWebhook(url: url, ["--body-json", body])
        #expect(good["status"] as? Int == 200)
        #expect((good["elapsed_ms"] as? Double ?? 1e9) < 1000)
        let again = try RTMSPeers.sendWebhook(url: url, ["--body-json", body])
        #expect(again["status"] as? Int == 200)

        let end = RTMSPeers.jsonObject(try listener.readLine(timeout: 20) { $0.contains("\"rtms.end\"") })
        #expect(end?["outcome"] as? String == "terminated")
        #expect(try server.waitForExit(timeout: 20).exitCode == 0)
        listener.interrupt()
        let result = try listener.waitForExit(timeout: 15)
        #expect(result.exitCode == 130)

        let lines = Self.lines(result.stdoutText)
        let webhookEvents = Self.ofType(lines, "rtms.webhook").compactMap { $0["event"] as? String }
        #expect(webhookEvents.filter { $0 == "rejected" }.count == 4, "\(webhookEvents)")
        #expect(webhookEvents.contains("validated"))
        #expect(webhookEvents.filter { $0 == "duplicate" }.count == 1)
        let reasons = Self.ofType(lines, "rtms.webhook").compactMap { $0["reason"] as? String }
        #expect(reasons.contains { $0.contains("does not match") })
        #expect(reasons.contains { $0.contains("old") })
        #expect(reasons.contains { $0.contains("missing") })
        #expect(Self.ofType(lines, "rtms.joining").count == 1)
        let signalingOpens = try server.log().filter {
            $0["dir"] as? String == "conn" && $0["event"] as? String == "open" && $0["path"] as? String == "/signaling"
        }
        #expect(signalingOpens.count == 1)
        let recording = try RecordingContents(path: try RecordingContents.find(in: scratch.file("rec")))
        let report = try RTMSPeers.compare(
            recording: recording, serverLog: server.logPath, scratch: scratch.path, allowTailLoss: false)
        #expect(report["ok"] as? Bool == true, "\(report)")
        for output in [result.stdoutText, result.stderr] {
            #expect(!output.contains(RTMSPeers.webhookSecret) && !output.contains(RTMSPeers.clientSecret))
        }
    }

    @Test func sigkillLeavesARecordingThatReadsToItsLastCompleteRecord() throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(scratch: scratch.path, ["--duration", "20", "--keepalive-interval", "0.5"])
        let listener = try MediaCtl.start(
            ["rtms", "listen", "--payload", "-", "--json", "--record", scratch.file("rec")], stdin: .pipe,
            environment: RTMSPeers.environment)
        try listener.writeStdin(Data(server.webhookBody.utf8))
        listener.closeStdin()
        var audio = 0
        while audio < 60 {
            _ = try listener.readLine(timeout: 15) { $0.contains("\"rtms.audio\"") }
            audio += 1
        }
        // Records are written every 20 ms: everything printed 100 ms before the kill is on disk.
        Thread.sleep(forTimeInterval: 0.1)
        listener.kill()
        #expect(try listener.waitForExit(timeout: 10).signal == 9)
        server.process.interrupt()
        _ = try? server.waitForExit(timeout: 10)

        let recording = try RecordingContents(path: try RecordingContents.find(in: scratch.file("rec")))
        #expect(recording.damage == nil || recording.damage!.reason.hasPrefix("incomplete"), "\(String(describing: recording.damage))")
        let messages = recording.records.filter(\.isMessage)
        #expect(messages.filter { (try? $0.message())?.msgType == 14 }.count >= 60)
        #expect(messages.allSatisfy { (try? $0.message()) != nil })
        let report = try RTMSPeers.compare(
            recording: recording, serverLog: server.logPath, scratch: scratch.path, allowTailLoss: true)
        #expect(report["ok"] as? Bool == true, "\(report)")
    }

    @Test func sigintClosesCleanlyAsksToCloseTheStreamAndFlushes() throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(scratch: scratch.path, ["--duration", "20", "--keepalive-interval", "0.5"])
        let listener = try MediaCtl.start(
            ["rtms", "listen", "--payload", "-", "--json", "--record", scratch.file("rec"), "--close-stream"],
            stdin: .pipe, environment: RTMSPeers.environment)
        try listener.writeStdin(Data(server.webhookBody.utf8))
        listener.closeStdin()
        var audio = 0
        while audio < 50 {
            _ = try listener.readLine(timeout: 15) { $0.contains("\"rtms.audio\"") }
            audio += 1
        }
        listener.interrupt()
        let result = try listener.waitForExit(timeout: 15)
        #expect(result.exitCode == 130)
        #expect(result.duration < 30)
        #expect(try server.waitForExit(timeout: 15).exitCode == 0)

        let recording = try RecordingContents(path: try RecordingContents.find(in: scratch.file("rec")))
        #expect(recording.damage == nil)
        let end = recording.markers.last
        #expect(end?["type"] as? String == "rtms.end")
        #expect(end?["outcome"] as? String == "stopped")
        let log = try server.log()
        #expect(log.contains { $0["dir"] as? String == "recv" && $0["msg_type"] as? Int == 21 })
        let report = try RTMSPeers.compare(
            recording: recording, serverLog: server.logPath, scratch: scratch.path, allowTailLoss: false)
        #expect(report["ok"] as? Bool == true, "\(report)")
    }

    @Test func aFullDiskStopsRecordingLeavesCleanlyAndExits74() throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(scratch: scratch.path, ["--duration", "10", "--keepalive-interval", "0.5"])
        // A file size limit makes write(2) fail with EFBIG past 64 KiB, as a full disk fails with ENOSPC.
        let result = try run(
            "/bin/sh",
            ["-c", "ulimit -f 128; exec \"$0\" \"$@\"", try MediaCtl.path(), "rtms", "listen", "--payload", "-", "--json",
             "--record", scratch.file("rec")],
            stdin: Data(server.webhookBody.utf8), environment: RTMSPeers.environment, timeout: 30)
        #expect(result.exitCode == 74, "stderr: \(result.stderr)")
        let lines = Self.lines(result.stdoutText)
        let ioError = Self.ofType(lines, "rtms.error").first
        #expect(ioError?["code"] as? String == "io")
        #expect(ioError?["stream"] as? String == server.ready["rtms_stream_id"] as? String)
        #expect(result.duration < 8)
        server.process.interrupt()
        _ = try? server.waitForExit(timeout: 10)
        let closes = try server.log().filter { $0["dir"] as? String == "conn" && $0["event"] as? String == "close" }
        #expect(!closes.isEmpty)
        #expect(closes.allSatisfy { $0["closed_by"] as? String == "client" && $0["code"] as? Int == 1000 }, "\(closes)")
        let recording = try RecordingContents(path: try RecordingContents.find(in: scratch.file("rec")))
        #expect(recording.records.filter(\.isMessage).count > 10)
    }

    @Test func missingCredentialsExit77AndUsageErrorsExit64() throws {
        var env = RTMSPeers.environment
        env.removeValue(forKey: "ZM_RTMS_SECRET")
        env.removeValue(forKey: "ZM_RTMS_CLIENT")
        let noCredentials = try MediaCtl.run(
            ["rtms", "listen", "--meeting-uuid", "m", "--stream-id", "s", "--server-url", "ws://127.0.0.1:9/signaling"],
            environment: env, timeout: 20)
        #expect(noCredentials.exitCode == 77, "\(noCredentials.stderr)")
        env.removeValue(forKey: "ZM_RTMS_WEBHOOK_SECRET")
        env["ZM_RTMS_CLIENT"] = "id"
        env["ZM_RTMS_SECRET"] = "secret"
        let noWebhookSecret = try MediaCtl.run(["rtms", "listen", "--webhook", "0"], environment: env, timeout: 20)
        #expect(noWebhookSecret.exitCode == 77, "\(noWebhookSecret.stderr)")
        let both = try MediaCtl.run(
            ["rtms", "listen", "--webhook", "0", "--payload", "x"], environment: env, timeout: 20)
        #expect(both.exitCode == 64)
        let badRate = try MediaCtl.run(
            ["rtms", "listen", "--webhook", "0", "--audio-send-rate", "30"], environment: env, timeout: 20)
        #expect(badRate.exitCode == 64)
        #expect(badRate.stderr.contains("multiple of 20"))
    }
}
