import Foundation
import Testing

/// `mediactl rtms listen --push`: streams received from an RTMS server (`rtms replay --serve` of the sample meeting,
/// Tests/Peers/rtms_server.py) published live into nginx (`record all`): nginx's recordings decode as AAC and
/// H.264 of the stream's length, the listener's own recording is still complete, one RTMP name per stream.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RTMSListenPushTests {
    typealias Scratch = HarnessTests.Scratch

    static func ofType(_ lines: [[String: Any]], _ type: String) -> [[String: Any]] {
        lines.filter { $0["type"] as? String == type }
    }

    /// nginx saw the unpublish and recorded AAC + H.264: the recording's path, its duration and the span of the
    /// sample meeting's audio, in seconds.
    static func recordedMeeting(_ nginx: NginxRTMP, stream: String) throws -> (String, Double, Double) {
        #expect(try nginx.waitUntilNotPublishing(stream: stream, timeout: 5))
        let recording = nginx.recordingPath(stream: stream)
        let probe = try FFmpeg.ffprobe(recording)
        #expect(probe.streams.first { $0.codecType == "audio" }?.codecName == "aac")
        #expect(probe.streams.first { $0.codecType == "video" }?.codecName == "h264")
        let audioTimes = try RTMSReplayFLVTests.mediaTimes(14)
        let span = Double(audioTimes.last! + 20 - audioTimes.first!) / 1000
        return (recording, Double(probe.format?.duration ?? "") ?? 0, span)
    }

    /// The sample meeting, served in real time, joined with `--push rtmp://.../live/{stream}`.
    @Test func sampleMeetingLiveIntoNginx() throws {
        let scratch = try Scratch()
        let nginx = try NginxRTMP()
        try nginx.start()
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "60"])
        let webhook = try #require(server.ready["webhook"] as? [String: Any])
        let body = try JSONSerialization.data(withJSONObject: webhook)
        let result = try MediaCtl.run(
            ["rtms", "listen", "--payload", "-", "--json", "--record", scratch.file("rec"), "--push",
             nginx.url(stream: "{stream}")],
            stdin: body, environment: ReplaySample.environment, timeout: 90)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try server.finish().result.exitCode == 0)
        let lines = ReplaySample.jsonLines(result.stdoutText)
        let stream = ReplaySample.streamID

        // The push's events, flat, with the stream; it ends after the stream does, cleanly.
        let start = try #require(Self.ofType(lines, "rtms.push.start").first)
        #expect(start["stream"] as? String == stream)
        #expect(start["name_suffix"] is NSNull)
        #expect(start["url"] as? String == nginx.url(stream: "***"), "stream names are redacted as stream keys")
        #expect(Self.ofType(lines, "rtms.push.publishing").first?["stream"] as? String == stream)
        #expect(Self.ofType(lines, "rtms.push.error").isEmpty, "\(Self.ofType(lines, "rtms.push.error"))")
        let done = try #require(Self.ofType(lines, "rtms.push.done").first)
        let types = lines.compactMap { $0["type"] as? String }
        #expect(types.lastIndex(of: "rtms.push.done")! > types.lastIndex(of: "rtms.end")!)
        #expect(done["ok"] as? Bool == true)
        #expect(done["stream"] as? String == stream)
        #expect(done["audio_codec"] as? String == "l16/16000/1")
        #expect(done["video_codec"] as? String == "h264")
        #expect(done["width"] as? Int == 320 && done["height"] as? Int == 180)
        #expect(done["messages_dropped"] as? Int == 0)
        let audioTimes = try RTMSReplayFLVTests.mediaTimes(14)
        let videoTimes = try RTMSReplayFLVTests.mediaTimes(15)
        #expect(done["audio_messages"] as? Int == audioTimes.count)
        #expect(done["video_messages"] as? Int == videoTimes.count)
        #expect(done["audio_tags"] as? Int ?? 0 > 80)
        // Every access unit, plus the AVC sequence header and the end-of-sequence tag.
        #expect(done["video_tags"] as? Int == videoTimes.count + 2, "video_tags \(String(describing: done["video_tags"]))")
        #expect(done["dropped_frames"] as? Int == 0)

        // nginx saw an unpublish and recorded the meeting: AAC and H.264, its length, the tone.
        #expect(try nginx.waitUntilNotPublishing(stream: stream, timeout: 5))
        let recording = nginx.recordingPath(stream: stream)
        let probe = try FFmpeg.ffprobe(recording)
        #expect(probe.streams.first { $0.codecType == "audio" }?.codecName == "aac")
        let video = probe.streams.first { $0.codecType == "video" }
        #expect(video?.codecName == "h264")
        #expect(video?.width == 320 && video?.height == 180)
        let span = Double(audioTimes.last! + 20 - audioTimes.first!) / 1000
        let duration = Double(probe.format?.duration ?? "") ?? 0
        #expect(abs(duration - span) < 0.5, "nginx recorded \(duration) s of a \(span) s meeting")
        let tone = try RTMSReplayFLVTests.tone(recording, rate: 16000, from: 0.5, to: span - 0.5)
        #expect(abs(tone.frequency - 1000) < 10, "tone at \(tone.frequency) Hz")
        #expect(try RTMSReplayFLVTests.decodeErrors(recording) == "")

        // The listener's own recording is still complete: every media message of the meeting.
        let own = try RecordingContents.find(in: scratch.file("rec"))
        #expect(try RecordingContents(path: own).damage == nil)
        let (_, ownRecords) = try ReplaySample.records(of: own)
        #expect(ReplaySample.mediaContents(14, in: ownRecords).count == audioTimes.count)
        #expect(ReplaySample.mediaContents(15, in: ownRecords).count == videoTimes.count)
        // Events went on alongside.
        #expect(Self.ofType(lines, "rtms.audio").count == audioTimes.count)
    }
}

