import Foundation
import Testing

/// `rtms replay --push` as a transponder: the sample meeting (6 s, a 1 kHz tone participant and 320x180 camera
/// video) bridged into nginx (`record all`) at the recorded pace, controlled with `mediactl transponder ...`;
/// nginx's own recording decoded with ffmpeg and measured: RMS and tone strengths (Goertzel) in windows placed
/// by when each command was given, counted from the moment the bridge said it was publishing.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TransponderBridgeTests {
    typealias Registry = TransponderTests.Registry

    /// The decoded audio of a recording: mono signed 16-bit samples at `rate`.
    struct Decoded: CustomStringConvertible {
        static let rate = 16000
        let samples: [Int16]

        var description: String { "\(samples.count) samples" }

        init(_ path: String) throws {
            let result = try run(
                "ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-map", "0:a:0", "-ac", "1",
                           "-ar", String(Self.rate), "-f", "s16le", "-"], timeout: 60)
            guard result.exitCode == 0 else { throw HarnessError("ffmpeg could not decode \(path): \(result.stderr)") }
            samples = result.stdout.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        }

        var seconds: Double { Double(samples.count) / Double(Self.rate) }

        func window(_ from: Double, _ to: Double) -> ArraySlice<Int16> {
            let start = min(samples.count, max(0, Int(from * Double(Self.rate))))
            return samples[start..<min(samples.count, max(start, Int(to * Double(Self.rate))))]
        }

        func rms(_ from: Double, _ to: Double) -> Double {
            let window = window(from, to)
            guard !window.isEmpty else { return -1 }
            return (window.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(window.count)).squareRoot()
        }

        /// The amplitude of `frequency` in the window (Goertzel filter), in sample units: a full-scale sine
        /// gives about 32767, a sine of amplitude A about A.
        func tone(_ frequency: Double, _ from: Double, _ to: Double) -> Double {
            let window = window(from, to)
            guard window.count > 100 else { return -1 }
            let coefficient = 2 * cos(2 * Double.pi * frequency / Double(Self.rate))
            var (s1, s2) = (0.0, 0.0)
            for sample in window {
                let s0 = Double(sample) + coefficient * s1 - s2
                (s2, s1) = (s1, s0)
            }
            let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
            return 2 * power.squareRoot() / Double(window.count)
        }

        /// Start of the first 100 ms window at or after `from` whose RMS is below `threshold` (nil: none).
        func firstQuiet(after from: Double, below threshold: Double) -> Double? {
            var at = max(0, from)
            while at + 0.1 <= seconds {
                if rms(at, at + 0.1) < threshold { return at }
                at += 0.05
            }
            return nil
        }
    }

    /// A running `rtms replay --push --json` of the sample meeting and when it started publishing.
    struct Bridge {
        let process: BackgroundProcess
        let id: String
        let publishing: Date

        /// Seconds since the publish began.
        var elapsed: Double { Date().timeIntervalSince(publishing) }

        func sleep(until seconds: Double) {
            let wait = seconds - elapsed
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
    }

    static func startBridge(_ registry: Registry, url: String) throws -> Bridge {
        let process = try MediaCtl.start(
            ["rtms", "replay", "--json", "--stats-interval", "0", "--push", url, ReplaySample.directory],
            environment: registry.environment)
        _ = try process.readLine(timeout: 10) { $0.contains("\"rtmp.publishing\"") }
        let publishing = Date()
        let listing = try registry.ls()
        let entry = try #require(listing.first { TransponderTests.int($0, "pid") == Int(process.pid) }, "\(listing)")
        let id = try #require(entry["mediaSessionId"] as? String)
        #expect(process.stderrSoFar.contains("transponder \(id) (mediactl transponder ls)"))
        return Bridge(process: process, id: id, publishing: publishing)
    }

    /// `transponder VERB ID ARGS --json`: exit 0 and the transponder's new state; returns the elapsed time
    /// (since publishing) when the command returned.
    @discardableResult
    static func control(_ registry: Registry, _ verb: String, _ bridge: Bridge, _ args: [String] = []) throws -> (Double, Event) {
        let result = try registry.run(["transponder", verb, "--json", bridge.id] + args)
        #expect(result.exitCode == 0, "\(verb): \(result.stderr)")
        let state = try #require(Event(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)), "\(result.stdoutText)")
        return (bridge.elapsed, state)
    }

    /// The bridge's end: exit 0, an rtmp.done that was not interrupted, a clean unpublish in nginx, and no
    /// entry left behind.
    static func expectCleanEnd(_ bridge: Bridge, _ registry: Registry, _ nginx: NginxRTMP, stream: String) throws -> RunResult {
        let result = try bridge.process.waitForExit(timeout: 15)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = events(result)
        #expect(lines.last?.type == "rtmp.done")
        #expect(lines.last?.object["interrupted"] as? Bool == false)
        #expect(lines.contains { $0.type == "rtms.flv" })
        #expect(try nginx.waitUntilNotPublishing(stream: stream, timeout: 5))
        #expect(nginx.errorLog().contains("deleteStream"))
        #expect(try registry.ls().isEmpty)
        #expect(registry.files().isEmpty, "left behind: \(registry.files())")
        return result
    }

    @Test func replayPushIsListedAndStopEndsItCleanly() throws {
        let nginx = try NginxRTMP()
        try nginx.start()
        let registry = try Registry()
        let url = nginx.url(stream: "bridgekey1")
        let bridge = try Self.startBridge(registry, url: url)
        #expect(try nginx.waitForPublisher(stream: "bridgekey1", timeout: 5))

        // The width and height come from the converter once the first picture is through.
        let first = try registry.waitForListing(timeout: 3) { TransponderTests.int($0.first ?? [:], "width") != nil }
        let entry = try #require(first.first)
        #expect(first.count == 1)
        #expect(entry["state"] as? String == "publishing")
        #expect(entry["command"] as? String == "rtms replay")
        let recording = URL(fileURLWithPath: ReplaySample.directory).resolvingSymlinksInPath().path
        #expect(entry["source"] as? String == "\(recording) (stream \(ReplaySample.streamID))")
        #expect(entry["rtmpUrl"] as? String == "rtmp://127.0.0.1:\(nginx.rtmpPort)/live/***")
        #expect(TransponderTests.int(entry, "width") == 320)
        #expect(TransponderTests.int(entry, "height") == 180)
        #expect(entry["audio"] as? String == "mix")
        #expect(entry["muted"] as? Bool == false)
        let bytes1 = try #require(TransponderTests.int(entry, "bytesSent"))
        #expect(bytes1 > 0)

        // The same recording to the same URL again: refused before connecting (exit 5).
        let second = try registry.run(["rtms", "replay", "--push", url, ReplaySample.directory])
        #expect(second.exitCode == 5, "\(second.stderr)")

        bridge.sleep(until: 2)
        let later = try #require(try registry.ls().first)
        let bytes2 = try #require(TransponderTests.int(later, "bytesSent"))
        #expect(bytes2 > bytes1, "bytesSent did not grow: \(bytes1) then \(bytes2)")

        let (stoppedAt, stopped) = try Self.control(registry, "stop", bridge)
        #expect(stopped.string("state") == "stopped")
        #expect((stopped.int("bytesSent") ?? 0) >= bytes2)
        #expect(stoppedAt < 5, "stop took until \(stoppedAt) s into a 6 s meeting")
        _ = try Self.expectCleanEnd(bridge, registry, nginx, stream: "bridgekey1")

        // nginx's recording is a valid FLV that ends where the publish was stopped, before the meeting's end.
        let recorded = nginx.recordingPath(stream: "bridgekey1")
        #expect(try RTMSReplayFLVTests.decodeErrors(recorded) == "")
        let probe = try FFmpeg.ffprobe(recorded)
        #expect(probe.streams.first { $0.codecType == "video" }?.codecName == "h264")
        let duration = Double(probe.format?.duration ?? "") ?? 0
        #expect(duration > 1 && duration < stoppedAt + 1, "nginx recorded \(duration) s, stopped at \(stoppedAt) s")
    }

    @Test func muteSilencesTheRecordedAudioAndUnmuteBringsItBack() throws {
        let nginx = try NginxRTMP()
        try nginx.start()
        let registry = try Registry()
        let bridge = try Self.startBridge(registry, url: nginx.url(stream: "mutekey"))

        bridge.sleep(until: 1.5)
        let muteSent = bridge.elapsed
        let (muted, mutedState) = try Self.control(registry, "mute", bridge)
        #expect(mutedState.object["muted"] as? Bool == true)
        #expect(mutedState.string("audio") == "mix")
        // At least a second of muted output to measure, even when the answer was slow (a loaded machine).
        bridge.sleep(until: max(3.5, muted + 1.3))
        let unmuteSent = bridge.elapsed
        let (unmuted, unmutedState) = try Self.control(registry, "unmute", bridge)
        #expect(unmutedState.object["muted"] as? Bool == false)
        _ = try Self.expectCleanEnd(bridge, registry, nginx, stream: "mutekey")

        let audio = try Decoded(nginx.recordingPath(stream: "mutekey"))
        #expect(audio.seconds > 5.5, "\(audio.seconds) s of audio")
        let loudBefore = audio.rms(0.3, muteSent - 0.2)
        let quiet = audio.rms(muted + 0.8, unmuteSent - 0.1)
        let loudAfter = audio.rms(unmuted + 0.8, audio.seconds - 0.3)
        // The sample's tone is a sine of amplitude 2048 (ffmpeg's sine source at half volume): RMS about 1450.
        #expect(loudBefore > 1200, "before mute: RMS \(loudBefore)")
        #expect(quiet >= 0 && quiet < 30, "muted: RMS \(quiet) between \(muted + 0.8) and \(unmuteSent - 0.1) s")
        #expect(loudAfter > 1200, "after unmute: RMS \(loudAfter)")
        #expect(audio.tone(1000, unmuted + 0.8, audio.seconds - 0.3) > 1700)
        // Silent from that point: not before the command was sent, and within a second of it.
        let onset = audio.firstQuiet(after: 0.2, below: 30) ?? -1
        #expect(onset >= muteSent - 0.15 && onset <= muted + 0.8, "silence began at \(onset) s; mute sent at \(muteSent) s")
        print("mute sent at \(muteSent) s (answered at \(muted) s), silence from \(onset) s; RMS \(loudBefore) / \(quiet) / \(loudAfter)")
    }

    @Test func soundMixesAWAVIntoTheOutputUntilSoundOff() throws {
        let scratch = try TempDir()
        let wav = scratch.file("tone440.wav")
        let made = try run(
            "ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i",
                       "sine=frequency=440:sample_rate=16000:duration=8", "-af", "volume=0.25", "-ac", "1",
                       "-c:a", "pcm_s16le", wav], timeout: 30)
        #expect(made.exitCode == 0, "\(made.stderr)")
        let nginx = try NginxRTMP()
        try nginx.start()
        let registry = try Registry()
        let bridge = try Self.startBridge(registry, url: nginx.url(stream: "soundkey"))

        bridge.sleep(until: 1.5)
        let soundSent = bridge.elapsed
        let (sounding, soundState) = try Self.control(registry, "sound", bridge, [wav])
        #expect(soundState.object["soundEnabled"] as? Bool == true)
        #expect(soundState.string("audio") == "mix")
        bridge.sleep(until: max(3.5, sounding + 1.3))
        let offSent = bridge.elapsed
        let (off, offState) = try Self.control(registry, "sound-off", bridge)
        #expect(offState.object["soundEnabled"] as? Bool == false)
        _ = try Self.expectCleanEnd(bridge, registry, nginx, stream: "soundkey")

        let audio = try Decoded(nginx.recordingPath(stream: "soundkey"))
        let before = (audio.tone(440, 0.3, soundSent - 0.2), audio.tone(1000, 0.3, soundSent - 0.2))
        let during = (audio.tone(440, sounding + 0.8, offSent - 0.1), audio.tone(1000, sounding + 0.8, offSent - 0.1))
        let after = (audio.tone(440, off + 0.8, audio.seconds - 0.3), audio.tone(1000, off + 0.8, audio.seconds - 0.3))
        // The WAV is a 440 Hz sine of amplitude 1024 (ffmpeg's sine source at a quarter volume), the meeting's
        // tone 1 kHz of amplitude 2048.
        #expect(before.0 < 50 && before.1 > 1700, "before sound: 440 Hz \(before.0), 1 kHz \(before.1)")
        #expect(during.0 > 850 && during.1 > 1700, "with sound: 440 Hz \(during.0), 1 kHz \(during.1)")
        #expect(after.0 < 50 && after.1 > 1700, "after sound-off: 440 Hz \(after.0), 1 kHz \(after.1)")
        print("440 Hz / 1 kHz amplitude before sound \(before), with sound \(during), after sound-off \(after)")
    }
}

