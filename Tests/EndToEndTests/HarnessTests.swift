import Foundation
import Testing

/// Proves the end-to-end harness against the reference tools before any mediactl test relies on it: nginx starts
/// and stops, records what ffmpeg publishes packet for packet (and the comparison catches a difference), serves
/// RTMPS through the stream module, accepts and refuses on_publish auth, drops a publisher on request; processes
/// are bounded in time.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HarnessTests {
    /// A scratch directory removed when the test's value goes away.
    final class Scratch: @unchecked Sendable {
        let path: String
        init() throws {
            path = NSTemporaryDirectory() + "/mediactl-e2e-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func file(_ name: String) -> String { "\(path)/\(name)" }
    }

    // MARK: nginx

    @Test func nginxStartsServesStatAndStops() throws {
        let nginx = try NginxRTMP()
        try nginx.start()
        #expect(nginx.startDuration < 2, "nginx took \(nginx.startDuration) s to accept")
        #expect(Loopback.accepts(port: nginx.rtmpPort))
        let stat = try nginx.stat()
        #expect(stat.contains("<nginx_rtmp_version>"))
        #expect(try nginx.dropPublisher(stream: "nobody") == 0)
        let port = nginx.rtmpPort
        nginx.stop()
        #expect(!nginx.isRunning)
        #expect(!Loopback.accepts(port: port))
    }

    @Test func twoServersGetDistinctPorts() throws {
        let a = try NginxRTMP()
        let b = try NginxRTMP()
        try a.start()
        try b.start()
        #expect(Set([a.rtmpPort, a.httpPort, b.rtmpPort, b.httpPort]).count == 4)
    }

    struct ClipShape: Sendable, CustomStringConvertible {
        var codec: FFmpeg.VideoCodec
        var audio: FFmpeg.AudioCodec
        var description: String { "\(codec.rawValue)+\(audio.rawValue)" }
    }

    @Test(arguments: [
        ClipShape(codec: .h264, audio: .aac), ClipShape(codec: .h264, audio: .none),
        ClipShape(codec: .none, audio: .aac),
    ])
    func recordingIsThePublishedStreamPacketForPacket(shape: ClipShape) throws {
        let scratch = try Scratch()
        let clip = scratch.file("clip.flv")
        try FFmpeg.makeClip(path: clip, seconds: 2, codec: shape.codec, audio: shape.audio)
        let nginx = try NginxRTMP()
        try nginx.start()

        let push = try FFmpeg.publish(clip, to: nginx.url(stream: "s1"), timeout: 30)
        #expect(push.exitCode == 0, "ffmpeg: \(push.stderr)")
        #expect(try nginx.waitUntilNotPublishing(stream: "s1", timeout: 5))

        let sent = try FFmpeg.framemd5(clip)
        let recorded = try FFmpeg.framemd5(nginx.recordingPath(stream: "s1"))
        #expect(sent.packets.count > 40)
        #expect(recorded.mismatches(comparedTo: sent).isEmpty, "\(recorded.mismatches(comparedTo: sent))")
        // The FLV bytes are not the same (no onMetaData, a repeated AAC sequence header): compare packets.
        let sentBytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        let recordedBytes = try Data(contentsOf: URL(fileURLWithPath: nginx.recordingPath(stream: "s1")))
        #expect(sentBytes != recordedBytes)
    }

    @Test func comparisonCatchesADifferentPayloadAndShiftedTimestamps() throws {
        let scratch = try Scratch()
        try FFmpeg.makeClip(path: scratch.file("a.flv"), seconds: 1, toneHz: 1000)
        try FFmpeg.makeClip(path: scratch.file("b.flv"), seconds: 1, toneHz: 1500)
        let a = try FFmpeg.framemd5(scratch.file("a.flv"))
        let b = try FFmpeg.framemd5(scratch.file("b.flv"))
        #expect(a.mismatches(comparedTo: a).isEmpty)
        let differences = b.mismatches(comparedTo: a)
        #expect(differences.contains { $0.hasPrefix("stream 1 packet") }, "\(differences)")
        #expect(!differences.contains { $0.hasPrefix("stream 0") }, "video is the same: \(differences)")
        #expect(!a.mismatches(comparedTo: a, timestampOffset: 40).isEmpty)

        var dropped = a
        dropped.packets.remove(at: 5)
        #expect(!dropped.mismatches(comparedTo: a).isEmpty)
    }

    @Test func rtmpsThroughTheStreamModuleWithTheTestCA() throws {
        let scratch = try Scratch()
        let clip = scratch.file("clip.flv")
        try FFmpeg.makeClip(path: clip, seconds: 2)
        let nginx = try NginxRTMP(tls: true)
        try nginx.start()
        let ca = try #require(nginx.caFile)

        let verified = try run(
            "openssl",
            ["s_client", "-connect", "127.0.0.1:\(nginx.tlsPort)", "-CAfile", ca, "-verify_return_error",
             "-verify_ip", "127.0.0.1"],
            stdin: Data(), timeout: 10)
        #expect(verified.stdoutText.contains("Verification: OK"), "\(verified.stdoutText)\n\(verified.stderr)")

        // ffmpeg 5.1 honours -tls_verify/-ca_file for rtmps: the handshake is really checked against the CA.
        let push = try FFmpeg.publish(
            clip, to: nginx.url(stream: "tls", tls: true), outputArgs: ["-tls_verify", "1", "-ca_file", ca],
            timeout: 30)
        #expect(push.exitCode == 0, "ffmpeg: \(push.stderr)")
        #expect(try nginx.waitUntilNotPublishing(stream: "tls", timeout: 5))
        let recorded = try FFmpeg.framemd5(nginx.recordingPath(stream: "tls"))
        #expect(recorded.mismatches(comparedTo: try FFmpeg.framemd5(clip)).isEmpty)

        // Without trusting the test CA the same push must fail verification.
        let other = NginxRTMPTLSOtherCA(directory: scratch.path)
        try other.make()
        let refused = try FFmpeg.publish(
            clip, to: nginx.url(stream: "tls2", tls: true),
            outputArgs: ["-tls_verify", "1", "-ca_file", other.certificate], timeout: 30)
        #expect(refused.exitCode != 0)
        #expect(refused.stderr.contains("verification") || refused.stderr.contains("Cannot open connection"),
                "\(refused.stderr)")
    }

    @Test func onPublishAuthAcceptsTheRightQueryAndRefusesOthers() throws {
        let scratch = try Scratch()
        let clip = scratch.file("clip.flv")
        try FFmpeg.makeClip(path: clip, seconds: 1)
        let nginx = try NginxRTMP(onPublishAuth: (user: "alice", pass: "s3cret"))
        try nginx.start()

        let accepted = try FFmpeg.publish(
            clip, to: nginx.url(stream: "ok", query: "user=alice&pass=s3cret"), timeout: 30)
        #expect(accepted.exitCode == 0, "\(accepted.stderr)")
        #expect(try nginx.waitUntilNotPublishing(stream: "ok", timeout: 5))
        #expect(FileManager.default.fileExists(atPath: nginx.recordingPath(stream: "ok")))

        for query in ["user=alice&pass=wrong", "user=bob&pass=s3cret", "pass=s3cret", ""] {
            let refused = try FFmpeg.publish(
                clip, to: nginx.url(stream: "no", query: query.isEmpty ? nil : query), timeout: 30)
            #expect(refused.exitCode != 0, "query '\(query)' was accepted")
        }
        #expect(!FileManager.default.fileExists(atPath: nginx.recordingPath(stream: "no")))
        #expect(nginx.errorLog().contains("notify: publish"))
    }

    @Test func dropPublisherEndsTheConnectionAndAppendContinuesTheRecording() throws {
        let scratch = try Scratch()
        let clip = scratch.file("clip.flv")
        try FFmpeg.makeClip(path: clip, seconds: 6)
        let nginx = try NginxRTMP(recordAppend: true)
        try nginx.start()
        let url = nginx.url(stream: "d")

        let first = try BackgroundProcess(
            "ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-i", clip, "-c", "copy", "-f",
                       "flv", url])
        #expect(try nginx.waitForPublisher(stream: "d", timeout: 5))
        Thread.sleep(forTimeInterval: 1)
        let stat = try #require(try nginx.streamStat("d"))
        #expect(stat.publishing && stat.width == 320 && stat.videoCodec == "H264" && stat.sampleRate == 44100)
        #expect(try nginx.dropPublisher(stream: "d") == 1)
        let ended = try first.waitForExit(timeout: 10)
        #expect(ended.exitCode != 0, "ffmpeg did not notice the drop")
        #expect(try nginx.waitUntilNotPublishing(stream: "d", timeout: 5))

        let partOne = try FFmpeg.framemd5(nginx.recordingPath(stream: "d"))
        let junction = try #require(partOne.packets.map(\.dts).max())
        let second = try FFmpeg.publish(clip, to: url, timeout: 30)
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(try nginx.waitUntilNotPublishing(stream: "d", timeout: 5))

        // With record_append nginx writes the new session from the last timestamp in the file on.
        let whole = try FFmpeg.framemd5(nginx.recordingPath(stream: "d"))
        let sent = try FFmpeg.framemd5(clip)
        var tail = whole
        tail.packets = Array(whole.packets.dropFirst(partOne.packets.count))
        let shiftedBy = try #require(tail.packets.first { $0.stream == 0 }).dts
            - (try #require(sent.packets.first { $0.stream == 0 }).dts)
        #expect(shiftedBy == junction, "expected the second session to start at \(junction), offset \(shiftedBy)")
        #expect(tail.mismatches(comparedTo: sent, timestampOffset: shiftedBy).isEmpty,
                "\(tail.mismatches(comparedTo: sent, timestampOffset: shiftedBy))")
    }

    @Test func ffprobeReadsALiveStreamAndIsBounded() throws {
        let scratch = try Scratch()
        let clip = scratch.file("clip.flv")
        try FFmpeg.makeClip(path: clip, seconds: 8, size: "640x360", fps: 30, gop: 60, audioRate: 48000)
        let nginx = try NginxRTMP()
        try nginx.start()
        let publisher = try BackgroundProcess(
            "ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-i", clip, "-c", "copy", "-f",
                       "flv", nginx.url(stream: "p")])
        #expect(try nginx.waitForPublisher(stream: "p", timeout: 5))

        let started = Date()
        let live = try FFmpeg.ffprobe(nginx.url(stream: "p"), timeout: 15)
        let took = Date().timeIntervalSince(started)
        let video = try #require(live.video)
        let audio = try #require(live.audio)
        #expect(video.codecName == "h264" && video.width == 640 && video.height == 360)
        #expect(video.frameRate == 30)
        #expect(audio.codecName == "aac" && audio.sampleRate == "48000" && audio.channels == 1)
        print("ffprobe on a live RTMP stream took \(String(format: "%.2f", took)) s")

        // A stream nobody publishes: ffprobe would wait forever; the harness ends it and says so.
        let hang = Result { try FFmpeg.ffprobe(nginx.url(stream: "absent"), timeout: 2) }
        #expect(throws: HarnessError.self) { try hang.get() }
        if case .failure(let error) = hang { #expect("\(error)".contains("timed out after 2")) }
        publisher.terminate()
        _ = try publisher.waitForExit(timeout: 5)
    }

    // MARK: processes

    @Test func runReturnsOutputAndExitCode() throws {
        let result = try run("sh", ["-c", "printf 'a\\nb\\n'; echo oops >&2; exit 3"], timeout: 5)
        #expect(result.exitCode == 3 && result.signal == nil)
        #expect(result.stdoutLines == ["a", "b"])
        #expect(result.stderr == "oops\n")
        let echoed = try run("cat", [], stdin: Data(repeating: 65, count: 300_000), timeout: 5)
        #expect(echoed.stdout.count == 300_000)
    }

    @Test func runEndsAProcessThatOverrunsAndSaysSo() throws {
        let started = Date()
        let outcome = Result { try run("sh", ["-c", "echo started; trap '' TERM; exec sleep 30"], timeout: 0.5) }
        let took = Date().timeIntervalSince(started)
        #expect(throws: HarnessError.self) { try outcome.get() }
        if case .failure(let error) = outcome {
            #expect("\(error)".contains("timed out after 0.5 s, ended with SIGKILL"), "\(error)")
            #expect("\(error)".contains("started"))
        }
        #expect(took < 0.5 + BackgroundProcess.terminationGrace + 1, "took \(took) s")
    }

    @Test func exitIsSeenWhileAGrandchildStillHoldsTheOutput() throws {
        let started = Date()
        let result = try run("sh", ["-c", "sleep 20 & echo $!; exit 4"], timeout: 10)
        let took = Date().timeIntervalSince(started)
        #expect(result.exitCode == 4)
        #expect(took < BackgroundProcess.outputDrainLimit + 1, "took \(took) s")
        let grandchild = try #require(Int32(result.stdoutLines.first ?? ""))
        kill(grandchild, SIGKILL)
    }

    @Test func backgroundProcessLinesSignalsAndStdin() throws {
        let process = try BackgroundProcess(
            "sh", ["-c", "trap 'echo int; exit 130' INT; echo one; read x; echo \"got $x\"; while :; do sleep 0.05; done"],
            stdin: .pipe)
        #expect(try process.readLine(timeout: 5) == "one")
        #expect(throws: HarnessError.self) { try process.readLine(timeout: 0.2) }
        try process.writeStdin(Data("hello\n".utf8))
        #expect(try process.readLine(timeout: 5, where: { $0.hasPrefix("got") }) == "got hello")
        process.interrupt()
        let result = try process.waitForExit(timeout: 5)
        #expect(result.exitCode == 130 && result.signal == nil)
        #expect(try process.readLine(timeout: 1) == "int")
        #expect(try process.readLine(timeout: 1) == nil)

        let killed = try BackgroundProcess("sleep", ["30"])
        killed.kill()
        let killedResult = try killed.waitForExit(timeout: 5)
        #expect(killedResult.signal == SIGKILL && killedResult.exitCode == 128 + SIGKILL)
    }

    @Test func missingMediactlIsReportedClearly() throws {
        // MediaCtl.path() either finds a binary or throws a message that says how to build one.
        do {
            let path = try MediaCtl.path()
            #expect(FileManager.default.isExecutableFile(atPath: path))
        } catch let error as HarnessError {
            #expect(error.message.contains("swift build"))
        }
        #expect(FileManager.default.fileExists(atPath: MediaCtl.repositoryRoot + "/Package.swift"))
    }
}

/// A second, unrelated self-signed certificate: trusting it instead of the server's must fail verification.
struct NginxRTMPTLSOtherCA {
    var directory: String
    var certificate: String { "\(directory)/other-ca.pem" }
    func make() throws {
        let result = try run(
            "openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=other", "-days", "2", "-keyout",
             "\(directory)/other-key.pem", "-out", certificate],
            timeout: 30)
        guard result.exitCode == 0 else { throw HarnessError("openssl: \(result.stderr)") }
    }
}

extension HarnessTests {
    @Test func writingToTheStdinOfAnExitedProcessFailsInsteadOfHanging() throws {
        let process = try BackgroundProcess("true", [], stdin: .pipe)
        let result = try process.waitForExit(timeout: 5)
        #expect(result.exitCode == 0)
        #expect(throws: HarnessError.self) { try process.writeStdin(Data(repeating: 0, count: 1_000_000)) }
    }
}
