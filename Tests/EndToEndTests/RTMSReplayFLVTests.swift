import Foundation
import Testing

/// `mediactl rtms replay --flv` and `--push`: the sample meeting converted, then decoded back with ffprobe/ffmpeg
/// (codecs, duration, sample rate, A/V sync, the 1 kHz tone); a damaged recording; the live push into nginx.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RTMSReplayFLVTests {
    typealias Scratch = HarnessTests.Scratch

    /// The sample's media timestamps, read with the test's own walker: (first, last) per msg_type, and counts.
    static func mediaTimes(_ msgType: Int, userID: Int? = nil) throws -> [Int] {
        let (_, records) = try ReplaySample.records()
        return ReplaySample.mediaContents(msgType, in: records)
            .filter { userID == nil || $0["user_id"] as? Int == userID }
            .compactMap { $0["timestamp"] as? Int }
    }

    /// Decoded audio: signed 16-bit mono samples at `rate`, and the frequency of the strongest tone between
    /// `from` and `to` seconds (zero crossings, enough for a pure sine).
    static func tone(_ path: String, rate: Int, from: Double, to: Double) throws -> (frequency: Double, rms: Double) {
        let result = try run(
            "ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-map", "0:a:0", "-ac", "1", "-ar", String(rate),
                       "-f", "s16le", "-"], timeout: 60)
        guard result.exitCode == 0 else { throw HarnessError("ffmpeg could not decode \(path): \(result.stderr)") }
        let samples = result.stdout.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        let window = samples[min(samples.count, Int(from * Double(rate)))..<min(samples.count, Int(to * Double(rate)))]
        guard window.count > rate / 10 else { return (0, 0) }
        var crossings = 0
        var previous = window.first!
        for sample in window.dropFirst() {
            if (previous < 0) != (sample < 0) { crossings += 1 }
            previous = sample
        }
        let seconds = Double(window.count) / Double(rate)
        let rms = (window.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(window.count)).squareRoot()
        return (Double(crossings) / 2 / seconds, rms)
    }

    /// First timestamp and end of each stream's packets in seconds (`ffprobe -show_packets`).
    static func packetSpans(_ path: String) throws -> [String: (start: Double, end: Double, count: Int)] {
        let result = try run(
            "ffprobe", ["-hide_banner", "-loglevel", "error", "-print_format", "json", "-show_packets", path], timeout: 30)
        guard result.exitCode == 0,
            let json = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any],
            let packets = json["packets"] as? [[String: Any]]
        else { throw HarnessError("ffprobe -show_packets \(path) failed: \(result.stderr)") }
        var spans: [String: (start: Double, end: Double, count: Int)] = [:]
        for packet in packets {
            guard let type = packet["codec_type"] as? String, let pts = Double(packet["pts_time"] as? String ?? "")
            else { continue }
            let end = pts + (Double(packet["duration_time"] as? String ?? "") ?? 0)
            let old = spans[type] ?? (pts, end, 0)
            spans[type] = (min(old.start, pts), max(old.end, end), old.count + 1)
        }
        return spans
    }

    static func decodeErrors(_ path: String) throws -> String {
        let result = try run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-f", "null", "-"], timeout: 60)
        return result.exitCode == 0 ? result.stderr : "exit \(result.exitCode): \(result.stderr)"
    }

    @Test func sampleMeetingToFLVDecodesBack() throws {
        let scratch = try Scratch()
        let out = scratch.file("meeting.flv")
        let result = try MediaCtl.run(["rtms", "replay", "--json", "--flv", out, ReplaySample.directory], timeout: 60)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let summary = try #require(ReplaySample.jsonLines(result.stdoutText).first)
        #expect(result.stdoutLines.count == 1)
        #expect(summary["type"] as? String == "rtms.flv")
        #expect(summary["audio_codec"] as? String == "l16/16000/1")
        #expect(summary["video_codec"] as? String == "h264")
        let audioTimes = try Self.mediaTimes(14)
        let videoTimes = try Self.mediaTimes(15)
        #expect(summary["audio_messages"] as? Int == audioTimes.count)
        #expect(summary["video_messages"] as? Int == videoTimes.count)
        #expect(summary["damaged"] as? Bool == false)
        let size = try FileManager.default.attributesOfItem(atPath: out)[.size] as? Int
        #expect(summary["bytes_written"] as? Int == size)

        let probe = try FFmpeg.ffprobe(out)
        let audio = try #require(probe.streams.first { $0.codecType == "audio" })
        let video = try #require(probe.streams.first { $0.codecType == "video" })
        #expect(audio.codecName == "aac")
        #expect(audio.sampleRate == "16000")
        #expect(audio.channels == 1)
        #expect(video.codecName == "h264")
        #expect(video.width == 320 && video.height == 180)
        // The recording spans from the first media timestamp to the last audio message's end.
        let span = Double(audioTimes.last! + 20 - min(audioTimes.first!, videoTimes.first!)) / 1000
        let duration = Double(probe.format?.duration ?? "") ?? 0
        #expect(abs(duration - span) < 0.15, "duration \(duration) s, recorded span \(span) s")
        #expect(abs(Double(summary["duration_ms"] as? Int ?? 0) / 1000 - duration) < 0.1)

        // A/V sync: the streams start as far apart as their first recorded timestamps, and end together.
        let spans = try Self.packetSpans(out)
        let a = try #require(spans["audio"])
        let v = try #require(spans["video"])
        // FLV has no edit list: the AAC encoder's 1024 priming samples (64 ms at 16 kHz) play before the first
        // recorded sample, so the recorded sound starts at the first audio packet + 64 ms.
        let recordedOffset = Double(videoTimes.first! - audioTimes.first!) / 1000
        let soundStart = a.start + 1024.0 / 16000
        #expect(abs((v.start - soundStart) - recordedOffset) < 0.03, "video starts \(v.start - soundStart) s after the sound; recorded \(recordedOffset) s")
        #expect(abs(a.end - v.end) < 0.2, "audio ends at \(a.end) s, video at \(v.end) s")
        #expect(v.count == videoTimes.count)

        // The participant's 1 kHz sine comes back at 1 kHz.
        let tone = try Self.tone(out, rate: 16000, from: 0.5, to: span - 0.5)
        #expect(abs(tone.frequency - 1000) < 10, "tone at \(tone.frequency) Hz")
        #expect(tone.rms > 1000)
        #expect(try Self.decodeErrors(out) == "")
    }

    /// `--video share`: the JPG screen share encoded to H.264 at its own size; `--user` keeps one speaker's audio.
    @Test func screenShareJPGAndOneSpeaker() throws {
        let scratch = try Scratch()
        let out = scratch.file("share.flv")
        let bob = 16779264
        let result = try MediaCtl.run(
            ["rtms", "replay", "--json", "--flv", out, "--video", "share", "--user", String(bob), "--x264-preset", "ultrafast",
             ReplaySample.file], timeout: 60)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let summary = try #require(ReplaySample.jsonLines(result.stdoutText).first)
        #expect(summary["video_codec"] as? String == "jpg")
        let shares = try Self.mediaTimes(16)
        #expect(summary["video_messages"] as? Int == shares.count)
        let bobsAudio = try Self.mediaTimes(14, userID: bob)
        #expect(bobsAudio.count > 50)
        #expect(summary["audio_messages"] as? Int == bobsAudio.count)
        #expect(summary["messages_skipped"] as? Int ?? 0 >= (try Self.mediaTimes(14).count) - bobsAudio.count)
        #expect(summary["width"] as? Int == 640 && summary["height"] as? Int == 360)

        let probe = try FFmpeg.ffprobe(out)
        let video = try #require(probe.streams.first { $0.codecType == "video" })
        #expect(video.codecName == "h264")
        #expect(video.pixFmt == "yuv420p")
        #expect(video.width == 640 && video.height == 360)
        #expect(probe.streams.first { $0.codecType == "audio" }?.codecName == "aac")
        let spans = try Self.packetSpans(out)
        #expect(spans["video"]?.count ?? 0 >= shares.count)
        // Bob's audio is Bob's tone.
        let bobSeconds = Double(bobsAudio.last! - bobsAudio.first!) / 1000
        let tone = try Self.tone(out, rate: 16000, from: 0.3, to: bobSeconds - 0.3)
        #expect(abs(tone.frequency - 1000) < 10, "tone at \(tone.frequency) Hz")
        #expect(try Self.decodeErrors(out) == "")
    }

    /// FLV on stdout (`--flv -`) is a stream ffprobe reads from a pipe.
    @Test func flvOnStandardOutput() throws {
        let scratch = try Scratch()
        let result = try MediaCtl.run(["rtms", "replay", "-q", "--flv", "-", ReplaySample.directory], timeout: 60)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.prefix(3) == Data("FLV".utf8))
        let path = scratch.file("stdout.flv")
        try result.stdout.write(to: URL(fileURLWithPath: path))
        let probe = try FFmpeg.ffprobe(path)
        #expect(Set(probe.streams.compactMap(\.codecName)) == ["aac", "h264"])
        #expect(try Self.decodeErrors(path) == "")
    }

    /// A recording cut in the middle of a record: the FLV holds everything before the cut, finished properly,
    /// and the exit status (65) and the summary say where the damage is.
    @Test func damagedRecordingConvertsUpToTheDamage() throws {
        let scratch = try Scratch()
        let (_, records) = try ReplaySample.records()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ReplaySample.file))
        let cut = bytes.count * 6 / 10
        let damaged = scratch.file("cut.mrtms")
        try bytes.prefix(cut).write(to: URL(fileURLWithPath: damaged))
        let broken = try #require(records.first { $0.offset + 16 + $0.payload.count + 4 > cut })
        let before = records.filter { $0.offset < broken.offset }
        let lastAudio = ReplaySample.mediaContents(14, in: before).compactMap { $0["timestamp"] as? Int }.last!
        let firstMedia = try min(Self.mediaTimes(14).first!, Self.mediaTimes(15).first!)

        let out = scratch.file("cut.flv")
        let result = try MediaCtl.run(["rtms", "replay", "--json", "--flv", out, damaged], timeout: 60)
        #expect(result.exitCode == 65, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("byte \(broken.offset)"), "stderr: \(result.stderr)")
        let summary = try #require(ReplaySample.jsonLines(result.stdoutText).first)
        #expect(summary["damaged"] as? Bool == true)
        #expect(summary["damage_offset"] as? Int == broken.offset)
        #expect(summary["damage_file"] as? String == damaged)
        #expect(try Self.decodeErrors(out) == "")
        let duration = Double(try FFmpeg.ffprobe(out).format?.duration ?? "") ?? 0
        let expected = Double(lastAudio + 20 - firstMedia) / 1000
        #expect(abs(duration - expected) < 0.15, "duration \(duration) s, expected \(expected) s")
    }

    @Test func usageErrors() throws {
        let both = try MediaCtl.run(["rtms", "replay", "--flv", "x.flv", "--serve", "0", ReplaySample.directory], timeout: 10)
        #expect(both.exitCode == 64)
        let jsonOnStdout = try MediaCtl.run(["rtms", "replay", "--json", "--flv", "-", ReplaySample.directory], timeout: 10)
        #expect(jsonOnStdout.exitCode == 64)
        let pushOption = try MediaCtl.run(["rtms", "replay", "--flv", "x.flv", "--reconnect", "3", ReplaySample.directory], timeout: 10)
        #expect(pushOption.exitCode == 64)
        #expect(pushOption.stderr.contains("--reconnect only goes with --push"))
        for (arguments, message) in [
            (["--flv", "x.flv", "--audio-threads", "0"], "--audio-threads must be between 1 and 16"),
            (["--flv", "x.flv", "--audio-threads", "17"], "--audio-threads must be between 1 and 16"),
            (["--audio-threads", "2"], "--audio-threads only goes with --flv"),
            (["--push", "rtmp://127.0.0.1:1/live/x", "--audio-threads", "2"], "--audio-threads only goes with --flv"),
        ] {
            let threads = try MediaCtl.run(["rtms", "replay"] + arguments + [ReplaySample.directory], timeout: 10)
            #expect(threads.exitCode == 64, "\(arguments): \(threads.stderr)")
            #expect(threads.stderr.contains(message), "\(arguments): \(threads.stderr)")
        }
        let unwritable = try MediaCtl.run(["rtms", "replay", "--flv", "/nonexistent-dir/x.flv", ReplaySample.directory], timeout: 10)
        #expect(unwritable.exitCode == 74, "stderr: \(unwritable.stderr)")
        let twoStreams = try Scratch()
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: twoStreams.file(name), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: ReplaySample.file, toPath: twoStreams.file("\(name)/stream.mrtms"))
        }
        let several = try MediaCtl.run(["rtms", "replay", "--flv", twoStreams.file("x.flv"), twoStreams.path], timeout: 10)
        #expect(several.exitCode == 64, "stderr: \(several.stderr)")
        #expect(several.stderr.contains("--stream"))
    }

    /// `--push`: the conversion published live into nginx (`record all`); nginx's own recording decodes with the
    /// same codecs, the meeting's duration, and the tone.
    @Test func pushIntoNginx() throws {
        let nginx = try NginxRTMP()
        try nginx.start()
        let result = try MediaCtl.run(
            ["rtms", "replay", "--json", "--push", nginx.url(stream: "meetingkey"), ReplaySample.directory], timeout: 60)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let lines = ReplaySample.jsonLines(result.stdoutText)
        let types = lines.compactMap { $0["type"] as? String }
        #expect(types.first == "rtmp.connected")
        #expect(types.contains("rtmp.publishing"))
        #expect(Array(types.suffix(2)) == ["rtms.flv", "rtmp.done"])
        #expect(!result.stdoutText.contains("meetingkey"), "the stream key must be redacted")
        let done = try #require(lines.last)
        #expect(done["audio_tags"] as? Int ?? 0 > 80)
        // Every access unit, plus the AVC sequence header and the end-of-sequence tag libavformat's FLV muxer
        // writes at the end (video tags too).
        let videoTags = done["video_tags"] as? Int
        #expect(videoTags == (try Self.mediaTimes(15).count) + 2, "video_tags \(String(describing: videoTags))")
        // Real time: about the meeting's length, not faster.
        let audioTimes = try Self.mediaTimes(14)
        let span = Double(audioTimes.last! + 20 - audioTimes.first!) / 1000
        #expect(result.duration > span - 0.5 && result.duration < span + 8, "took \(result.duration) s for \(span) s")

        #expect(try nginx.waitUntilNotPublishing(stream: "meetingkey", timeout: 5))
        let recording = nginx.recordingPath(stream: "meetingkey")
        let probe = try FFmpeg.ffprobe(recording)
        #expect(probe.streams.first { $0.codecType == "audio" }?.codecName == "aac")
        #expect(probe.streams.first { $0.codecType == "video" }?.codecName == "h264")
        let duration = Double(probe.format?.duration ?? "") ?? 0
        #expect(abs(duration - span) < 0.5, "nginx recorded \(duration) s of a \(span) s meeting")
        let tone = try Self.tone(recording, rate: 16000, from: 0.5, to: span - 0.5)
        #expect(abs(tone.frequency - 1000) < 10, "tone at \(tone.frequency) Hz")
        #expect(try Self.decodeErrors(recording) == "")
    }

    @Test func pushToNothingFailsWithPeerUnavailable() throws {
        let port = try Loopback.freePort()
        let result = try MediaCtl.run(
            ["rtms", "replay", "--json", "--timeout", "3", "--push", "rtmp://127.0.0.1:\(port)/live/x", ReplaySample.directory],
            timeout: 30)
        #expect(result.exitCode == 69, "stderr: \(result.stderr)")
        #expect(ReplaySample.jsonLines(result.stdoutText).last?["type"] as? String == "rtmp.error")
    }
}
