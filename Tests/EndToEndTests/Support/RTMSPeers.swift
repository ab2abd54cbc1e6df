import Foundation
import MediaCore
import NIOCore

/// The Python RTMS peers of Tests/Peers, run with `/usr/bin/env python3` (see Tests/Peers/README.md): the server
/// (`rtms_server.py`), the webhook sender and the comparison of a recording with the server's log.
enum RTMSPeers {
    static let directory = MediaCtl.repositoryRoot + "/Tests/Peers"
    /// The credentials rtms_server.py accepts by default.
    static let clientID = "testclient"
    static let clientSecret = "testsecret"
    static let webhookSecret = "wh-secret-6f1d2e9a"

    /// The environment for `mediactl rtms listen`: this process's, plus the RTMS credentials.
    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["ZM_RTMS_CLIENT"] = clientID
        env["ZM_RTMS_SECRET"] = clientSecret
        env["ZM_RTMS_WEBHOOK_SECRET"] = webhookSecret
        env.removeValue(forKey: "ZOOM_SECRET_TOKEN")
        return env
    }

    /// `send_webhook.py --url URL --secret S ARGS`: its one JSON line.
    static func sendWebhook(url: String, _ args: [String], secret: String = webhookSecret) throws -> [String: Any] {
        let result = try run(
            "/usr/bin/env", ["python3", "\(directory)/send_webhook.py", "--url", url, "--secret", secret] + args,
            timeout: 20)
        guard result.exitCode == 0, let line = result.stdoutLines.last, let json = jsonObject(line) else {
            throw HarnessError("send_webhook.py \(args) failed (\(result.exitCode)):\n\(result.stdoutText)\n\(result.stderr)")
        }
        return json
    }

    /// Writes the messages of a recording as NDJSON (one received message per line) and runs `rtms_compare.py`
    /// against the server's log; returns its report.
    static func compare(recording: RecordingContents, serverLog: String, scratch: String, allowTailLoss: Bool) throws
        -> [String: Any]
    {
        let received = scratch + "/received-\(UUID().uuidString).ndjson"
        var text = ""
        for record in recording.records where record.isMessage {
            text += String(buffer: record.payload) + "\n"
        }
        try text.write(toFile: received, atomically: true, encoding: .utf8)
        let result = try run(
            "/usr/bin/env",
            ["python3", "\(directory)/rtms_compare.py", "--server-log", serverLog, "--received", received]
                + (allowTailLoss ? ["--allow-tail-loss"] : []),
            timeout: 60)
        guard let json = jsonObject(result.stdoutText) else {
            throw HarnessError("rtms_compare.py printed no report (\(result.exitCode)):\n\(result.stderr)")
        }
        return json
    }

    static func jsonObject(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}

/// `rtms_server.py` in the background, with its NDJSON log in a scratch directory.
final class RTMSServerPeer {
    let process: BackgroundProcess
    let logPath: String
    /// The server's first stdout line.
    let ready: [String: Any]

    init(scratch: String, _ args: [String]) throws {
        logPath = scratch + "/server-\(UUID().uuidString.prefix(8)).ndjson"
        process = try BackgroundProcess(
            "/usr/bin/env",
            ["python3", "\(RTMSPeers.directory)/rtms_server.py", "--port", "0", "--log", logPath, "--max-seconds", "60"]
                + args)
        guard let line = try process.readLine(timeout: 20), let json = RTMSPeers.jsonObject(line), json["ready"] as? Bool == true
        else {
            throw HarnessError("rtms_server.py did not start:\n\(process.stderrSoFar)")
        }
        ready = json
    }

    deinit { process.kill() }

    var signalingURL: String { ready["signaling_url"] as? String ?? "" }

    /// The `*.rtms_started` webhook body pointing at this server, as JSON text.
    var webhookBody: String {
        let data = try? JSONSerialization.data(withJSONObject: ready["webhook_body"] ?? [:])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    func waitForExit(timeout: TimeInterval) throws -> RunResult { try process.waitForExit(timeout: timeout) }

    /// Every record of the log so far.
    func log() throws -> [[String: Any]] {
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        return text.split(separator: "\n").compactMap { RTMSPeers.jsonObject(String($0)) }
    }
}

/// A recording read back with the core's reader.
struct RecordingContents {
    var header: RTMSRecordingHeader?
    var records: [RTMSRecordingRecord]
    var damage: RTMSRecordingDamage?
    var bytes: Data

    init(path: String) throws {
        bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var reader = RTMSRecordingReader()
        reader.append(ByteBuffer(bytes: bytes))
        reader.inputEnded()
        var records: [RTMSRecordingRecord] = []
        while let record = try reader.next() { records.append(record) }
        self.records = records
        header = reader.header
        damage = reader.damage
    }

    /// The one `stream*.mrtms` below `directory`/*/.
    static func find(in directory: String) throws -> String {
        let fm = FileManager.default
        var found: [String] = []
        for stream in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] {
            for file in (try? fm.contentsOfDirectory(atPath: "\(directory)/\(stream)")) ?? [] where file.hasSuffix(".mrtms") {
                found.append("\(directory)/\(stream)/\(file)")
            }
        }
        guard found.count == 1 else { throw HarnessError("expected one recording below \(directory), found \(found)") }
        return found[0]
    }

    /// The marker records, as JSON objects.
    var markers: [[String: Any]] {
        records.filter { $0.kind == .marker }.compactMap { RTMSPeers.jsonObject(String(buffer: $0.payload)) }
    }
}
