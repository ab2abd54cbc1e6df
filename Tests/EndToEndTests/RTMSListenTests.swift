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

    @Test func websocketPingsAreAnsweredWithTheirData() throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(
            scratch: scratch.path, ["--duration", "2.5", "--keepalive-interval", "0.5", "--ws-ping-interval", "0.3"])
        let result = try Self.listen(server, scratch: scratch, [])
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try server.waitForExit(timeout: 20).exitCode == 0)
        let log = try server.log()
        // Every ping answered by a pong with its data (the peer matches them), on signaling and media alike.
        let pings = log.filter { $0["dir"] as? String == "ws-ping" }
        #expect(pings.count >= 8, "\(pings.count) pings")
        #expect(pings.allSatisfy { $0["answered"] as? Bool == true }, "\(pings.filter { $0["answered"] as? Bool != true })")
        #expect(Set(pings.compactMap { $0["kind"] as? String }) == ["signaling", "media"])
        // Pings in between did not disturb the close handshakes at the end.
        let closes = log.filter { $0["dir"] as? String == "conn" && $0["event"] as? String == "close" }
        #expect(!closes.isEmpty)
        #expect(closes.allSatisfy { $0["code"] as? Int == 1000 }, "\(closes)")
        let lines = Self.lines(result.stdoutText)
        #expect(Self.ofType(lines, "rtms.disconnect").isEmpty)
        #expect(Self.ofType(lines, "rtms.end").last?["outcome"] as? String == "terminated")
        let recording = try RecordingContents(path: try RecordingContents.find(in: scratch.file("rec")))
        let report = try RTMSPeers.compare(
            recording: recording, serverLog: server.logPath, scratch: scratch.path, allowTailLoss: false)
        #expect(report["ok"] as? Bool == true, "\(report)")
    }

    @Test func aStoppedWebhookLeavesTheStreamAndEndsTheRecordingCleanly() throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(
            scratch: scratch.path, ["--duration", "30", "--keepalive-interval", "0.5", "--reconnect-wait", "1"])
        let listener = try MediaCtl.start(
            ["rtms", "listen", "--webhook", "127.0.0.1:0/zoom", "--json", "--record", scratch.file("rec")],
            environment: RTMSPeers.environment)
        let listening = RTMSPeers.jsonObject(try listener.readLine(timeout: 10) { $0.contains("\"listening\"") })
        let url = "http://127.0.0.1:\(listening?["port"] as? Int ?? 0)/zoom"
        #expect(try RTMSPeers.sendWebhook(url: url, ["--body-json", server.webhookBody])["status"] as? Int == 200)
        var audio = 0
        while audio < 50 {
            _ = try listener.readLine(timeout: 15) { $0.contains("\"rtms.audio\"") }
            audio += 1
        }

        // The stream is over for the app: Zoom's stopped webhook names it (the started one's payload, minus the URL).
        let started = try #require(server.ready["webhook_body"] as? [String: Any])
        var payload = try #require(started["payload"] as? [String: Any])
        payload.removeValue(forKey: "server_urls")
        let payloadJSON = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
        let stopped = try RTMSPeers.sendWebhook(url: url, ["--event", "meeting.rtms_stopped", "--payload-json", payloadJSON])
        #expect(stopped["status"] as? Int == 200)
        let end = RTMSPeers.jsonObject(try listener.readLine(timeout: 15) { $0.contains("\"rtms.end\"") })
        #expect(end?["outcome"] as? String == "stopped", "\(String(describing: end))")
        // Nobody comes back: the server gives the stream up after --reconnect-wait (its exit status 4).
        #expect(try server.waitForExit(timeout: 20).exitCode == 4)
        listener.interrupt()
        let result = try listener.waitForExit(timeout: 15)
        #expect(result.exitCode == 130)

        let lines = Self.lines(result.stdoutText)
        let webhookEvents = Self.ofType(lines, "rtms.webhook").compactMap { $0["event"] as? String }
        #expect(webhookEvents.filter { $0 == "stopped" }.count == 1, "\(webhookEvents)")
        #expect(Self.ofType(lines, "rtms.end").count == 1)
        #expect(Self.ofType(lines, "rtms.reconnect").isEmpty && Self.ofType(lines, "rtms.disconnect").isEmpty)

        // The server saw the client leave: every connection closed by the client with 1000, no stream close asked.
        let log = try server.log()
        let closes = log.filter { $0["dir"] as? String == "conn" && $0["event"] as? String == "close" }
        #expect(closes.count == 2, "\(closes)")
        #expect(closes.allSatisfy { $0["closed_by"] as? String == "client" && $0["code"] as? Int == 1000 }, "\(closes)")
        #expect(!log.contains { $0["dir"] as? String == "recv" && $0["msg_type"] as? Int == 21 })
        let signalingOpens = log.filter {
            $0["dir"] as? String == "conn" && $0["event"] as? String == "open" && $0["path"] as? String == "/signaling"
        }
        #expect(signalingOpens.count == 1)

        // The recording ends cleanly, with every message the server sent before the client left.
        let recording = try RecordingContents(path: try RecordingContents.find(in: scratch.file("rec")))
        #expect(recording.damage == nil)
        #expect(recording.markers.last?["type"] as? String == "rtms.end")
        #expect(recording.markers.last?["outcome"] as? String == "stopped")
        let report = try RTMSPeers.compare(
            recording: recording, serverLog: server.logPath, scratch: scratch.path, allowTailLoss: false)
        #expect(report["ok"] as? Bool == true, "\(report)")
    }

    @Test func videoUserAndEventSubscriptionsReachTheServer() throws {
        let scratch = try Scratch()
        let server = try RTMSServerPeer(scratch: scratch.path, ["--duration", "2.5", "--keepalive-interval", "0.5"])
        let bob: Int64 = 16_779_264  // rtms_server.py's second participant; its default video is the first's
        // Video only: rtms_server.py fixes each track's parameters when the stream starts (at the first ready ack),
        // so with a separate audio connection that came up first it would send the default (active speaker) video.
        let result = try Self.listen(
            server, scratch: scratch,
            ["--media", "video", "--video-user", String(bob), "--events", "participant-join,sharing_start,9"])
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try server.waitForExit(timeout: 20).exitCode == 0)

        let received = try server.log().filter { $0["dir"] as? String == "recv" }
        func messages(_ type: Int) -> [[String: Any]] {
            received.filter { $0["msg_type"] as? Int == type }.compactMap { $0["msg"] as? [String: Any] }
        }
        // Exactly the events asked for, once.
        let subscriptions = messages(5)
        #expect(subscriptions.count == 1, "\(subscriptions)")
        let entries = subscriptions.first?["events"] as? [[String: Any]] ?? []
        #expect(entries.compactMap { $0["event_type"] as? Int } == [3, 5, 9], "\(entries)")
        #expect(entries.allSatisfy { $0["subscribe"] as? Bool == true })
        // One individual video subscription for that participant, and video for that participant only.
        let videoSubscriptions = messages(28)
        #expect(videoSubscriptions.count == 1, "\(videoSubscriptions)")
        #expect((videoSubscriptions.first?["user_id"] as? NSNumber)?.int64Value == bob)
        #expect(videoSubscriptions.first?["subscribe"] as? Bool == true)
        let videoParameters = messages(3).compactMap { ($0["media_params"] as? [String: Any])?["video"] as? [String: Any] }
        #expect(videoParameters.count == 1 && videoParameters.first?["data_opt"] as? Int == 4, "\(videoParameters)")
        let video = Self.ofType(Self.lines(result.stdoutText), "rtms.video")
        #expect(!video.isEmpty)
        #expect(video.allSatisfy { ($0["user_id"] as? NSNumber)?.int64Value == bob })

        // No subscription at all with `--events none`.
        let scratch2 = try Scratch()
        let server2 = try RTMSServerPeer(scratch: scratch2.path, ["--duration", "1", "--keepalive-interval", "0.5"])
        let none = try Self.listen(server2, scratch: scratch2, ["--media", "audio", "--events", "none"])
        #expect(none.exitCode == 0, "stderr: \(none.stderr)")
        #expect(try server2.waitForExit(timeout: 20).exitCode == 0)
        let log2 = try server2.log()
        #expect(log2.contains { $0["dir"] as? String == "recv" && $0["msg_type"] as? Int == 7 })
        #expect(!log2.contains { $0["dir"] as? String == "recv" && $0["msg_type"] as? Int == 5 })
    }

    /// A test certificate for 127.0.0.1 (or whatever `san` names), self-signed: it is its own CA for --ca-file.
    /// `commonName`: the subject's CN (Zoom's C SDK checks the host against it, not only against the SAN).
    static func certificate(in scratch: Scratch, _ name: String, san: String, commonName: String? = nil) throws -> (cert: String, key: String) {
        let cert = scratch.file("\(name).pem")
        let key = scratch.file("\(name)-key.pem")
        let result = try run(
            "openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
             "-subj", "/CN=\(commonName ?? "mediactl test \(name)")", "-addext", "subjectAltName=\(san)"],
            timeout: 30)
        try #require(result.exitCode == 0, "openssl: \(result.stderr)")
        return (cert, key)
    }

    @Test func wssToAnIPAddressChecksTheCertificateAgainstThatAddress() throws {
        let scratch = try Scratch()
        let good = try Self.certificate(in: scratch, "server", san: "IP:127.0.0.1")
        let stranger = try Self.certificate(in: scratch, "stranger", san: "IP:127.0.0.1")
        let named = try Self.certificate(in: scratch, "named", san: "DNS:localhost")

        // Trusted through --ca-file: the whole stream over wss://127.0.0.1, recorded message by message.
        let server = try RTMSServerPeer(
            scratch: scratch.path,
            ["--duration", "2", "--keepalive-interval", "0.5", "--tls-cert", good.cert, "--tls-key", good.key])
        #expect(server.signalingURL.hasPrefix("wss://127.0.0.1:"))
        let result = try Self.listen(server, scratch: scratch, ["--ca-file", good.cert])
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try server.waitForExit(timeout: 20).exitCode == 0)
        #expect(Self.ofType(Self.lines(result.stdoutText), "rtms.end").last?["outcome"] as? String == "terminated")
        let recording = try RecordingContents(path: try RecordingContents.find(in: scratch.file("rec")))
        #expect(recording.damage == nil)
        let report = try RTMSPeers.compare(
            recording: recording, serverLog: server.logPath, scratch: scratch.path, allowTailLoss: false)
        #expect(report["ok"] as? Bool == true, "\(report)")

        // Refused, with the TLS status and at once (a certificate does not get better by retrying): a CA that did
        // not sign the server's certificate, the system store (which does not know the test certificate), and a
        // trusted certificate that names a host but not the address connected to.
        let trustedElsewhere = try RTMSServerPeer(
            scratch: scratch.path, ["--duration", "30", "--tls-cert", good.cert, "--tls-key", good.key])
        let wrongName = try RTMSServerPeer(
            scratch: scratch.path, ["--duration", "30", "--tls-cert", named.cert, "--tls-key", named.key])
        let refusals: [(RTMSServerPeer, [String], String)] = [
            (trustedElsewhere, ["--ca-file", stranger.cert], "certificate is not trusted"),
            (trustedElsewhere, [], "certificate is not trusted"),
            (wrongName, ["--ca-file", named.cert], "not valid for that host name or address"),
        ]
        for (peer, args, message) in refusals {
            let refused = try MediaCtl.run(
                ["rtms", "listen", "--payload", "-", "--json"] + args, stdin: Data(peer.webhookBody.utf8),
                environment: RTMSPeers.environment, timeout: 20)
            #expect(refused.exitCode == 76, "\(args): \(refused.stderr)")
            #expect(refused.stderr.contains(message), "\(args): \(refused.stderr)")
            #expect(refused.duration < 10)
            let end = Self.ofType(Self.lines(refused.stdoutText), "rtms.end").last
            #expect(end?["outcome"] as? String == "failed")
            #expect(end?["code"] as? String == "tls")
            #expect(Self.ofType(Self.lines(refused.stdoutText), "rtms.reconnect").isEmpty)
        }
        // A CA file that cannot be read is reported before anything connects.
        let noCA = try MediaCtl.run(
            ["rtms", "listen", "--payload", "-", "--ca-file", scratch.file("missing.pem")],
            stdin: Data(trustedElsewhere.webhookBody.utf8), environment: RTMSPeers.environment, timeout: 20)
        #expect(noCA.exitCode == 66, "\(noCA.stderr)")
        #expect(noCA.stderr.contains("cannot read CA file"), "\(noCA.stderr)")
        // No websocket was opened on either server: the handshakes failed in TLS.
        for peer in [trustedElsewhere, wrongName] {
            let connections = try peer.log().filter { $0["dir"] as? String == "conn" }
            #expect(connections.isEmpty, "\(connections)")
        }

        // --insecure takes the certificate that names another host, from no known CA.
        let scratch2 = try Scratch()
        let insecureServer = try RTMSServerPeer(
            scratch: scratch2.path,
            ["--duration", "1.5", "--keepalive-interval", "0.5", "--tls-cert", named.cert, "--tls-key", named.key])
        let insecure = try Self.listen(insecureServer, scratch: scratch2, ["--insecure"])
        #expect(insecure.exitCode == 0, "stderr: \(insecure.stderr)")
        #expect(try insecureServer.waitForExit(timeout: 20).exitCode == 0)
        #expect(!Self.ofType(Self.lines(insecure.stdoutText), "rtms.audio").isEmpty)
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
