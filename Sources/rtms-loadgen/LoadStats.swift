import Foundation
import MediaCore

/// What the load server did, for its closing report: messages and bytes sent, and how late each media message
/// went out compared with its schedule (a histogram in milliseconds). A sender that falls behind real time shows
/// up here: the client reads too slowly, TCP pushes back, writes wait.
final class LoadStats: @unchecked Sendable {
    private let lock = NSLock()
    private var lagHistogram = [Int](repeating: 0, count: 10_001)
    private(set) var audioSent = 0
    private(set) var videoSent = 0
    private(set) var bytesSent = 0
    private var keepAliveRequests = 0
    private var keepAliveResponses = 0
    private var streamsStarted = 0
    private var streamsEnded = 0

    func sent(video: Bool, bytes: Int, lagMilliseconds: Double) {
        lock.withLock {
            if video { videoSent += 1 } else { audioSent += 1 }
            bytesSent += bytes
            lagHistogram[min(max(Int(lagMilliseconds.rounded()), 0), lagHistogram.count - 1)] += 1
        }
    }

    func keepAlive(response: Bool) { lock.withLock { if response { keepAliveResponses += 1 } else { keepAliveRequests += 1 } } }
    func streamStarted() { lock.withLock { streamsStarted += 1 } }
    func streamEnded() -> Int { lock.withLock { streamsEnded += 1; return streamsEnded } }

    private func percentile(_ p: Double) -> Int {
        let total = lagHistogram.reduce(0, +)
        guard total > 0 else { return 0 }
        var seen = 0
        for (ms, count) in lagHistogram.enumerated() {
            seen += count
            if Double(seen) >= p * Double(total) { return ms }
        }
        return lagHistogram.count - 1
    }

    var report: JSONValue {
        lock.withLock {
            let late = lagHistogram[100...].reduce(0, +)
            let maxLag = lagHistogram.lastIndex { $0 > 0 } ?? 0
            return .object([
                JSONField("type", "loadgen.report"),
                JSONField("streams_started", .int(Int64(streamsStarted))),
                JSONField("streams_ended", .int(Int64(streamsEnded))),
                JSONField("audio_sent", .int(Int64(audioSent))),
                JSONField("video_sent", .int(Int64(videoSent))),
                JSONField("bytes_sent", .int(Int64(bytesSent))),
                JSONField("keepalive_requests", .int(Int64(keepAliveRequests))),
                JSONField("keepalive_responses", .int(Int64(keepAliveResponses))),
                JSONField("send_lag_median_ms", .int(Int64(percentile(0.5)))),
                JSONField("send_lag_p99_ms", .int(Int64(percentile(0.99)))),
                JSONField("send_lag_max_ms", .int(Int64(maxLag))),
                JSONField("sends_late_100ms", .int(Int64(late))),
            ])
        }
    }
}
