import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `mediactl transponder ...` against real `mediactl rtmp push` processes publishing to nginx (`record all`), each
/// test with its own runtime directory (MEDIACTL_RUNTIME_DIR) so that nothing else on the machine is seen.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TransponderTests {
    static func int(_ object: [String: Any], _ key: String) -> Int? { (object[key] as? NSNumber)?.intValue }

    /// A private runtime directory (not created: the first transponder creates it 0700) and the commands in it.
    final class Registry: @unchecked Sendable {
        let scratch: TempDir
        let path: String

        init() throws {
            scratch = try TempDir()
            path = scratch.file("rt")
        }

        var environment: [String: String] {
            var environment = ProcessInfo.processInfo.environment
            environment["MEDIACTL_RUNTIME_DIR"] = path
            return environment
        }

        func run(_ args: [String], timeout: TimeInterval = 20) throws -> RunResult {
            try MediaCtl.run(args, environment: environment, timeout: timeout)
        }

        /// `rtmp push --json --loop` in the background; returns once it has said its transponder id.
        func push(_ clip: String, _ url: String, extra: [String] = ["--loop"]) throws -> (BackgroundProcess, String) {
            let process = try MediaCtl.start(
                ["rtmp", "push", "--json", "--stats-interval", "0"] + extra + [clip, url], environment: environment)
            // Registered before it connects: `ls` lists it under its pid.
            let listing = try waitForListing(timeout: 10) { $0.contains { TransponderTests.int($0, "pid") == Int(process.pid) } }
            let entry = try #require(listing.first { TransponderTests.int($0, "pid") == Int(process.pid) }, "\(process.stderrSoFar)")
            let id = try #require(entry["mediaSessionId"] as? String)
            return (process, id)
        }

        /// `transponder ls --json ARGS`: must exit 0 and print one JSON array.
        func ls(_ args: [String] = []) throws -> [[String: Any]] {
            let result = try run(["transponder", "ls", "--json"] + args)
            #expect(result.exitCode == 0, "\(result.stderr)")
            let parsed = try JSONSerialization.jsonObject(with: result.stdout)
            return try #require(parsed as? [[String: Any]], "ls --json printed \(result.stdoutText)")
        }

        /// `ls` until `predicate` holds for the listing, at most `timeout` s.
        func waitForListing(timeout: TimeInterval, _ predicate: ([[String: Any]]) -> Bool) throws -> [[String: Any]] {
            let deadline = Date().addingTimeInterval(timeout)
            var listing = try ls()
            while !predicate(listing) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                listing = try ls()
            }
            return listing
        }

        /// Names in the runtime directory other than key lock files.
        func files() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasSuffix(".lock") }.sorted()
        }
    }


    @Test func lsShowsAPushPublishingAndStopEndsItCleanly() throws {
        let clip = try Clips.clip(seconds: 2)
        let nginx = try NginxRTMP()
        try nginx.start()
        let registry = try Registry()
        let url = nginx.url(stream: "tpkey1")
        let (push, id) = try registry.push(clip, url)
        #expect(try nginx.waitForPublisher(stream: "tpkey1", timeout: 10))
        #expect(push.stderrSoFar.contains("transponder \(id) (mediactl transponder ls)"))

        let first = try registry.waitForListing(timeout: 5) { ($0.first?["state"] as? String) == "publishing" }
        #expect(first.count == 1)
        let entry = try #require(first.first)
        #expect(entry["mediaSessionId"] as? String == id)
        #expect(entry["state"] as? String == "publishing")
        #expect(Self.int(entry, "pid") == Int(push.pid))
        #expect(entry["command"] as? String == "rtmp push")
        #expect(entry["source"] as? String == URL(fileURLWithPath: clip).resolvingSymlinksInPath().path)
        #expect(entry["rtmpUrl"] as? String == "rtmp://127.0.0.1:\(nginx.rtmpPort)/live/***")
        #expect(entry["streamName"] as? String == "***")
        #expect(Self.int(entry, "width") == 320)
        #expect(Self.int(entry, "height") == 240)
        #expect(entry["muted"] as? Bool == false)
        #expect(entry["soundEnabled"] as? Bool == false)
        #expect(entry["audio"] as? String == "copy")
        let bytes1 = try #require(Self.int(entry, "bytesSent"))
        #expect(bytes1 > 0)

        Thread.sleep(forTimeInterval: 1.5)
        let second = try #require(try registry.ls().first)
        let bytes2 = try #require(Self.int(second, "bytesSent"))
        #expect(bytes2 > bytes1, "bytesSent did not grow: \(bytes1) then \(bytes2)")
        #expect((second["uptime"] as? Double ?? 0) > (entry["uptime"] as? Double ?? 0))
        #expect((second["bitrate"] as? Double ?? 0) > 0)
        // The stream key never shows, in JSON or in the table.
        let text = try registry.run(["transponder", "ls"])
        #expect(text.exitCode == 0)
        #expect(text.stdoutText.hasPrefix(id + "\tpublishing\t"), "\(text.stdoutText)")
        for output in [text.stdoutText, text.stderr, String(decoding: try JSONSerialization.data(withJSONObject: second), as: UTF8.self)] {
            #expect(!output.contains("tpkey1"))
        }

        let stop = try registry.run(["transponder", "stop", "--json", String(id.prefix(5))])
        #expect(stop.exitCode == 0, "\(stop.stderr)")
        let stopped = try #require(Event(stop.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(stopped.string("state") == "stopped")
        #expect(stopped.string("mediaSessionId") == id)
        #expect((stopped.int("bytesSent") ?? 0) >= bytes2)

        let result = try push.waitForExit(timeout: 10)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let done = try #require(events(result).last)
        #expect(done.type == "rtmp.done")
        #expect(done.object["interrupted"] as? Bool == false)
        #expect(try nginx.waitUntilNotPublishing(stream: "tpkey1", timeout: 5))
        // A clean unpublish: nginx logged the stream's deletion (not just a dropped connection).
        #expect(nginx.errorLog().contains("deleteStream"))
        // nginx recorded a valid FLV that starts with the clip's packets.
        let recorded = try FFmpeg.framemd5(nginx.recordingPath(stream: "tpkey1"))
        let sent = try FFmpeg.framemd5(clip)
        let recordedVideo = recorded.packets(ofStream: 0)
        #expect(recordedVideo.count >= 25, "\(recordedVideo.count) video packets recorded")
        #expect(zip(recordedVideo, sent.packets(ofStream: 0)).prefix(25).allSatisfy { $0.md5 == $1.md5 })
        #expect(try registry.ls().isEmpty)
        #expect(registry.files().isEmpty, "left behind: \(registry.files())")
    }

    @Test func aKilledPusherLeavesNoEntry() throws {
        let clip = try Clips.clip(seconds: 2)
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let registry = try Registry()
        let (push, id) = try registry.push(clip, nginx.url(stream: "killed"))
        #expect(try registry.ls().map { $0["mediaSessionId"] as? String } == [id])
        #expect(registry.files() == [id + ".json", id + ".sock"])
        push.kill()
        _ = try push.waitForExit(timeout: 5)
        #expect(try registry.ls().isEmpty)
        #expect(registry.files().isEmpty, "left behind: \(registry.files())")
        // The key lock died with the process: the same push may start again.
        let (again, _) = try registry.push(clip, nginx.url(stream: "killed"))
        #expect(try registry.ls().count == 1)
        again.interrupt()
        #expect(try again.waitForExit(timeout: 10).exitCode == 130)
    }

    @Test func aSecondPushOfTheSameFileToTheSameURLIsRefused() throws {
        let clip = try Clips.clip(seconds: 2)
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let registry = try Registry()
        let (push, id) = try registry.push(clip, nginx.url(stream: "dup"))
        // The same destination spelled with other credentials is the same destination.
        let spelled = "rtmp://someone:pw@127.0.0.1:\(nginx.rtmpPort)/live/dup"
        let second = try registry.run(["rtmp", "push", "--json", "--no-realtime", clip, spelled])
        #expect(second.exitCode == 5, "\(second.stderr)")
        #expect(second.stderr.contains("transponder \(id) already publishes"), "\(second.stderr)")
        #expect(!second.stderr.contains("dup") && !second.stderr.contains("pw@"))
        let error = try #require(events(second).last)
        #expect(error.type == "rtmp.error")
        #expect(error.string("code") == "conflict")
        #expect(!events(second).contains { $0.type == "rtmp.connected" }, "it connected before refusing")

        // Another stream, or another file, is another transponder.
        let other = try registry.run(["rtmp", "push", "--no-realtime", "--duration", "0.5", clip, nginx.url(stream: "dup2")])
        #expect(other.exitCode == 0, "\(other.stderr)")
        push.interrupt()
        #expect(try push.waitForExit(timeout: 10).exitCode == 130)
    }

    @Test func twoRuntimeDirectoriesDoNotSeeEachOther() throws {
        let clip = try Clips.clip(seconds: 2)
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let mine = try Registry()
        let theirs = try Registry()
        let (push, id) = try mine.push(clip, nginx.url(stream: "a"))
        #expect(try mine.ls().count == 1)
        #expect(try theirs.ls().isEmpty)
        let across = try theirs.run(["transponder", "stop", id])
        #expect(across.exitCode == 4, "\(across.stderr)")
        // The registry directory is private to this user.
        var info = stat()
        #expect(lstat(mine.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        #expect(info.st_uid == geteuid())
        push.interrupt()
        _ = try push.waitForExit(timeout: 10)
    }

    @Test func anUnsafeRuntimeDirectoryIsRefused() throws {
        let registry = try Registry()
        try FileManager.default.createDirectory(atPath: registry.path, withIntermediateDirectories: false)
        chmod(registry.path, 0o755)
        let ls = try registry.run(["transponder", "ls"])
        #expect(ls.exitCode == 74, "\(ls.stderr)")
        #expect(ls.stderr.contains("chmod 700"))
        let clip = try Clips.clip(seconds: 1)
        // A push still works; it only is not registered, and says so.
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let push = try registry.run(["rtmp", "push", "--no-realtime", clip, nginx.url(stream: "u")])
        #expect(push.exitCode == 0, "\(push.stderr)")
        #expect(push.stderr.contains("not registered as a transponder"))
    }

    @Test func unknownIDsAndEmptyRegistries() throws {
        let registry = try Registry()
        // No runtime directory yet: an empty list.
        #expect(try registry.ls().isEmpty)
        let plain = try registry.run(["transponder", "ls"])
        #expect(plain.exitCode == 0 && plain.stdoutText.isEmpty)
        for command in [["stop"], ["mute"], ["unmute"], ["sound-off"]] {
            let unknown = try registry.run(["transponder"] + command + ["aaaaaaaaaaaa"])
            #expect(unknown.exitCode == 4, "\(command): \(unknown.stderr)")
            #expect(unknown.stderr.contains("no transponder aaaaaaaaaaaa"))
        }
        let json = try registry.run(["transponder", "stop", "--json", "abcd"])
        #expect(json.exitCode == 4)
        #expect(events(json).first?.string("code") == "not_found")
        let bad = try registry.run(["transponder", "stop", "../../etc"])
        #expect(bad.exitCode == 64, "\(bad.stderr)")
        let badURL = try registry.run(["transponder", "ls", "--url", "http://127.0.0.1/live"])
        #expect(badURL.exitCode == 64, "\(badURL.stderr)")
    }

    @Test func muteAndSoundOnACopyTransponderAreRefused() throws {
        let clip = try Clips.clip(seconds: 2)
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let registry = try Registry()
        let (push, id) = try registry.push(clip, nginx.url(stream: "copy"))
        let mute = try registry.run(["transponder", "mute", id])
        #expect(mute.exitCode == 69, "\(mute.stderr)")
        #expect(mute.stderr.contains("unsupported: this transponder copies compressed audio"), "\(mute.stderr)")
        let muteJSON = try registry.run(["transponder", "mute", "--json", id])
        #expect(events(muteJSON).first?.string("code") == "peer_refused")

        let wav = registry.scratch.file("tone.wav")
        let made = try run(
            "ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "0.5", wav],
            timeout: 30)
        #expect(made.exitCode == 0, "\(made.stderr)")
        let sound = try registry.run(["transponder", "sound", "--loop", id, wav])
        #expect(sound.exitCode == 69, "\(sound.stderr)")
        let missing = try registry.run(["transponder", "sound", id, registry.scratch.file("none.wav")])
        #expect(missing.exitCode == 66, "\(missing.stderr)")
        // Still publishing, unmuted.
        let listing = try #require(try registry.ls().first)
        #expect(listing["state"] as? String == "publishing")
        #expect(listing["muted"] as? Bool == false)
        push.interrupt()
        _ = try push.waitForExit(timeout: 10)
    }

    @Test func lsFiltersByStreamAndURL() throws {
        let clip = try Clips.clip(seconds: 2)
        let nginx = try NginxRTMP(record: false)
        try nginx.start()
        let registry = try Registry()
        let (one, id1) = try registry.push(clip, nginx.url(stream: "cam1"))
        let (two, id2) = try registry.push(clip, nginx.url(stream: "cam2"))
        func ids(_ args: [String]) throws -> Set<String> {
            Set(try registry.ls(args).compactMap { $0["mediaSessionId"] as? String })
        }
        #expect(try ids([]) == [id1, id2])
        #expect(try ids(["--stream", "cam1"]) == [id1])
        #expect(try ids(["--url", "rtmp://127.0.0.1:\(nginx.rtmpPort)/live"]) == [id1, id2])
        #expect(try ids(["--url", nginx.url(stream: "cam2")]) == [id2])
        #expect(try ids(["--url", "rtmp://127.0.0.1:1/live"]).isEmpty)
        for process in [one, two] {
            process.interrupt()
            _ = try process.waitForExit(timeout: 10)
        }
    }
}
