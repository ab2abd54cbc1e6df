import Foundation
import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import MediaTransport

#if canImport(Glibc)
    import Glibc
#endif

/// A scratch directory for one test; the runtime directory inside it is created by the code under test.
final class TransponderScratch: @unchecked Sendable {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "/mediactl-tp-" + String(UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var runtime: String { path + "/rt" }
    var environment: [String: String] { [TransponderRuntimeDirectory.environmentVariable: runtime] }
    func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: runtime)) ?? []).sorted() }
}

/// A transponder that encodes its audio, driven by hand: what a bridge with a `TransponderAudioControl` does.
final class ManualTransponder: TransponderControllable {
    let audio = TransponderAudioControl()
    let stopped = NIOLockedValueBox(false)

    func status() -> TransponderSnapshot {
        var snapshot = TransponderSnapshot(state: stopped.withLockedValue { $0 } ? .stopped : .publishing, uptime: 1)
        snapshot.bytesSent = 1234
        audio.describe(into: &snapshot)
        return snapshot
    }

    func stop() async { stopped.withLockedValue { $0 = true } }
    func mute() throws { audio.mute() }
    func unmute() throws { audio.unmute() }
    func sound(path: String, loop: Bool) async throws { try await audio.sound(path: path, loop: loop) }
    func soundOff() throws { audio.soundOff() }
}

@Suite(.serialized) struct TransponderRuntimeDirectoryTests {
    @Test func whereItLives() {
        #expect(TransponderRuntimeDirectory.path(environment: ["MEDIACTL_RUNTIME_DIR": "/x/y", "XDG_RUNTIME_DIR": "/run/user/7"], uid: 7) == "/x/y")
        #expect(TransponderRuntimeDirectory.path(environment: ["XDG_RUNTIME_DIR": "/run/user/7"], uid: 7) == "/run/user/7/mediactl")
        #expect(TransponderRuntimeDirectory.path(environment: ["XDG_RUNTIME_DIR": "relative"], uid: 7) == "/tmp/mediactl-7")
        #expect(TransponderRuntimeDirectory.path(environment: [:], uid: 1000) == "/tmp/mediactl-1000")
    }

    @Test func createdPrivateAndCheckedWhenFound() throws {
        let scratch = try TransponderScratch()
        #expect(try TransponderRuntimeDirectory.existing(environment: scratch.environment) == nil)
        let directory = try TransponderRuntimeDirectory.prepare(environment: scratch.environment)
        var info = stat()
        #expect(lstat(directory.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        #expect(try TransponderRuntimeDirectory.existing(environment: scratch.environment) == directory)

        chmod(directory.path, 0o750)
        let open = try #require(throws: MediaError.self) { try TransponderRuntimeDirectory.prepare(environment: scratch.environment) }
        #expect(open.kind == .io)
        #expect(open.message.contains("mode 750"))
        #expect(throws: MediaError.self) { try TransponderRuntimeDirectory.existing(environment: scratch.environment) }
        chmod(directory.path, 0o700)

        let link = scratch.path + "/link"
        symlink(directory.path, link)
        let linked = try #require(throws: MediaError.self) {
            try TransponderRuntimeDirectory.prepare(environment: [TransponderRuntimeDirectory.environmentVariable: link])
        }
        #expect(linked.message.contains("not a directory"))
    }
}

@Suite(.serialized) struct TransponderRegistrationTests {
    func register(_ scratch: TransponderScratch, stream: String = "key", controller: any TransponderControllable = ManualTransponder())
        async throws -> TransponderRegistration
    {
        try await TransponderRegistration.register(
            command: "test", source: .file(canonicalPath: "/srv/a.flv"),
            destination: TransponderDestination(try RTMPURL("rtmp://127.0.0.1/live/\(stream)")), editsAudio: true,
            controller: controller, environment: scratch.environment)
    }

