import Foundation

/// One clock for every load connection: a single task wakes every `period` and hands the time to each
/// subscriber's stream. A timer per connection (Task.sleep per message) costs more than the sending itself once
/// there are hundreds of connections.
final class Ticker: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [Int: AsyncStream<Double>.Continuation] = [:]
    private var nextID = 0
    private let period: Duration

    init(period: Duration = .milliseconds(10)) {
        self.period = period
        Task { await self.run() }
    }

    /// Ticks (Unix seconds) until the returned stream is dropped; a slow subscriber sees only the newest tick.
    func subscribe() -> AsyncStream<Double> {
        let (stream, continuation) = AsyncStream.makeStream(of: Double.self, bufferingPolicy: .bufferingNewest(1))
        let id = lock.withLock { () -> Int in
            nextID += 1
            subscribers[nextID] = continuation
            return nextID
        }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    private func run() async {
        let clock = ContinuousClock()
        var deadline = clock.now
        while true {
            deadline += period
            try? await Task.sleep(until: deadline, clock: clock)
            let now = Date().timeIntervalSince1970
            let current = lock.withLock { Array(subscribers.values) }
            for subscriber in current { subscriber.yield(now) }
        }
    }
}
