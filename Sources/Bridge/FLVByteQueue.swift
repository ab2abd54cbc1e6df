import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// A bounded queue of FLV bytes between one writer (the remuxer's sink, synchronous) and one reader (the
/// publisher, async). The writer waits for room before each message (`waitForRoom`), so the queue holds at most
/// `capacityBytes` plus what one message turns into; the reader waits for bytes.
final class FLVByteQueue: Sendable {
    private struct State {
        var chunks = CircularBuffer<ByteBuffer>()
        var bytes = 0
        var ended = false
        var failure: (any Error)?
        /// The reader went away: writers fail instead of waiting forever.
        var closed: MediaError?
        var reader: CheckedContinuation<ByteBuffer?, any Error>?
        var writer: CheckedContinuation<Void, any Error>?
    }

    let capacityBytes: Int
    /// A read returns at most about this many bytes (whole chunks).
    static let readBytes = 256 << 10
    private let state = NIOLockedValueBox(State())

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// Adds bytes (never waits). After `close` they are dropped.
    func write(_ bytes: ByteBuffer) {
        guard bytes.readableBytes > 0 else { return }
        let reader = state.withLockedValue { state -> CheckedContinuation<ByteBuffer?, any Error>? in
            guard state.closed == nil, !state.ended else { return nil }
            state.chunks.append(bytes)
            state.bytes += bytes.readableBytes
            guard let reader = state.reader else { return nil }
            state.reader = nil
            return reader
        }
        if let reader { reader.resume(returning: takeAvailable()) }
    }

    /// Returns once fewer than `capacityBytes` are queued; throws when the queue was closed (or the waiting task
    /// is cancelled, which closes it).
    func waitForRoom() async throws {
        while true {
            let outcome = state.withLockedValue { state -> Result<Bool, MediaError> in
                if let closed = state.closed { return .failure(closed) }
                return .success(state.bytes < capacityBytes)
            }
            if try outcome.get() { return }
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let resume = state.withLockedValue { state -> Result<Void, MediaError>? in
                        if let closed = state.closed { return .failure(closed) }
                        if state.bytes < capacityBytes { return .success(()) }
                        state.writer = continuation
                        return nil
                    }
                    if let resume { continuation.resume(with: resume) }
                }
            } onCancel: {
                close(MediaError(.interrupted, "stopped while waiting for the RTMP publisher to take more"))
            }
        }
    }

    /// No more bytes: the reader gets what is queued, then nil (or `failure`).
    func end(failure: (any Error)? = nil) {
        let reader = state.withLockedValue { state -> CheckedContinuation<ByteBuffer?, any Error>? in
            state.ended = true
            state.failure = failure
            defer { state.reader = nil }
            return state.reader
        }
        guard let reader else { return }
        if let failure { reader.resume(throwing: failure) } else { reader.resume(returning: nil) }
    }

    /// The reader is gone: queued bytes are dropped and a waiting or later writer gets `reason`.
    func close(_ reason: MediaError) {
        let (writer, reader) = state.withLockedValue { state in
            if state.closed == nil { state.closed = reason }
            state.chunks.removeAll()
            state.bytes = 0
            defer {
                state.writer = nil
                state.reader = nil
            }
            return (state.writer, state.reader)
        }
        writer?.resume(throwing: reason)
        reader?.resume(throwing: CancellationError())
    }

    /// The next bytes (several chunks joined, up to about `readBytes`); nil once ended and drained.
    func read() async throws -> ByteBuffer? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ByteBuffer?, any Error>) in
                enum Now { case bytes, end, failure(any Error), wait }
                let now = state.withLockedValue { state -> Now in
                    if state.closed != nil { return .failure(CancellationError()) }
                    if !state.chunks.isEmpty { return .bytes }
                    if state.ended { return state.failure.map { .failure($0) } ?? .end }
                    state.reader = continuation
                    return .wait
                }
                switch now {
                case .bytes: continuation.resume(returning: takeAvailable())
                case .end: continuation.resume(returning: nil)
                case .failure(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            close(MediaError(.interrupted, "the RTMP publisher stopped reading"))
        }
    }

    /// Joins queued chunks (up to `readBytes`) and wakes a writer waiting for room.
    private func takeAvailable() -> ByteBuffer? {
        let (joined, writer) = state.withLockedValue { state -> (ByteBuffer?, CheckedContinuation<Void, any Error>?) in
            guard var first = state.chunks.popFirst() else { return (nil, nil) }
            while let next = state.chunks.first, first.readableBytes + next.readableBytes <= Self.readBytes {
                var next = state.chunks.removeFirst()
                first.writeBuffer(&next)
            }
            state.bytes -= first.readableBytes
            guard state.bytes < capacityBytes, let writer = state.writer else { return (first, nil) }
            state.writer = nil
            return (first, writer)
        }
        writer?.resume()
        return joined
    }
}