    @Test func registerListControlClose() async throws {
        let scratch = try TransponderScratch()
        let transponder = ManualTransponder()
        let registration = try await register(scratch, controller: transponder)
        let id = registration.entry.id
        #expect(scratch.files().contains("\(id).json"))
        #expect(scratch.files().contains("\(id).sock"))
        var info = stat()
        #expect(lstat(scratch.runtime + "/\(id).sock", &info) == 0 && info.st_mode & 0o077 == 0)

        let registry = try TransponderRegistry(environment: scratch.environment)
        let (statuses, problems) = await registry.list()
        #expect(problems.isEmpty)
        #expect(statuses.map(\.entry) == [registration.entry])
        #expect(statuses.first?.snapshot?.bytesSent == 1234)

        let muted = try await registry.control(String(id.rawValue.prefix(3)), .mute)
        #expect(muted.snapshot?.muted == true)
        let wav = scratch.path + "/t.wav"
        var bytes: [UInt8] = Array("RIFF".utf8) + [40, 0, 0, 0] + Array("WAVEfmt ".utf8) + [16, 0, 0, 0, 1, 0, 1, 0]
        bytes += [0x40, 0x1F, 0, 0, 0x80, 0x3E, 0, 0, 2, 0, 16, 0] + Array("data".utf8) + [4, 0, 0, 0, 1, 0, 2, 0]
        try Data(bytes).write(to: URL(fileURLWithPath: wav))
        let sounding = try await registry.control(id.rawValue, .sound(path: wav, loop: true))
        #expect(sounding.snapshot?.soundEnabled == true)
        #expect(sounding.snapshot?.soundFile == wav)
        #expect(sounding.snapshot?.soundLoop == true)
        // The mixer really runs with it: a muted block becomes the WAV's samples.
        var block: [Int16] = [9, 9, 9]
        block.withUnsafeMutableBufferPointer { transponder.audio.process($0, sampleRate: 8000, channels: 1) }
        #expect(block == [1, 2, 1])

        let missing = try await #require(throws: MediaError.self) {
            _ = try await registry.control(id.rawValue, .sound(path: scratch.path + "/none.wav", loop: false))
        }
        #expect(missing.kind == .inputMissing)
        try Data("RIFF junk".utf8).write(to: URL(fileURLWithPath: wav))
        let malformed = try await #require(throws: MediaError.self) {
            _ = try await registry.control(id.rawValue, .sound(path: wav, loop: false))
        }
        #expect(malformed.kind == .malformedInput)
        #expect(malformed.message.contains("(byte "))

        let off = try await registry.control(id.rawValue, .soundOff)
        #expect(off.snapshot?.soundEnabled == false)
        let stop = try await registry.control(id.rawValue, .stop)
        #expect(stop.snapshot?.state == .stopped)

        await registration.close()
        #expect(scratch.files().filter { !$0.hasSuffix(".lock") }.isEmpty)
        #expect(await registry.list().statuses.isEmpty)
        let gone = try await #require(throws: MediaError.self) { _ = try await registry.control(id.rawValue, .status) }
        #expect(gone.kind == .notFound)
    }

    @Test func theSameSourceAndDestinationTwiceIsAConflict() async throws {
        let scratch = try TransponderScratch()
        let first = try await register(scratch)
        let error = try await #require(throws: MediaError.self) { _ = try await register(scratch) }
        #expect(error.kind == .conflict)
        #expect(error.message.contains("transponder \(first.entry.id) already publishes /srv/a.flv to rtmp://127.0.0.1/live/***"))
        #expect(!error.message.contains("key"))
        let other = try await register(scratch, stream: "other")
        await other.close()
        await first.close()
        let again = try await register(scratch)
        await again.close()
    }

    @Test func anEntryWhoseSocketNobodyServesIsRemovedOnSight() async throws {
        let scratch = try TransponderScratch()
        let registration = try await register(scratch)
        let entry = registration.entry
        await registration.close()
        // What a SIGKILL leaves: the entry file and the socket file, with this (live) pid but nobody listening.
        let directory = try #require(try TransponderRuntimeDirectory.existing(environment: scratch.environment))
        var json = entry.jsonValue.jsonBytes
        json.writeString("\n")
        try Data(json.readableBytesView).write(to: URL(fileURLWithPath: directory.file(TransponderEntry.fileName(for: entry.id))))
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = directory.file(entry.socketName)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8) + [0])
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        close(fd)
        #expect(scratch.files().contains(entry.socketName))
        let registry = try TransponderRegistry(environment: scratch.environment)
        #expect(await registry.list().statuses.isEmpty)
        #expect(scratch.files().filter { !$0.hasSuffix(".lock") }.isEmpty)
    }

    @Test func aBrokenEntryFileIsReportedNotFatal() async throws {
        let scratch = try TransponderScratch()
        let registration = try await register(scratch)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: scratch.runtime + "/aaaaaaaaaaaa.json"))
        try Data("ignored".utf8).write(to: URL(fileURLWithPath: scratch.runtime + "/.bbbbbbbbbbbb.json.tmp"))
        let registry = try TransponderRegistry(environment: scratch.environment)
        let (statuses, problems) = await registry.list()
        #expect(statuses.count == 1)
        #expect(problems.count == 1)
        #expect(problems.first?.contains("invalid JSON") == true)
        await registration.close()
    }

    @Test func badLinesGetAnErrorAnswer() async throws {
        let scratch = try TransponderScratch()
        let registration = try await register(scratch)
        let socket = scratch.runtime + "/\(registration.entry.id).sock"
        for (line, expected) in [("nonsense\n", "invalid JSON"), (String(repeating: "x", count: 70_000), "longer than")] {
            let answer = try rawExchange(socket, line)
            let response = try TransponderResponse(line: ByteBuffer(string: answer))
            guard case .failure(let error) = response else {
                Issue.record("expected an error answer to \(line.prefix(20)), got \(answer)")
                continue
            }
            #expect(error.kind == .protocolViolation)
            #expect(error.message.contains(expected))
        }
        await registration.close()
    }

    /// Writes `text` to the Unix socket and reads one line back, with plain blocking calls (5 s receive timeout).
    func rawExchange(_ path: String, _ text: String) throws -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw MediaError(.peerUnavailable, "connect: errno \(errno)") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !received.contains(UInt8(ascii: "\n")) {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += chunk[0..<n]
        }
        return String(decoding: received.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }
}

