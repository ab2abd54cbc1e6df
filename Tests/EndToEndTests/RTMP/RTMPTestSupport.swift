import Foundation
import Testing

/// One NDJSON event of `mediactl --json`.
struct Event {
    let object: [String: Any]
    init?(_ line: String) {
        guard let data = line.data(using: .utf8),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        self.object = object
    }
    var type: String { object["type"] as? String ?? "" }
    func int(_ key: String) -> Int? { (object[key] as? NSNumber)?.intValue }
    func double(_ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }
    func string(_ key: String) -> String? { object[key] as? String }
}

/// Parses every stdout line as JSON: a line that is not JSON fails the test (stdout carries only JSON).
func events(_ result: RunResult) -> [Event] {
    result.stdoutLines.compactMap { line in
        let event = Event(line)
        #expect(event != nil, "stdout line is not a JSON object: \(line)")
        return event
    }
}

/// A scratch directory removed with the value.
final class TempDir: @unchecked Sendable {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "/mediactl-rtmp-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { "\(path)/\(name)" }
}

/// Clips are made once per process and shared (ffmpeg takes a moment).
enum Clips {
    nonisolated(unsafe) private static var made: [String: String] = [:]
    private static let lock = NSLock()
    private static let directory: String = {
        let path = NSTemporaryDirectory() + "/mediactl-clips-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func clip(seconds: Double, gop: Int = 50, fps: Int = 25, size: String = "320x240", toneHz: Int = 1000) throws
        -> String
    {
        let name = "clip-\(seconds)-\(gop)-\(fps)-\(size)-\(toneHz).flv"
        lock.lock()
        defer { lock.unlock() }
        if let path = made[name] { return path }
        let path = "\(directory)/\(name)"
        try FFmpeg.makeClip(path: path, seconds: seconds, size: size, fps: fps, gop: gop, toneHz: toneHz)
        made[name] = path
        return path
    }
}
