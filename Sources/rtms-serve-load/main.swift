import Foundation
import MediaCore
import NIOCore
import NIOPosix

// rtms-serve-load: many concurrent RTMS client sessions against one `mediactl rtms replay --serve`, for
// scripts/bench-rtms-serve.sh. Each session asks for audio and transcript (media_type 9) on the `all` URL, answers
// keep-alives, and measures how late media arrives against the recording's own timestamps.
//
//   rtms-serve-load --url ws://127.0.0.1:PORT/signaling --meeting-uuid U --stream-id S --sessions N
//                   [--ramp PER_SECOND] [--seconds MAX] [--speed X] [--threads T] [--media-type 9]
// Credentials from ZM_RTMS_CLIENT / ZM_RTMS_SECRET. Prints one JSON line every 5 s and a summary at the end.
// Exit 0 when every session ended with the stream, 1 otherwise.

func option(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("rtms-serve-load: \(message)\n".utf8))
    exit(64)
}

guard let url = option("--url").flatMap(URL.init(string:)), let host = url.host, let port = url.port else {
    fail("--url ws://HOST:PORT/signaling is required")
}
guard let meeting = option("--meeting-uuid"), let stream = option("--stream-id") else {
    fail("--meeting-uuid and --stream-id are required")
}
let environment = ProcessInfo.processInfo.environment
let clientID = environment["ZM_RTMS_CLIENT"] ?? "testclient"
let clientSecret = environment["ZM_RTMS_SECRET"] ?? "testsecret"
let sessions = Int(option("--sessions") ?? "100") ?? 100
let ramp = Double(option("--ramp") ?? "200") ?? 200
let maxSeconds = Double(option("--seconds") ?? "300") ?? 300
let speed = Double(option("--speed") ?? "1") ?? 1
let threads = Int(option("--threads") ?? "1") ?? 1
let mediaType = RTMSMediaType(rawValue: Int(option("--media-type") ?? "9") ?? 9)

let setup = LoadSession.Setup(
    host: host, port: port, meeting: RTMSInstanceID(.meetingUUID, meeting), streamID: stream,
    signature: RTMSSignature.sign(clientID: clientID, clientSecret: clientSecret, id: meeting, streamID: stream),
    mediaType: mediaType, speed: speed)
let stats = LoadStats()
let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
let started = Date()

func report(final: Bool) {
    let s = stats.snapshot()
    let elapsed = Date().timeIntervalSince(started)
    var fields: [JSONField] = [
        JSONField("type", .string(final ? "load.summary" : "load.progress")),
        JSONField("elapsed", .double((elapsed * 10).rounded() / 10)), JSONField("sessions", .int(Int64(sessions))),
        JSONField("started", .int(Int64(s.started))), JSONField("ready", .int(Int64(s.ready))),
        JSONField("ended", .int(Int64(s.ended))), JSONField("failed", .int(Int64(s.failed))),
        JSONField("audio", .int(Int64(s.audio))), JSONField("transcripts", .int(Int64(s.transcripts))),
        JSONField("bytes", .int(Int64(s.bytes))), JSONField("keepalives_answered", .int(Int64(s.keepAlives))),
        JSONField("late_p50_ms", .int(Int64(stats.latenessPercentile(0.5)))),
        JSONField("late_p99_ms", .int(Int64(stats.latenessPercentile(0.99)))),
        JSONField("late_max_ms", .int(Int64(stats.latenessPercentile(1.0)))),
    ]
    if final {
        fields.append(JSONField("failures", .object(s.failures.sorted { $0.key < $1.key }.map { JSONField($0.key, .int(Int64($0.value))) })))
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        fields.append(JSONField("cpu_s", .double((cpu * 100).rounded() / 100)))
    }
    FileHandle.standardOutput.write(Data((JSONValue.object(fields).jsonString + "\n").utf8))
}

/// Keeps the sessions alive (their channels' handlers hold them only weakly through callbacks).
final class SessionList: @unchecked Sendable {
    private let lock = NSLock()
    private var sessions: [LoadSession] = []
    func add(_ session: LoadSession) { lock.withLock { sessions.append(session) } }
}
let sessionList = SessionList()
for n in 0..<sessions {
    let due = started.addingTimeInterval(Double(n) / ramp)
    let wait = due.timeIntervalSinceNow
    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    let loop = group.next()
    loop.execute {
        let session = LoadSession(setup: setup, loop: loop, stats: stats)
        sessionList.add(session)
        session.start()
    }
    if n % 250 == 249 { report(final: false) }
}
var lastReport = Date()
while true {
    let s = stats.snapshot()
    if s.ended + s.failed >= sessions || Date().timeIntervalSince(started) > maxSeconds { break }
    Thread.sleep(forTimeInterval: 0.2)
    if Date().timeIntervalSince(lastReport) >= 5 {
        report(final: false)
        lastReport = Date()
    }
}
// Media of the last sessions may still be arriving (sessions close their connections a second after the end).
Thread.sleep(forTimeInterval: 1.5)
report(final: true)
let final = stats.snapshot()
exit(final.ended == sessions ? 0 : 1)