@Suite struct PublisherTransponderTests {
    @Test func copyingAudioRefusesMuteAndSound() async throws {
        let transponder = PublisherTransponder()
        for attempt in [{ try transponder.mute() }, { try transponder.unmute() }, { try transponder.soundOff() }] {
            let error = try #require(throws: MediaError.self) { try attempt() }
            #expect(error.kind == .peerRefused)
            #expect(error.message.hasPrefix("unsupported: this transponder copies compressed audio"))
        }
        await #expect(throws: MediaError.self) { try await transponder.sound(path: "/x.wav", loop: false) }
    }

    @Test func pictureSizeFromASource() {
        let transponder = PublisherTransponder()
        let size = NIOLockedValueBox<(width: Int, height: Int)?>(nil)
        transponder.setPictureSize { size.withLockedValue { $0 } }
        #expect(transponder.status().width == nil)
        size.withLockedValue { $0 = (320, 180) }
        let status = transponder.status()
        #expect(status.width == 320 && status.height == 180)
        // A size set up front wins.
        transponder.setPictureSize(width: 640, height: 360)
        #expect(transponder.status().width == 640)
    }

    @Test func stateFollowsTheEvents() {
        let transponder = PublisherTransponder()
        #expect(transponder.status().state == .connecting)
        transponder.observe(.connecting(attempt: 0))
        #expect(transponder.status().state == .connecting)
        transponder.observe(.publishing(streamID: 1))
        #expect(transponder.status().state == .publishing)
        transponder.observe(.reconnecting(attempt: 1, delay: 1, reason: MediaError(.peerUnavailable, "x")))
        #expect(transponder.status().state == .reconnecting)
        transponder.observe(.connecting(attempt: 1))
        #expect(transponder.status().state == .reconnecting)
        transponder.observe(.publishing(streamID: 1))
        #expect(transponder.status().state == .publishing)
        transponder.finish(.failure(MediaError(.timeout, "gave up")))
        let status = transponder.status()
        #expect(status.state == .failed)
        #expect(status.failure == "gave up")
        transponder.observe(.publishing(streamID: 1))
        #expect(transponder.status().state == .failed)
    }
}