extension TransponderBridgeTests {
    /// `rtms listen --push`: each stream's live bridge is a transponder too (`command` "rtms listen", the stream as
    /// source); `mute` silences what nginx records from then on while the listener's own recording keeps the
    /// tone; the entry is gone once the stream has ended.
    @Test func listenPushIsATransponderAndMuteReachesTheOutput() throws {
        let nginx = try NginxRTMP()
        try nginx.start()
        let registry = try Registry()
        let scratch = try TempDir()
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "60"])
        let webhook = try #require(server.ready["webhook"] as? [String: Any])
        var environment = ReplaySample.environment
        environment["MEDIACTL_RUNTIME_DIR"] = registry.path
        let listen = try MediaCtl.start(
            ["rtms", "listen", "--payload", "-", "--json", "--record", scratch.file("rec"), "--stats-interval", "0",
             "--push", nginx.url(stream: "listenkey")],
            stdin: .pipe, environment: environment)
        try listen.writeStdin(try JSONSerialization.data(withJSONObject: webhook))
        listen.closeStdin()
        _ = try listen.readLine(timeout: 15) { $0.contains("\"rtms.push.publishing\"") }
        let publishing = Date()
        let listing = try registry.waitForListing(timeout: 3) { TransponderTests.int($0.first ?? [:], "width") != nil }
        let entry = try #require(listing.first, "\(listen.stderrSoFar)")
        #expect(listing.count == 1)
        #expect(entry["command"] as? String == "rtms listen")
        #expect(TransponderTests.int(entry, "pid") == Int(listen.pid))
        #expect((entry["source"] as? String)?.contains(ReplaySample.streamID) == true, "\(entry)")
        #expect(entry["rtmpUrl"] as? String == "rtmp://127.0.0.1:\(nginx.rtmpPort)/live/***")
        #expect(entry["state"] as? String == "publishing")
        #expect(TransponderTests.int(entry, "width") == 320)
        let id = try #require(entry["mediaSessionId"] as? String)

        let wait = 1.5 - Date().timeIntervalSince(publishing)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        let mute = try registry.run(["transponder", "mute", "--json", id])
        #expect(mute.exitCode == 0, "\(mute.stderr)")
        let muted = Date().timeIntervalSince(publishing)
        #expect(mute.stdoutText.contains("\"muted\":true"), "\(mute.stdoutText)")

        let result = try listen.waitForExit(timeout: 30)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(try server.finish().result.exitCode == 0)
        #expect(try nginx.waitUntilNotPublishing(stream: "listenkey", timeout: 5))
        #expect(try registry.ls().isEmpty)
        #expect(registry.files().isEmpty, "left behind: \(registry.files())")

        let audio = try Decoded(nginx.recordingPath(stream: "listenkey"))
        #expect(audio.seconds > 5, "\(audio.seconds) s of audio")
        let before = audio.rms(0.3, 1.3)
        let after = audio.rms(muted + 0.8, audio.seconds - 0.2)
        #expect(before > 1200, "before mute: RMS \(before)")
        #expect(after >= 0 && after < 30, "after mute (answered at \(muted) s): RMS \(after)")
        // The listener's recording is untouched by the mute: every audio message of the meeting.
        let (_, records) = try ReplaySample.records(of: try RecordingContents.find(in: scratch.file("rec")))
        #expect(ReplaySample.mediaContents(14, in: records).count == (try RTMSReplayFLVTests.mediaTimes(14)).count)
    }
}