extension RTMSListenPushTests {
    /// Two streams at once in webhook mode, one URL without a placeholder: the first is published as `zoom`, the
    /// second as `zoom-2`; both recorded by nginx with the length of their stream.
    @Test func twoStreamsAtOnceGetTheirOwnNames() throws {
        let scratch = try Scratch()
        let nginx = try NginxRTMP()
        try nginx.start()
        let servers = try ["0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a01", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b02"].map {
            try RTMSServerPeer(scratch: scratch.path, ["--duration", "4", "--stream-id", $0, "--keepalive-interval", "0.5"])
        }
        let listener = try MediaCtl.start(
            ["rtms", "listen", "--webhook", "127.0.0.1:0/zoom", "--json", "--record", scratch.file("rec"), "--media", "audio",
             "--push", nginx.url(stream: "zoom"), "--stats-interval", "0.5"],
            environment: RTMSPeers.environment)
        let listening = RTMSPeers.jsonObject(try listener.readLine(timeout: 10) { $0.contains("\"listening\"") })
        let url = "http://127.0.0.1:\(listening?["port"] as? Int ?? 0)/zoom"
        for server in servers {
            #expect(try RTMSPeers.sendWebhook(url: url, ["--body-json", server.webhookBody])["status"] as? Int == 200)
        }
        for _ in servers {
            _ = try listener.readLine(timeout: 30) { $0.contains("\"rtms.push.done\"") }
        }
        listener.interrupt()
        let result = try listener.waitForExit(timeout: 15)
        #expect(result.exitCode == 130)
        let lines = ReplaySample.jsonLines(result.stdoutText)

        // Stream names are redacted (they may be keys); the number appended is not.
        let starts = Self.ofType(lines, "rtms.push.start")
        #expect(starts.compactMap { $0["name_suffix"] as? Int } == [2], "\(starts)")
        #expect(Set(starts.compactMap { $0["stream"] as? String }).count == 2)
        let done = Self.ofType(lines, "rtms.push.done")
        #expect(done.count == 2)
        #expect(done.allSatisfy { $0["ok"] as? Bool == true && $0["audio_codec"] as? String == "l16/16000/1" }, "\(done)")
        #expect(Set(done.compactMap { $0["stream"] as? String }) == Set(starts.compactMap { $0["stream"] as? String }))
        #expect(Self.ofType(lines, "rtms.push.stats").contains { $0["stream"] as? String != nil && $0["bytes_sent"] is Int })

        for name in ["zoom", "zoom-2"] {
            #expect(try nginx.waitUntilNotPublishing(stream: name, timeout: 5))
            let probe = try FFmpeg.ffprobe(nginx.recordingPath(stream: name))
            #expect(probe.streams.map(\.codecName) == ["aac"], "\(name)")
            let duration = Double(probe.format?.duration ?? "") ?? 0
            #expect(duration > 3.3 && duration < 4.8, "\(name): \(duration) s of a 4 s stream")
            #expect(try RTMSReplayFLVTests.decodeErrors(nginx.recordingPath(stream: name)) == "")
        }
        for server in servers { #expect(try server.waitForExit(timeout: 20).exitCode == 0) }
    }

    /// Nothing listens at the push URL: the push fails (an rtms.push.error, then its done line), the stream is
    /// still received and recorded to its end, and the exit status is the stream's (0).
    @Test func aFailedPushDoesNotEndTheListener() throws {
        let scratch = try Scratch()
        let port = try Loopback.freePort()
        let server = try RTMSServerPeer(scratch: scratch.path, ["--duration", "3", "--keepalive-interval", "0.5"])
        let result = try MediaCtl.run(
            ["rtms", "listen", "--payload", "-", "--json", "--record", scratch.file("rec"), "--timeout", "2",
             "--push", "rtmp://u:secretpass@127.0.0.1:\(port)/live/{meeting}?key=streamkey"],
            stdin: Data(server.webhookBody.utf8), environment: RTMSPeers.environment, timeout: 40)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try server.waitForExit(timeout: 20).exitCode == 0)
        let lines = ReplaySample.jsonLines(result.stdoutText)
        let error = try #require(Self.ofType(lines, "rtms.push.error").first)
        #expect(error["code"] as? String == "peer_unavailable", "\(error)")
        #expect(Self.ofType(lines, "rtms.push.done").first?["ok"] as? Bool == false)
        #expect(Self.ofType(lines, "rtms.end").last?["outcome"] as? String == "terminated")
        #expect(!result.stdoutText.contains("secretpass") && !result.stderr.contains("secretpass"))
        #expect(!result.stdoutText.contains("streamkey") && !result.stderr.contains("streamkey"))

        let recording = try RecordingContents(path: try RecordingContents.find(in: scratch.file("rec")))
        #expect(recording.damage == nil)
        let report = try RTMSPeers.compare(
            recording: recording, serverLog: server.logPath, scratch: scratch.path, allowTailLoss: false)
        #expect(report["ok"] as? Bool == true, "\(report)")
    }

