import Foundation
import Testing

@Suite(.serialized, .timeLimit(.minutes(3)))
struct RTMPPushTests {
    @Test func recordingIsThePushedFilePacketForPacket() throws {
        let clip = try Clips.clip(seconds: 3)
        let nginx = try NginxRTMP()
        try nginx.start()
        let result = try MediaCtl.run(
            ["rtmp", "push", "--no-realtime", "--json", clip, nginx.url(stream: "secretkey1")], timeout: 60)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let events = events(result)
        #expect(events.map(\.type).first == "rtmp.connected")
        #expect(events.contains { $0.type == "rtmp.publishing" })
        let done = try #require(events.last)
        #expect(done.type == "rtmp.done")
        #expect((done.int("video_tags") ?? 0) >= 75)
        #expect((done.int("audio_tags") ?? 0) > 100)
        #expect(done.int("dropped_frames") == 0)
        // The stream key never shows.
        #expect(!result.stdoutText.contains("secretkey1"))
        #expect(!result.stderr.contains("secretkey1"))
        #expect(try nginx.waitUntilNotPublishing(stream: "secretkey1", timeout: 5))
        let sent = try FFmpeg.framemd5(clip)
        let recorded = try FFmpeg.framemd5(nginx.recordingPath(stream: "secretkey1"))
        #expect(recorded.packets.count == sent.packets.count)
        #expect(recorded.mismatches(comparedTo: sent).isEmpty, "\(recorded.mismatches(comparedTo: sent))")
    }

    @Test(arguments: [128, 4096, 65536, 1_000_000])
    func everyChunkSizeDeliversTheSamePackets(chunkSize: Int) throws {
        let clip = try Clips.clip(seconds: 2)
        let nginx = try NginxRTMP()
        try nginx.start()
        let result = try MediaCtl.run(
            ["rtmp", "push", "--no-realtime", "--chunk-size", String(chunkSize), clip, nginx.url(stream: "c")],
            timeout: 60)
        #expect(result.exitCode == 0, "\(result.stderr)")
        // Without --json, stdout is a readable summary.
        #expect(result.stdoutText.hasPrefix("sent "))
        #expect(try nginx.waitUntilNotPublishing(stream: "c", timeout: 5))
        let recorded = try FFmpeg.framemd5(nginx.recordingPath(stream: "c"))
        #expect(recorded.mismatches(comparedTo: try FFmpeg.framemd5(clip)).isEmpty)
    }

    @Test func stdinIsASource() throws {
        let clip = try Clips.clip(seconds: 2)
        let nginx = try NginxRTMP()
        try nginx.start()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        let result = try MediaCtl.run(
            ["rtmp", "push", "--no-realtime", "--json", "-", nginx.url(stream: "stdin")], stdin: bytes, timeout: 60)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(try nginx.waitUntilNotPublishing(stream: "stdin", timeout: 5))
        let recorded = try FFmpeg.framemd5(nginx.recordingPath(stream: "stdin"))
        #expect(recorded.mismatches(comparedTo: try FFmpeg.framemd5(clip)).isEmpty)
    }

    @Test func realTimePacingFollowsTheClock() throws {
        let clip = try Clips.clip(seconds: 3)
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let result = try MediaCtl.run(["rtmp", "push", "--json", clip, nginx.url(stream: "rt")], timeout: 30)
        #expect(result.exitCode == 0, "\(result.stderr)")
        // 3 s of media take 3 s (plus connecting), not less.
        #expect(result.duration > 2.9 && result.duration < 6, "took \(result.duration) s")
        let done = try #require(events(result).last)
        #expect(done.type == "rtmp.done")
        #expect((done.double("pacing_max_ahead_ms") ?? 99) <= 1)
        // Loose bound for a noisy CI machine; the benchmark reports the real figure.
        #expect((done.double("pacing_median_behind_ms") ?? 99) < 20)
    }

    @Test func rtmpsWithTheServersCA() throws {
        let clip = try Clips.clip(seconds: 2)
        let nginx = try NginxRTMP(tls: true)
        try nginx.start()
        let ca = try #require(nginx.caFile)
        let url = nginx.url(stream: "tls", tls: true)
        let ok = try MediaCtl.run(["rtmp", "push", "--no-realtime", "--ca-file", ca, clip, url], timeout: 60)
        #expect(ok.exitCode == 0, "\(ok.stderr)")
        #expect(try nginx.waitUntilNotPublishing(stream: "tls", timeout: 5))
        let recorded = try FFmpeg.framemd5(nginx.recordingPath(stream: "tls"))
        #expect(recorded.mismatches(comparedTo: try FFmpeg.framemd5(clip)).isEmpty)

        // The system store does not trust the test CA: a TLS failure with its own exit status.
        let refused = try MediaCtl.run(["rtmp", "push", "--no-realtime", clip, url], timeout: 30)
        #expect(refused.exitCode == 76, "\(refused.stderr)")
        #expect(refused.stderr.contains("TLS"))

        let insecure = try MediaCtl.run(
            ["rtmp", "push", "--no-realtime", "--insecure", clip, nginx.url(stream: "tls2", tls: true)], timeout: 30)
        #expect(insecure.exitCode == 0, "\(insecure.stderr)")
    }

