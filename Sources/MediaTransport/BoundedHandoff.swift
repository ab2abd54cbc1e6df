import NIOConcurrencyHelpers
import NIOCore

/// A bounded first-in first-out hand-off between one producing task and one consuming task, so two stages of a
/// pipeline (reading and decoding the input; converting it) run at the same time on different threads while
/// memory stays bounded: each element has a cost (its bytes, say); `send` waits while the queued elements cost
/// `capacity` or more (one element may go past it, so one larger than the capacity still passes), `next` waits
/// while none are queued.
///
/// A waiting producer is woken once the queue has drained to half its capacity, not at every element taken, so
/// a consumer that is the slower stage does not pay a task switch per element, and the producer has half the
/// queue's worth of time to catch up before the consumer runs dry.
public final class BoundedHandoff<Element: Sendable>: Sendable {
    private struct State {
        var elements = CircularBuffer<(element: Element, cost: Int)>()
        var queuedCost = 0
        var finished = false
        var failure: (any Error)?
        /// The consumer went away: `send` returns false from now on.
        var cancelled = false
        var consumer: CheckedContinuation<Element?, any Error>?
        var producer: CheckedContinuation<Bool, Never>?
    }

    private enum Sent { case queued, handed(CheckedContinuation<Element?, any Error>), cancelled, full }
    private enum Taken { case element(Element, wake: CheckedContinuation<Bool, Never>?), end, failure(any Error), wait }

    public let capacity: Int
    private let state = NIOLockedValueBox(State())

    public init(capacity: Int) {
        precondition(capacity > 0, "BoundedHandoff needs a capacity above 0")
        self.capacity = capacity
    }

    /// Queues `element` (costing `cost`, at least 1), after waiting for room. Returns false (and drops it) once
    /// the consumer has cancelled.
    public func send(_ element: Element, cost: Int = 1) async -> Bool {
        let cost = max(cost, 1)
        let now = state.withLockedValue { state -> Sent in
            if state.cancelled { return .cancelled }
            if let consumer = state.consumer {
                state.consumer = nil
                return .handed(consumer)
            }
            guard state.queuedCost < capacity else { return .full }
            state.elements.append((element, cost))
            state.queuedCost += cost
            return .queued
        }
        switch now {
        case .queued: return true
        case .cancelled: return false
        case .handed(let consumer):
            consumer.resume(returning: element)
            return true
        case .full:
            let room = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let resume = state.withLockedValue { state -> Bool? in
                    if state.cancelled { return false }
                    if state.queuedCost < capacity { return true }
                    state.producer = continuation
                    return nil
                }
                if let resume { continuation.resume(returning: resume) }
            }
            return room ? await send(element, cost: cost) : false
        }
    }

    /// No more elements: the consumer gets those queued, then nil (or `failure` thrown).
    public func finish(throwing failure: (any Error)? = nil) {
        let consumer = state.withLockedValue { state -> CheckedContinuation<Element?, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            state.failure = failure
            defer { state.consumer = nil }
            return state.consumer
        }
        guard let consumer else { return }
        if let failure { consumer.resume(throwing: failure) } else { consumer.resume(returning: nil) }
    }

    /// The consumer stops taking elements: queued ones are dropped and the producer's `send` returns false.
    public func cancel() {
        let producer = state.withLockedValue { state -> CheckedContinuation<Bool, Never>? in
            state.cancelled = true
            state.elements.removeAll()
            state.queuedCost = 0
            defer { state.producer = nil }
            return state.producer
        }
        producer?.resume(returning: false)
    }

    /// The next element, after waiting for one; nil once finished and drained. Throws the producer's failure
    /// (after the elements queued before it).
    public func next() async throws -> Element? {
        switch state.withLockedValue({ take(&$0, waiting: nil) }) {
        case .element(let element, let producer):
            producer?.resume(returning: true)
            return element
        case .end: return nil
        case .failure(let error): throw error
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                switch state.withLockedValue({ take(&$0, waiting: continuation) }) {
                case .element(let element, let producer):
                    producer?.resume(returning: true)
                    continuation.resume(returning: element)
                case .end: continuation.resume(returning: nil)
                case .failure(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        }
    }

    /// Under the lock: the first element (and the producer to wake, once drained to half the capacity), the end,
    /// or wait (`waiting`, when given, is kept for `send` or `finish` to resume).
    private func take(_ state: inout State, waiting: CheckedContinuation<Element?, any Error>?) -> Taken {
        if let (element, cost) = state.elements.popFirst() {
            state.queuedCost -= cost
            guard let producer = state.producer, state.queuedCost <= capacity / 2 else {
                return .element(element, wake: nil)
            }
            state.producer = nil
            return .element(element, wake: producer)
        }
        if state.finished { return state.failure.map { .failure($0) } ?? .end }
        if let waiting { state.consumer = waiting }
        return .wait
    }
}