    /// nginx drops the publisher mid-meeting: the push reconnects (--reconnect) and goes on, live: it ends within
    /// a moment of the stream, not late by the time the reconnection took; nginx's recording (appended) holds the
    /// meeting.
    @Test func aDroppedPushReconnectsAndStaysLive() throws {
        let scratch = try Scratch()
        let nginx = try NginxRTMP(recordAppend: true)
        try nginx.start()
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "60"])
        let webhook = try #require(server.ready["webhook"] as? [String: Any])
        let stream = ReplaySample.streamID
        let listener = try MediaCtl.start(
            ["rtms", "listen", "--payload", "-", "--json", "--record", scratch.file("rec"), "--push",
             nginx.url(stream: "{stream}"), "--reconnect", "3", "--reconnect-delay", "0.5", "--stats-interval", "0"],
            stdin: .pipe, environment: ReplaySample.environment)
        try listener.writeStdin(try JSONSerialization.data(withJSONObject: webhook))
        listener.closeStdin()
        #expect(try nginx.waitForPublisher(stream: stream, timeout: 15))
        Thread.sleep(forTimeInterval: 2)
        #expect(try nginx.dropPublisher(stream: stream) == 1)
        _ = try listener.readLine(timeout: 30) { $0.contains("\"rtms.end\"") }
        let ended = Date()
        _ = try listener.readLine(timeout: 30) { $0.contains("\"rtms.push.done\"") }
        let tail = Date().timeIntervalSince(ended)
        #expect(tail < 1.5, "the push ended \(tail) s after the stream")
        let result = try listener.waitForExit(timeout: 20)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let lines = ReplaySample.jsonLines(result.stdoutText)
        #expect(Self.ofType(lines, "rtms.push.reconnecting").count == 1)
        #expect(Self.ofType(lines, "rtms.push.publishing").count == 2)
        let done = try #require(Self.ofType(lines, "rtms.push.done").first)
        #expect(done["ok"] as? Bool == true, "\(done)")
        #expect(done["reconnects"] as? Int == 1)
        #expect(done["messages_dropped"] as? Int == 0)

        let (_, duration, span) = try Self.recordedMeeting(nginx, stream: stream)
        #expect(duration > span - 1.5 && duration < span + 0.5, "nginx recorded \(duration) s of a \(span) s meeting")
        // The listener's recording did not notice.
        let (_, ownRecords) = try ReplaySample.records(of: try RecordingContents.find(in: scratch.file("rec")))
        #expect(ReplaySample.mediaContents(14, in: ownRecords).count == (try RTMSReplayFLVTests.mediaTimes(14)).count)
        #expect(try server.finish().result.exitCode == 0)
    }

    /// The RTMP server comes up 2 s after the meeting started (a forwarder that listens late; --reconnect retries
    /// meanwhile): the push is live anyway. What came before is sent at once (video beyond --buffer dropped), and
    /// the push ends with the stream instead of trailing it by the time connecting took.
    @Test func aLateServerDoesNotDelayThePush() throws {
        let scratch = try Scratch()
        let nginx = try NginxRTMP()
        try nginx.start()
        let forwarder = try BackgroundProcess(
            "/usr/bin/env",
            ["python3", "\(RTMSPeers.directory)/late_tcp_forward.py", "--target-port", String(nginx.rtmpPort), "--delay", "2",
             "--max-seconds", "60"])
        let reserved = RTMSPeers.jsonObject(try forwarder.readLine(timeout: 10) ?? "")
        let port = try #require(reserved?["port"] as? Int)
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "60"])
        let webhook = try #require(server.ready["webhook"] as? [String: Any])
        let stream = ReplaySample.streamID
        let listener = try MediaCtl.start(
            ["rtms", "listen", "--payload", "-", "--json", "--record", scratch.file("rec"), "--push",
             "rtmp://127.0.0.1:\(port)/live/{stream}", "--reconnect", "6", "--reconnect-delay", "0.25",
             "--stats-interval", "0"],
            stdin: .pipe, environment: ReplaySample.environment)
        try listener.writeStdin(try JSONSerialization.data(withJSONObject: webhook))
        listener.closeStdin()
        _ = try listener.readLine(timeout: 30) { $0.contains("\"rtms.end\"") }
        let ended = Date()
        _ = try listener.readLine(timeout: 30) { $0.contains("\"rtms.push.done\"") }
        let tail = Date().timeIntervalSince(ended)
        #expect(tail < 1, "the push ended \(tail) s after the stream")
        let result = try listener.waitForExit(timeout: 20)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        forwarder.kill()
        let lines = ReplaySample.jsonLines(result.stdoutText)
        #expect(Self.ofType(lines, "rtms.push.reconnecting").count >= 1)
        let done = try #require(Self.ofType(lines, "rtms.push.done").first)
        #expect(done["ok"] as? Bool == true, "\(done)")
        #expect(done["dropped_frames"] as? Int ?? 0 > 0, "video past the 2 s buffer is dropped while connecting")

        // Every audio message made it (audio is never dropped), video from a keyframe on.
        let (recording, duration, span) = try Self.recordedMeeting(nginx, stream: stream)
        #expect(abs(duration - span) < 0.5, "nginx recorded \(duration) s of a \(span) s meeting")
        #expect(try RTMSReplayFLVTests.decodeErrors(recording) == "")
        #expect(try server.finish().result.exitCode == 0)
    }

    /// `--push-video share --push-user ID`: the JPG screen share, encoded live to H.264 at its own size, with one
    /// participant's audio.
    @Test func screenShareAndOneSpeaker() throws {
        let scratch = try Scratch()
        let nginx = try NginxRTMP()
        try nginx.start()
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "60"])
        let webhook = try #require(server.ready["webhook"] as? [String: Any])
        let bob = 16779264
        let result = try MediaCtl.run(
            ["rtms", "listen", "--payload", "-", "--json", "--record", scratch.file("rec"), "--push",
             nginx.url(stream: "share"), "--push-video", "share", "--push-user", String(bob)],
            stdin: try JSONSerialization.data(withJSONObject: webhook), environment: ReplaySample.environment, timeout: 90)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let lines = ReplaySample.jsonLines(result.stdoutText)
        let done = try #require(Self.ofType(lines, "rtms.push.done").first)
        #expect(done["ok"] as? Bool == true, "\(done)")
        #expect(done["video_codec"] as? String == "jpg")
        #expect(done["width"] as? Int == 640 && done["height"] as? Int == 360)
        #expect(done["video_messages"] as? Int == (try RTMSReplayFLVTests.mediaTimes(16).count))
        #expect(done["audio_messages"] as? Int == (try RTMSReplayFLVTests.mediaTimes(14, userID: bob).count))

        #expect(try nginx.waitUntilNotPublishing(stream: "share", timeout: 5))
        let recording = nginx.recordingPath(stream: "share")
        let probe = try FFmpeg.ffprobe(recording)
        let video = try #require(probe.streams.first { $0.codecType == "video" })
        #expect(video.codecName == "h264")
        #expect(video.width == 640 && video.height == 360)
        #expect(probe.streams.first { $0.codecType == "audio" }?.codecName == "aac")
        #expect(try RTMSReplayFLVTests.decodeErrors(recording) == "")
        #expect(try server.finish().result.exitCode == 0)
    }

    @Test func pushUsageErrors() throws {
        let noName = try MediaCtl.run(
            ["rtms", "listen", "--payload", "-", "--push", "rtmp://127.0.0.1/live"], environment: RTMSPeers.environment,
            timeout: 10)
        #expect(noName.exitCode == 64, "stderr: \(noName.stderr)")
        let notRTMP = try MediaCtl.run(
            ["rtms", "listen", "--payload", "-", "--push", "http://127.0.0.1/live/{stream}"], environment: RTMSPeers.environment,
            timeout: 10)
        #expect(notRTMP.exitCode == 64, "stderr: \(notRTMP.stderr)")
        let pushOnly = try MediaCtl.run(
            ["rtms", "listen", "--payload", "-", "--reconnect", "3"], environment: RTMSPeers.environment, timeout: 10)
        #expect(pushOnly.exitCode == 64)
        #expect(pushOnly.stderr.contains("--reconnect only goes with --push"), "stderr: \(pushOnly.stderr)")
    }
}