    @Test func queryStringAuthThroughOnPublish() throws {
        let clip = try Clips.clip(seconds: 1)
        let nginx = try NginxRTMP(onPublishAuth: (user: "alice", pass: "s3cret"))
        try nginx.start()
        let accepted = try MediaCtl.run(
            ["rtmp", "push", "--no-realtime", "--json", clip, nginx.url(stream: "ok", query: "user=alice&pass=s3cret")],
            timeout: 30)
        #expect(accepted.exitCode == 0, "\(accepted.stderr)")
        #expect(!accepted.stdoutText.contains("s3cret"))
        #expect(try nginx.waitUntilNotPublishing(stream: "ok", timeout: 5))
        #expect(try FFmpeg.framemd5(nginx.recordingPath(stream: "ok")).packets.count > 20)

        let refused = try MediaCtl.run(
            ["rtmp", "push", "--no-realtime", "--json", clip, nginx.url(stream: "no", query: "user=alice&pass=badpass9")],
            timeout: 30)
        #expect(refused.exitCode == 69, "\(refused.stderr)")
        #expect(refused.stderr.contains("refused"))
        #expect(!refused.stderr.contains("badpass9"))
        let error = try #require(events(refused).last)
        #expect(error.type == "rtmp.error")
        #expect(error.string("code") == "peer_refused")
    }

    @Test(arguments: ["adobe", "llnw"])
    func challengeAuthentication(scheme: String) throws {
        let clip = try Clips.clip(seconds: 1)
        let scratch = try TempDir()
        let summary = scratch.file("summary.json")
        let server = try BackgroundProcess(
            "/usr/bin/env",
            ["python3", Self.peer("rtmp_auth_server.py"), "--port", "0", "--scheme", scheme, "--user", "alice",
             "--password", "pa55word", "--summary", summary, "--max-seconds", "60"])
        let ready = try #require(try server.readLine(timeout: 10).flatMap(Event.init))
        let port = try #require(ready.int("port"))
        let good = try MediaCtl.run(
            ["rtmp", "push", "--no-realtime", "--json", clip, "rtmp://alice:pa55word@127.0.0.1:\(port)/app/stream"],
            timeout: 30)
        #expect(good.exitCode == 0, "\(good.stderr)")
        #expect(!good.stdoutText.contains("pa55word") && !good.stderr.contains("pa55word"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any]
        #expect(report?["auth"] as? String == "ok")
        #expect(report?["password_in_connect"] as? Bool == false)
        #expect(((report?["video"] as? NSNumber)?.intValue ?? 0) > 10)
        for connect in report?["connect_log"] as? [[String: Any]] ?? [] {
            #expect(!(connect["tcUrl"] as? String ?? "").contains("pa55word"))
            #expect(!(connect["tcUrl"] as? String ?? "").contains("alice@"))
        }

        let bad = try MediaCtl.run(
            ["rtmp", "push", "--no-realtime", clip, "rtmp://alice:nope@127.0.0.1:\(port)/app/stream"], timeout: 30)
        #expect(bad.exitCode == 77, "\(bad.stderr)")
        #expect(!bad.stderr.contains("nope"))
        server.terminate()
        _ = try server.waitForExit(timeout: 10)
    }

    @Test func droppedPublisherReconnectsAndTheRecordingContinues() throws {
        let clip = try Clips.clip(seconds: 8, gop: 25)
        let nginx = try NginxRTMP(recordAppend: true)
        try nginx.start()
        let push = try MediaCtl.start(
            ["rtmp", "push", "--json", "--reconnect", "3", "--reconnect-delay", "0.2", "--stats-interval", "0", clip,
             nginx.url(stream: "rc")])
        #expect(try nginx.waitForPublisher(stream: "rc", timeout: 10))
        Thread.sleep(forTimeInterval: 3)
        #expect(try nginx.dropPublisher(stream: "rc") == 1)
        let result = try push.waitForExit(timeout: 30)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let events = events(result)
        #expect(events.filter { $0.type == "rtmp.publishing" }.count == 2)
        let reconnecting = try #require(events.first { $0.type == "rtmp.reconnecting" })
        #expect(reconnecting.int("attempt") == 1)
        let done = try #require(events.last)
        #expect(done.int("reconnects") == 1)
        // It resumed: the recording holds media from after the drop, up to the end of the clip.
        #expect(try nginx.waitUntilNotPublishing(stream: "rc", timeout: 5))
        let recorded = try FFmpeg.framemd5(nginx.recordingPath(stream: "rc"))
        let videoPackets = recorded.packets.filter { $0.stream == 0 }
        #expect(videoPackets.count > 150, "only \(videoPackets.count) video packets recorded")
        let lastSent = (done.int("media_time_ms") ?? 0)
        #expect(lastSent > 7800)
    }

