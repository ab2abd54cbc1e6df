import Foundation
import Testing

/// `mediactl rtms replay --serve` with Zoom's own RTMS SDK as the client: the PyPI package `rtms` (Python bindings
/// around Zoom's RTMS C SDK) that `scripts/install-deps.sh --test` installs into .build/peers/zoom-rtms, driven by
/// Tests/Peers/zoom_sdk_client.py. The SDK makes the signature, both websockets, the handshakes and keep-alives
/// itself; the test checks that it joins, gets every recorded media message as recorded, and is told the meeting
/// ended, over ws:// and over wss:// with a certificate it verifies against ZM_RTMS_CA.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct RTMSReplayServeSDKTests {
    typealias Scratch = HarnessTests.Scratch

    static let python = MediaCtl.repositoryRoot + "/.build/peers/zoom-rtms/bin/python"

    /// What the SDK's callbacks got: one line per media callback, and the summary.
    struct SDKReport {
        var exitCode: Int32
        var summary: [String: Any]
        var callbacks: [[String: Any]]
        var stderr: String

        func of(_ kind: String) -> [[String: Any]] { callbacks.filter { $0["kind"] as? String == kind } }
    }

    static func runSDK(_ server: ReplayServer, scratch: Scratch, seconds: Int = 40, environment extra: [String: String] = [:]) throws -> SDKReport {
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "Zoom's RTMS SDK is not installed: run scripts/install-deps.sh --test (it makes .build/peers/zoom-rtms)")
        let out = scratch.file("sdk.ndjson")
        // The C SDK writes its log files into ./logs of its working directory.
        try FileManager.default.createDirectory(atPath: scratch.file("logs"), withIntermediateDirectories: true)
        var environment = ReplaySample.environment
        environment.merge(extra) { $1 }
        let result = try run(
            python,
            [
                "\(ReplaySample.peers)/zoom_sdk_client.py", "--server-urls", server.signalingURL,
                "--meeting-uuid", ReplaySample.meetingUUID, "--stream-id", ReplaySample.streamID, "--seconds", String(seconds),
                "--out", out,
            ], environment: environment, currentDirectory: scratch.path, timeout: TimeInterval(seconds + 20))
        let summary = try #require(
            ReplaySample.jsonLines(result.stdoutText).last, "zoom_sdk_client.py printed no summary (\(result.exitCode)): \(result.stderr)")
        let callbacks = (try? String(contentsOfFile: out, encoding: .utf8)).map(ReplaySample.jsonLines) ?? []
        return SDKReport(exitCode: result.exitCode, summary: summary, callbacks: callbacks, stderr: result.stderr)
    }

    /// Every recorded audio, video, share and transcript message reached the SDK's callbacks in order, with its
    /// timestamp, sender and bytes as recorded.
    static func expectEveryMediaMessage(_ report: SDKReport) throws {
        let (_, records) = try ReplaySample.records()
        for (msgType, kind) in [(14, "audio"), (15, "video"), (16, "deskshare"), (17, "transcript")] {
            let recorded = ReplaySample.mediaContents(msgType, in: records)
            let received = report.of(kind)
            #expect(received.count == recorded.count, "\(kind): \(received.count) of \(recorded.count)")
            #expect(!recorded.isEmpty, "the sample meeting has \(kind)")
            for (got, want) in zip(received, recorded) {
                let bytes = Data(base64Encoded: got["data"] as? String ?? "")
                // Media data is recorded in base64, transcript data as text.
                let expected = msgType == 17
                    ? (want["data"] as? String).map { Data($0.utf8) }
                    : (want["data"] as? String).flatMap { Data(base64Encoded: $0) }
                #expect(bytes != nil && bytes == expected, "\(kind) at \(want["timestamp"] ?? "-"): bytes differ")
                #expect(got["timestamp"] as? Int == want["timestamp"] as? Int, "\(kind): timestamp")
                // The SDK labels mixed audio and camera video with the active speaker it knows from the signaling
                // connection, whose speaker changes race the media connection: only shares and transcripts carry
                // their own sender through to the callback.
                if msgType == 16 || msgType == 17 {
                    #expect(got["user_id"] as? Int == want["user_id"] as? Int, "\(kind) at \(want["timestamp"] ?? "-"): user")
                }
            }
        }
    }

    static func expectJoinedAndEnded(_ report: SDKReport) {
        #expect(report.exitCode == 0, "SDK client: \(report.summary) \(report.stderr.suffix(2000))")
        #expect(report.summary["join_reason"] as? Int == 0)
        // RTMS_STOP_REASON 6: "STOP_BC_MEETING_ENDED", the end of the recorded meeting.
        #expect(report.summary["leave_reason"] as? Int == 6)
        #expect(report.summary["left_by_server"] as? Bool == true)
    }

    @Test func zoomsSDKGetsTheWholeMeeting() throws {
        let scratch = try Scratch()
        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "60", "--speed", "4"])
        let report = try Self.runSDK(server, scratch: scratch)
        Self.expectJoinedAndEnded(report)
        try Self.expectEveryMediaMessage(report)
        let (result, lines) = try server.finish()
        #expect(result.exitCode == 0, "server: \(result.stderr)")
        let end = try #require(RTMSReplayServeTests.ofType(lines, "rtms.serve.end").first)
        #expect(end["outcome"] as? String == "completed" && end["unsent"] as? Int == 0, "\(end)")
    }

    @Test func zoomsSDKOverTLSVerifiesTheCertificate() throws {
        let scratch = try Scratch()
        // CN 127.0.0.1 too: with only the SAN naming the address, the SDK refuses it (join reason 610).
        let served = try RTMSListenTests.certificate(in: scratch, "served", san: "IP:127.0.0.1", commonName: "127.0.0.1")
        let other = try RTMSListenTests.certificate(in: scratch, "other", san: "IP:127.0.0.1", commonName: "127.0.0.1")

        let server = try ReplayServer(["--sessions", "1", "--max-seconds", "60", "--speed", "4", "--tls-cert", served.cert, "--tls-key", served.key])
        #expect(server.signalingURL.hasPrefix("wss://127.0.0.1:"))
        let report = try Self.runSDK(server, scratch: scratch, environment: ["ZM_RTMS_CA": served.cert])
        Self.expectJoinedAndEnded(report)
        try Self.expectEveryMediaMessage(report)
        #expect(try server.finish().result.exitCode == 0)

        // The SDK verifies: trusting another certificate, it does not join and gets no media.
        let refused = try ReplayServer(["--sessions", "1", "--max-seconds", "15", "--tls-cert", served.cert, "--tls-key", served.key])
        let untrusted = try Self.runSDK(refused, scratch: scratch, seconds: 10, environment: ["ZM_RTMS_CA": other.cert])
        #expect(untrusted.exitCode != 0)
        #expect(untrusted.summary["join_reason"] as? Int != 0, "\(untrusted.summary)")
        #expect(untrusted.callbacks.isEmpty)
        refused.process.kill()
    }
}
