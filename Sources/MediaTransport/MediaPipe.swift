import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// The hand-over between a publisher's producer (source, pacing) and its consumer (socket): a `SendQueue`
/// under a lock plus the wake-ups each side waits for.
final class MediaPipe: Sendable {
    private struct State {
        var queue: SendQueue
        var finished = false
        var failure: MediaError?
        var consumerWaiter: CheckedContinuation<Void, Never>?
        var producerWaiter: CheckedContinuation<Void, Never>?
        /// What a decoder needs again after a reconnection.
        var metadata: ByteBuffer?
        var videoHeader: ByteBuffer?
        var audioHeader: ByteBuffer?
        var lastPushedTime: Int64 = 0
    }

    private let state: NIOLockedValueBox<State>

    init(queue: SendQueue) {
        state = NIOLockedValueBox(State(queue: queue))
    }

    // MARK: Producer

    /// Queues an item; with `dropping` (real-time pacing) the queue drops by priority rather than grow past its
    /// duration, without it the producer waits while the queue holds more than its byte capacity.
    func push(_ item: MediaItem, dropping: Bool) async {
        if !dropping {
            while state.withLockedValue({ $0.queue.isFullForProducer && !$0.finished }) {
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLockedValue { state -> Bool in
                        guard state.queue.isFullForProducer, !state.finished else { return true }
                        state.producerWaiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
        }
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if item.isSequenceHeader {
                if item.kind == .video { state.videoHeader = item.payload }
                if item.kind == .audio { state.audioHeader = item.payload }
            }
            state.lastPushedTime = item.time
            state.queue.push(item, dropping: dropping)
            defer { state.consumerWaiter = nil }
            return state.consumerWaiter
        }
        waiter?.resume()
    }

    func setMetadata(_ payload: ByteBuffer) {
        state.withLockedValue { $0.metadata = payload }
    }

    /// No more items will come (end of source, `--duration` reached, or a failure to pass on).
    func finish(failure: MediaError? = nil, discardQueued: Bool = false) {
        let waiters = state.withLockedValue { state in
            state.finished = true
            if discardQueued { _ = state.queue.pop(maxBytes: Int.max) }
            if state.failure == nil { state.failure = failure }
            defer {
                state.consumerWaiter = nil
                state.producerWaiter = nil
            }
            return (state.consumerWaiter, state.producerWaiter)
        }
        waiters.0?.resume()
        waiters.1?.resume()
    }

    // MARK: Consumer

    /// The next batch; nil when the producer finished and everything was taken. Throws the producer's failure.
    func pop(maxBytes: Int) async throws -> [MediaItem]? {
        while true {
            let result = state.withLockedValue { state -> (batch: [MediaItem], done: Bool, failure: MediaError?) in
                let batch = state.queue.pop(maxBytes: maxBytes)
                return (batch, state.finished && state.queue.isEmpty, state.failure)
            }
            if !result.batch.isEmpty {
                state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
                    guard state.queue.hasRoomForProducer else { return nil }
                    defer { state.producerWaiter = nil }
                    return state.producerWaiter
                }?.resume()
                return result.batch
            }
            if let failure = result.failure { throw failure }
            if result.done { return nil }
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLockedValue { state -> Bool in
                    guard state.queue.isEmpty, !state.finished else { return true }
                    state.consumerWaiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// After a reconnection: the headers a decoder needs, then the queue from its newest keyframe on.
    func resumeAfterReconnect() -> (metadata: ByteBuffer?, video: ByteBuffer?, audio: ByteBuffer?, time: Int64) {
        state.withLockedValue { state in
            state.queue.resumeAtKeyframe()
            let time = state.queue.first?.time ?? state.lastPushedTime
            return (state.metadata, state.videoHeader, state.audioHeader, time)
        }
    }

    var depthMilliseconds: Int64 { state.withLockedValue { $0.queue.depthMilliseconds } }
    var dropped: (frames: Int, bytes: Int) {
        state.withLockedValue { ($0.queue.droppedFrames, $0.queue.droppedBytes) }
    }
}