    @Test func interruptUnpublishesAndExits130() throws {
        let clip = try Clips.clip(seconds: 20)
        let nginx = try NginxRTMP()
        try nginx.start()
        let push = try MediaCtl.start(["rtmp", "push", "--json", "--stats-interval", "0", clip, nginx.url(stream: "int")])
        #expect(try nginx.waitForPublisher(stream: "int", timeout: 10))
        Thread.sleep(forTimeInterval: 1.5)
        push.interrupt()
        let result = try push.waitForExit(timeout: 10)
        #expect(result.exitCode == 130, "\(result.stderr)")
        let done = try #require(events(result).last)
        #expect(done.type == "rtmp.done")
        #expect(done.object["interrupted"] as? Bool == true)
        #expect(try nginx.waitUntilNotPublishing(stream: "int", timeout: 5))
        #expect(try FFmpeg.framemd5(nginx.recordingPath(stream: "int")).packets.count > 30)
    }

    @Test func loopWithDurationKeepsTimestampsIncreasing() throws {
        let clip = try Clips.clip(seconds: 1)
        let nginx = try NginxRTMP()
        try nginx.start()
        let result = try MediaCtl.run(
            ["rtmp", "push", "--no-realtime", "--loop", "--duration", "3.5", "--json", clip, nginx.url(stream: "loop")],
            timeout: 30)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let done = try #require(events(result).last)
        let mediaTime = done.int("media_time_ms") ?? 0
        #expect(mediaTime >= 3300 && mediaTime < 3500, "media time \(mediaTime)")
        #expect(try nginx.waitUntilNotPublishing(stream: "loop", timeout: 5))
        let video = try FFmpeg.framemd5(nginx.recordingPath(stream: "loop")).packets.filter { $0.stream == 0 }
        #expect(video.count >= 80, "\(video.count) video packets")
        let dts = video.map(\.dts)
        #expect(zip(dts, dts.dropFirst()).allSatisfy { $0 < $1 }, "video DTS must keep increasing across passes")
    }

    @Test func badInputsHaveTheirOwnExitStatus() throws {
        let scratch = try TempDir()
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let url = nginx.url(stream: "x")
        let missing = try MediaCtl.run(["rtmp", "push", scratch.file("nope.flv"), url], timeout: 10)
        #expect(missing.exitCode == 66)
        #expect(missing.stderr.contains("nope.flv"))

        let garbage = scratch.file("garbage.flv")
        try Data("this is not an flv file at all".utf8).write(to: URL(fileURLWithPath: garbage))
        let malformed = try MediaCtl.run(["rtmp", "push", "--json", "--no-realtime", garbage, url], timeout: 10)
        #expect(malformed.exitCode == 65, "\(malformed.stderr)")
        #expect(malformed.stderr.contains("byte"))
        #expect(events(malformed).last?.string("code") == "malformed_input")

        // A file cut in the middle of a tag: everything before is sent, then the error says where.
        let clip = try Clips.clip(seconds: 2)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        let cut = scratch.file("cut.flv")
        try bytes.prefix(bytes.count / 2 + 7).write(to: URL(fileURLWithPath: cut))
        let truncated = try MediaCtl.run(["rtmp", "push", "--no-realtime", cut, url], timeout: 20)
        #expect(truncated.exitCode == 65, "\(truncated.stderr)")
        #expect(truncated.stderr.contains("truncated"))

        let badURL = try MediaCtl.run(["rtmp", "push", clip, "http://127.0.0.1/live/x"], timeout: 10)
        #expect(badURL.exitCode == 64)
        let noStream = try MediaCtl.run(["rtmp", "push", clip, "rtmp://127.0.0.1:\(nginx.rtmpPort)/live"], timeout: 10)
        #expect(noStream.exitCode == 64, "\(noStream.stderr)")

        let port = try Loopback.freePort()
        let refused = try MediaCtl.run(["rtmp", "push", clip, "rtmp://127.0.0.1:\(port)/live/x"], timeout: 10)
        #expect(refused.exitCode == 69, "\(refused.stderr)")
        #expect(refused.stderr.contains("refused"))
    }

    @Test func aDeadPeerTimesOut() throws {
        let clip = try Clips.clip(seconds: 1)
        // A TCP server that accepts and never says a word.
        let silent = try BackgroundProcess(
            "/usr/bin/env",
            ["python3", "-c",
             "import socket,time,sys\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen(4)\nprint(s.getsockname()[1],flush=True)\nc=s.accept()\ntime.sleep(30)"])
        let port = try #require(try silent.readLine(timeout: 10).flatMap { Int($0) })
        let result = try MediaCtl.run(
            ["rtmp", "push", "--timeout", "2", "--json", clip, "rtmp://127.0.0.1:\(port)/live/x"], timeout: 20)
        #expect(result.exitCode == 75, "\(result.stderr)")
        #expect(result.duration < 6)
        #expect(events(result).last?.string("code") == "timeout")
        silent.kill()
    }

    static func peer(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Peers/\(name)").path
    }
}
