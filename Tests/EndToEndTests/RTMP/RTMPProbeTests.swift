import Foundation
import Testing

@Suite(.serialized, .timeLimit(.minutes(2)))
struct RTMPProbeTests {
    @Test func agreesWithFFprobeOnALiveStream() throws {
        let clip = try Clips.clip(seconds: 12, gop: 25)
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let push = try MediaCtl.start(["rtmp", "push", "-q", clip, nginx.url(stream: "live1")])
        #expect(try nginx.waitForPublisher(stream: "live1", timeout: 10))
        Thread.sleep(forTimeInterval: 1)

        let probe = try MediaCtl.run(["rtmp", "probe", "--json", nginx.url(stream: "live1")], timeout: 15)
        #expect(probe.exitCode == 0, "\(probe.stderr)")
        let lines = probe.stdoutLines
        #expect(lines.count == 1, "one JSON object on stdout")
        let report = try #require(try JSONSerialization.jsonObject(with: probe.stdout) as? [String: Any])
        #expect(report["state"] as? String == "ok")
        let timing = report["timing_ms"] as? [String: Any]
        let known = (timing?["codecs_known"] as? NSNumber)?.doubleValue ?? 9999
        #expect(known < 1000, "codecs known after \(known) ms")
        let server = report["server"] as? [String: Any]
        #expect(server?["fms_ver"] as? String == "FMS/3,0,1,123")
        #expect((server?["chunk_size"] as? NSNumber)?.intValue == 4096)

        let ffprobe = try FFmpeg.ffprobe(nginx.url(stream: "live1"), timeout: 20)
        let video = try #require(report["video"] as? [String: Any])
        let audio = try #require(report["audio"] as? [String: Any])
        let ffVideo = try #require(ffprobe.video)
        let ffAudio = try #require(ffprobe.audio)
        #expect(video["codec"] as? String == ffVideo.codecName)
        #expect((video["width"] as? NSNumber)?.intValue == ffVideo.width)
        #expect((video["height"] as? NSNumber)?.intValue == ffVideo.height)
        let fps = (video["fps"] as? NSNumber)?.doubleValue ?? 0
        #expect(abs(fps - (ffVideo.frameRate ?? 0)) < 0.5, "fps \(fps) vs ffprobe \(String(describing: ffVideo.frameRate))")
        #expect(audio["codec"] as? String == ffAudio.codecName)
        #expect((audio["sample_rate"] as? NSNumber).map { String($0.intValue) } == ffAudio.sampleRate)
        #expect((audio["channels"] as? NSNumber)?.intValue == ffAudio.channels)

        // Watching longer measures bitrate and keyframe interval (GOP 25 at 25 fps: 1 s).
        let watched = try MediaCtl.run(
            ["rtmp", "probe", "--json", "--duration", "3", "--max-keyframe-interval", "1.5", "--min-fps", "20",
             "--require-video", "h264", "--require-audio", "aac", nginx.url(stream: "live1")], timeout: 20)
        #expect(watched.exitCode == 0, "\(watched.stdoutText)\n\(watched.stderr)")
        let measured = try #require(try JSONSerialization.jsonObject(with: watched.stdout) as? [String: Any])
        let measuredVideo = measured["video"] as? [String: Any]
        let interval = (measuredVideo?["keyframe_interval_s"] as? NSNumber)?.doubleValue ?? 0
        #expect(abs(interval - 1) < 0.1, "keyframe interval \(interval)")
        #expect(((measured["bitrate_kbps"] as? NSNumber)?.doubleValue ?? 0) > 50)

        // Requirements that do not hold: exit 3 with the reason.
        let wrong = try MediaCtl.run(
            ["rtmp", "probe", "--require-video", "hevc", "--min-height", "1080", nginx.url(stream: "live1")], timeout: 15)
        #expect(wrong.exitCode == 3)
        #expect(wrong.stderr.contains("hevc"))
        #expect(wrong.stderr.contains("1080"))
        push.kill()
    }

    @Test func aStreamThatSendsNothingEndsWithinTheTimeout() throws {
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let result = try MediaCtl.run(
            ["rtmp", "probe", "--json", "--timeout", "1.5", nginx.url(stream: "nobody")], timeout: 10)
        #expect(result.exitCode == 75)
        #expect(result.duration < 4)
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(report["state"] as? String == "no_data")
    }

    @Test func serverOnlyProbe() throws {
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let result = try MediaCtl.run(["rtmp", "probe", "rtmp://127.0.0.1:\(nginx.rtmpPort)/live"], timeout: 10)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains("FMS/3,0,1,123"))
        #expect(result.stdoutText.contains("state:      ok"))

        let port = try Loopback.freePort()
        let down = try MediaCtl.run(["rtmp", "probe", "--json", "rtmp://127.0.0.1:\(port)/live"], timeout: 10)
        #expect(down.exitCode == 69)
        let error = try #require(try JSONSerialization.jsonObject(with: down.stdout) as? [String: Any])
        #expect(error["code"] as? String == "peer_unavailable")
    }
}
