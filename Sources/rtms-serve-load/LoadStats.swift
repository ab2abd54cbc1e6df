import Foundation

/// Counters of the whole load run, shared by every session (one lock; sessions add in batches per message).
final class LoadStats: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var started = 0
    private(set) var ready = 0
    private(set) var ended = 0
    private(set) var failed = 0
    private(set) var audio = 0
    private(set) var transcripts = 0
    private(set) var bytes = 0
    private(set) var keepAlives = 0
    private(set) var failures: [String: Int] = [:]
    /// Lateness of media, in milliseconds: bucket k counts messages k to k+1 ms late (the last bucket: later).
    private var lateness = [Int](repeating: 0, count: 10_001)

    func sessionStarted() { lock.withLock { started += 1 } }
    func sessionReady() { lock.withLock { ready += 1 } }
    func sessionEnded() { lock.withLock { ended += 1 } }
    func sessionFailed(_ why: String) {
        lock.withLock {
            failed += 1
            failures[why, default: 0] += 1
        }
    }
    func keepAlive() { lock.withLock { keepAlives += 1 } }

    func media(audio isAudio: Bool, bytes count: Int, latenessMilliseconds: Double) {
        let bucket = min(max(Int(latenessMilliseconds.rounded(.down)), 0), lateness.count - 1)
        lock.withLock {
            if isAudio { audio += 1 } else { transcripts += 1 }
            bytes += count
            lateness[bucket] += 1
        }
    }

    /// The lateness (ms) under which `fraction` of media messages arrived.
    func latenessPercentile(_ fraction: Double) -> Int {
        lock.withLock {
            let total = lateness.reduce(0, +)
            guard total > 0 else { return 0 }
            let wanted = Int((Double(total) * fraction).rounded(.up))
            var seen = 0
            for (k, n) in lateness.enumerated() {
                seen += n
                if seen >= wanted { return k }
            }
            return lateness.count - 1
        }
    }

    func snapshot() -> (started: Int, ready: Int, ended: Int, failed: Int, audio: Int, transcripts: Int, bytes: Int, keepAlives: Int, failures: [String: Int]) {
        lock.withLock { (started, ready, ended, failed, audio, transcripts, bytes, keepAlives, failures) }
    }
}
