import Foundation
import Testing

/// Every command that publishes refuses a destination whose host name does not resolve as a usage error (exit
/// 64) before anything starts: no input opened, no transponder registered, nothing listening, no connection.
/// The commands run with host names from /etc/hosts only (`FilesOnlyHosts`), so the failing lookup asks no name
/// server and `localhost` still resolves.
///
/// Skipped where an unprivileged user cannot make a user and mount namespace (some CI containers): without it a
/// failing lookup would ask the machine's name server, and the tests send nothing to any address but loopback.
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: FilesOnlyHosts.available, "needs unshare -rm (user namespaces)"))
struct UnresolvableHostTests {
    typealias Registry = TransponderTests.Registry

    static let host = "no-such-host.invalid"
    static let key = "hostcheckkey"
    static let url = "rtmp://\(host)/live/\(key)"
    /// Refusing takes a lookup in /etc/hosts: far less than this, which is what a connection attempt or a
    /// listener would overrun.
    static let quick: TimeInterval = 10

    /// The refusal: 64, the host named and said not to resolve, the key nowhere, and nothing registered (the
    /// runtime directory is created by the first transponder: it is not there, and `transponder ls` is empty).
    static func expectRefusedBeforeStarting(_ result: RunResult, option: String, registry: Registry) throws {
        #expect(result.exitCode == 64, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("\(option): cannot resolve host '\(host)'"), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains(key) && !result.stdoutText.contains(key))
        #expect(result.duration < quick, "took \(result.duration) s")
        #expect(!FileManager.default.fileExists(atPath: registry.path), "a transponder was registered")
        let ls = try registry.run(["transponder", "ls", "--json"])
        #expect(ls.exitCode == 0, "\(ls.stderr)")
        #expect(ls.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test func rtmpPushRefusesBeforeOpeningTheSource() throws {
        let registry = try Registry()
        let clip = try Clips.clip(seconds: 2)
        let result = try FilesOnlyHosts.run(
            ["rtmp", "push", "--json", clip, Self.url], environment: registry.environment, timeout: Self.quick)
        try Self.expectRefusedBeforeStarting(result, option: "URL", registry: registry)
        // stdout: the error as JSON, nothing else.
        let lines = events(result)
        #expect(lines.map(\.type) == ["rtmp.error"])
        #expect(lines.first?.string("code") == "usage" && lines.first?.int("exit_code") == 64)

        // Before the source is opened: a missing file is not what it reports (that would be 66).
        let missing = try FilesOnlyHosts.run(
            ["rtmp", "push", registry.scratch.file("missing.flv"), Self.url], environment: registry.environment,
            timeout: Self.quick)
        try Self.expectRefusedBeforeStarting(missing, option: "URL", registry: registry)
    }

    @Test func rtmsReplayPushRefusesBeforeReadingTheRecording() throws {
        let registry = try Registry()
        let result = try FilesOnlyHosts.run(
            ["rtms", "replay", "--json", "--push", Self.url, ReplaySample.directory], environment: registry.environment,
            timeout: Self.quick)
        try Self.expectRefusedBeforeStarting(result, option: "--push URL", registry: registry)
        #expect(events(result).map(\.type) == ["rtmp.error"])

        // Before the recording is opened: a missing one is not what it reports (that would be 66).
        let missing = try FilesOnlyHosts.run(
            ["rtms", "replay", "--push", Self.url, registry.scratch.file("missing")], environment: registry.environment,
            timeout: Self.quick)
        try Self.expectRefusedBeforeStarting(missing, option: "--push URL", registry: registry)
    }

    /// `rtms listen`'s credentials (the sample's) with the test's own runtime directory.
    static func listenEnvironment(_ registry: Registry) -> [String: String] {
        var environment = ReplaySample.environment
        environment["MEDIACTL_RUNTIME_DIR"] = registry.path
        return environment
    }

    @Test func rtmsListenPushRefusesBeforeListening() throws {
        let registry = try Registry()
        let environment = Self.listenEnvironment(registry)
        // Without the check this would listen for webhooks until stopped (and overrun `quick`).
        let result = try FilesOnlyHosts.run(
            ["rtms", "listen", "--webhook", "127.0.0.1:0/zoom", "--json", "--push", "rtmp://\(Self.host)/live/\(Self.key)-{stream}"],
            environment: environment, timeout: Self.quick)
        try Self.expectRefusedBeforeStarting(result, option: "--push URL", registry: registry)
        #expect(events(result).map(\.type) == ["rtms.error"], "stdout: \(result.stdoutText)")
    }

    @Test func rtmsListenLeavesAHostWithAPlaceholderToTheStream() throws {
        let registry = try Registry()
        let environment = Self.listenEnvironment(registry)
        // {stream} in the host: which host is known only when a stream joins, so it listens.
        let listener = try FilesOnlyHosts.start(
            ["rtms", "listen", "--webhook", "127.0.0.1:0/zoom", "--json", "--push", "rtmp://{stream}.invalid/live/\(Self.key)"],
            environment: environment)
        // Throws (with its stderr) unless it says it listens in time.
        _ = try listener.readLine(timeout: Self.quick) { $0.contains("\"listening\"") }
        listener.interrupt()
        #expect(try listener.waitForExit(timeout: 15).exitCode == 130)
    }

    /// Also run without CAP_NET_ADMIN in the network namespace (the user namespace has none there), as any
    /// non-root user runs: connecting must ask for nothing that needs it.
    @Test func localhostFromEtcHostsStillPublishes() throws {
        let registry = try Registry()
        let clip = try Clips.clip(seconds: 2)
        let nginx = try NginxRTMP()
        try nginx.start()
        let url = nginx.url(stream: "viahosts").replacingOccurrences(of: "//\(Loopback.host):", with: "//localhost:")
        #expect(url.hasPrefix("rtmp://localhost:"))
        let result = try FilesOnlyHosts.run(
            ["rtmp", "push", "--no-realtime", "--json", clip, url], environment: registry.environment, timeout: 60)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(events(result).last?.type == "rtmp.done")
        #expect(try nginx.waitUntilNotPublishing(stream: "viahosts", timeout: 5))
        let recorded = try FFmpeg.framemd5(nginx.recordingPath(stream: "viahosts"))
        let sent = try FFmpeg.framemd5(clip)
        #expect(recorded.packets.count == sent.packets.count)
        #expect(recorded.mismatches(comparedTo: sent).isEmpty, "\(recorded.mismatches(comparedTo: sent))")
    }
}
