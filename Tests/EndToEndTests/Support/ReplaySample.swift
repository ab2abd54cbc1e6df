import Foundation

/// The committed sample meeting (Tests/Fixtures/sample-meeting, made by scripts/make-sample-meeting.sh), read
/// here with a walker of its own, written from the format description, so the tests do not trust mediactl's reader
/// to check mediactl's replay.
enum ReplaySample {
    static let directory = MediaCtl.repositoryRoot + "/Tests/Fixtures/sample-meeting"
    static let streamID = "5a3d1c0e9b8f4a7e6d2c1b0a9f8e7d6c"
    static let meetingUUID = "qL7vS2mPR0y3Zk+9xWcTbA=="
    static let file = "\(directory)/\(streamID)/stream.mrtms"
    static let clientID = "testclient"
    static let clientSecret = "testsecret"
    static let webhookSecret = "replay-webhook-secret"
    static let peers = MediaCtl.repositoryRoot + "/Tests/Peers"

    /// One record: where it starts in the file, its kind and connection bytes, arrival time and payload.
    struct Record {
        var offset: Int
        var kind: UInt8
        var connection: UInt8
        var arrivalMicros: UInt64
        var payload: Data

        var isMessage: Bool { kind == 1 || kind == 2 }
        /// The payload as a JSON object (messages and markers).
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any] }
        var msgType: Int? { json?["msg_type"] as? Int }
    }

    /// The records of a recording file: the header is skipped by its length field, then records follow back to
    /// back (sync, kind, connection, arrival, length, payload, checksum). Stops at the first incomplete record.
    static func records(of path: String = file) throws -> (headerSize: Int, records: [Record]) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func integer(_ at: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[at + $1]) }
        }
        guard bytes.count >= 20, Array(bytes[0..<8]) == Array("MRTMSREC".utf8) else {
            throw HarnessError("\(path) is not a recording")
        }
        let headerSize = 16 + Int(integer(12, 4)) + 4
        var records: [Record] = []
        var at = headerSize
        while at + 16 <= bytes.count {
            let length = Int(integer(at + 12, 4))
            guard at + 16 + length + 4 <= bytes.count else { break }
            records.append(
                Record(
                    offset: at, kind: bytes[at + 2], connection: bytes[at + 3], arrivalMicros: integer(at + 4, 8),
                    payload: Data(bytes[(at + 16)..<(at + 16 + length)])))
            at += 16 + length + 4
        }
        return (headerSize, records)
    }

    /// The recorded media messages (14-18) of one msg_type, in order: their `content` objects.
    static func mediaContents(_ msgType: Int, in records: [Record]) -> [[String: Any]] {
        records.compactMap { r in
            guard r.isMessage, let json = r.json, json["msg_type"] as? Int == msgType else { return nil }
            return json["content"] as? [String: Any]
        }
    }

    /// The environment for `mediactl rtms replay --serve`: this process's plus the credentials.
    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["ZM_RTMS_CLIENT"] = clientID
        env["ZM_RTMS_SECRET"] = clientSecret
        env["ZM_RTMS_WEBHOOK_SECRET"] = webhookSecret
        return env
    }

    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }
}

/// `mediactl rtms replay --serve 0 --json ARGS RECORDING` in the background, ready when it printed its
/// `rtms.serve` line.
final class ReplayServer {
    let process: BackgroundProcess
    let ready: [String: Any]
    let signalingURL: String

    init(_ args: [String], recording: String = ReplaySample.directory, environment: [String: String] = ReplaySample.environment)
        throws
    {
        process = try MediaCtl.start(
            ["rtms", "replay", "--serve", "0", "--json"] + args + [recording], environment: environment)
        let line = try process.readLine(timeout: 20) { $0.contains("\"rtms.serve\"") }
        guard let json = ReplaySample.jsonLines(line).first, let url = json["signaling_url"] as? String else {
            throw HarnessError("no rtms.serve line from \(process.commandLine): \(line)")
        }
        ready = json
        signalingURL = url
    }

    /// Waits for the server to exit; its stdout lines as JSON.
    func finish(timeout: TimeInterval = 30) throws -> (result: RunResult, lines: [[String: Any]]) {
        let result = try process.waitForExit(timeout: timeout)
        return (result, ReplaySample.jsonLines(result.stdoutText))
    }

    /// The independent client (Tests/Peers/rtms_client_check.py) against this server, in the background.
    func client(_ args: [String], out: String) throws -> BackgroundProcess {
        try BackgroundProcess(
            "/usr/bin/env",
            [
                "python3", "\(ReplaySample.peers)/rtms_client_check.py", "--signaling-url", signalingURL,
                "--meeting-uuid", ReplaySample.meetingUUID, "--stream-id", ReplaySample.streamID,
                "--client-id", ReplaySample.clientID, "--client-secret", ReplaySample.clientSecret, "--out", out,
            ] + args)
    }
}

/// What rtms_client_check.py reported: its summary line, and the messages it received (its --out file).
struct ClientReport {
    var exitCode: Int32
    var summary: [String: Any]
    var received: [[String: Any]]
    var stderr: String

    init(_ process: BackgroundProcess, out: String, timeout: TimeInterval = 60) throws {
        let result = try process.waitForExit(timeout: timeout)
        exitCode = result.exitCode
        stderr = result.stderr
        guard let line = result.stdoutLines.last, let json = ReplaySample.jsonLines(line).first else {
            throw HarnessError("rtms_client_check.py printed no summary (\(result.exitCode)):\n\(result.stderr)")
        }
        summary = json
        received = (try? String(contentsOfFile: out, encoding: .utf8)).map(ReplaySample.jsonLines) ?? []
    }

    var counts: [String: Int] { summary["counts"] as? [String: Int] ?? [:] }

    /// The received messages of one msg_type, in arrival order.
    func messages(_ msgType: Int) -> [[String: Any]] {
        received.compactMap { $0["msg"] as? [String: Any] }.filter { $0["msg_type"] as? Int == msgType }
    }

    /// `content.data` and `content.timestamp` of the received media messages of one msg_type.
    func media(_ msgType: Int) -> [String] {
        messages(msgType).map { m in
            let c = m["content"] as? [String: Any] ?? [:]
            return "\(c["timestamp"] ?? "-") \(c["data"] ?? "-")"
        }
    }
}

extension ReplaySample {
    /// `content.timestamp` and `content.data` of the recorded media of one msg_type, as `ClientReport.media` has
    /// them.
    static func media(_ msgType: Int, in records: [Record]) -> [String] {
        mediaContents(msgType, in: records).map { "\($0["timestamp"] ?? "-") \($0["data"] ?? "-")" }
    }
}
