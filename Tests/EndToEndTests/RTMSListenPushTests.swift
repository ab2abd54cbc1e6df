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
        #expect(start["stream_name"] as? String == stream)
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
