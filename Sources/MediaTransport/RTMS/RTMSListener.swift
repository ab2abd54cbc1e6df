import MediaCore
import NIOConcurrencyHelpers

/// Runs any number of RTMS streams at once in one process, one task per stream (`RTMSStreamRunner`), each with
/// its own session, sockets and recording. Streams are joined by `join` (a webhook, or the command line) and
/// deduplicated by `rtms_stream_id`: a resent webhook for a running stream is ignored.
///
/// `run()` returns once intake is closed (`closeIntake()` or `stop(closeStream:)`) and every stream has ended.
public final class RTMSListener: Sendable {
    private let configuration: RTMSListenerConfiguration
    private let onEvent: @Sendable (RTMSListenerEvent) -> Void
    private let intake: AsyncStream<RTMSStreamRunner>.Continuation
    private let joined: AsyncStream<RTMSStreamRunner>
    private let state = NIOLockedValueBox(State())

    private struct State {
        var running: [String: RTMSStreamRunner] = [:]
        var open = true
        var stopping = false
        var summary = RTMSListenerSummary()
    }

    public init(configuration: RTMSListenerConfiguration, onEvent: @escaping @Sendable (RTMSListenerEvent) -> Void) {
        self.configuration = configuration
        self.onEvent = onEvent
        (joined, intake) = AsyncStream.makeStream(of: RTMSStreamRunner.self)
    }

    public enum JoinResult: Sendable, Equatable {
        case joined
        /// A stream with this id already runs: nothing happens (a resent webhook).
        case duplicate
        /// Intake is closed (the listener is stopping): nothing happens.
        case closed
    }

    /// Joins a stream in its own task and returns at once.
    @discardableResult
    public func join(_ descriptor: RTMSStreamDescriptor) -> JoinResult {
        let runner = RTMSStreamRunner(descriptor: descriptor, configuration: configuration, onEvent: onEvent)
        let result = state.withLockedValue { state -> JoinResult in
            guard state.open else { return .closed }
            guard state.running[descriptor.streamID] == nil else { return .duplicate }
            state.running[descriptor.streamID] = runner
            state.summary.joined += 1
            return .joined
        }
        if result == .joined { intake.yield(runner) }
        return result
    }

    /// True while a stream with this id runs.
    public func isRunning(streamID: String) -> Bool {
        state.withLockedValue { $0.running[streamID] != nil }
    }

    /// The number of streams running now.
    public var runningCount: Int { state.withLockedValue { $0.running.count } }

    /// Leaves one stream (a `*.rtms_stopped` webhook); false when no such stream runs.
    @discardableResult
    public func leave(streamID: String, closeStream: Bool = false) -> Bool {
        guard let runner = state.withLockedValue({ $0.running[streamID] }) else { return false }
        runner.stop(closeStream: closeStream)
        return true
    }

    /// No more joins: `run()` returns when the running streams have ended.
    public func closeIntake() {
        state.withLockedValue { $0.open = false }
        intake.finish()
    }

    /// Leaves every stream (SIGINT/SIGTERM) and closes intake.
    public func stop(closeStream: Bool) {
        let runners = state.withLockedValue { state -> [RTMSStreamRunner] in
            state.open = false
            state.stopping = true
            return Array(state.running.values)
        }
        intake.finish()
        for runner in runners { runner.stop(closeStream: closeStream) }
    }

    /// Runs every joined stream until intake is closed and all have ended.
    public func run() async -> RTMSListenerSummary {
        await withDiscardingTaskGroup { group in
            for await runner in joined {
                // A stop that came between join and here still reaches this stream.
                if state.withLockedValue({ $0.stopping }) { runner.stop(closeStream: false) }
                group.addTask {
                    let result = await runner.run()
                    self.finished(result)
                }
            }
        }
        return state.withLockedValue { $0.summary }
    }

    private func finished(_ result: RTMSStreamResult) {
        state.withLockedValue { state in
            state.running[result.stream] = nil
            state.summary.add(result)
        }
    }
}

/// What happened to the streams of a listener, without keeping every stream's result (a listener may run for
/// months).
public struct RTMSListenerSummary: Sendable {
    public var joined = 0
    public var ended = 0
    /// The result of the stream that ended last.
    public var last: RTMSStreamResult?
    /// The first recording error of any stream.
    public var recordingError: MediaError?
    /// The first failure (an outcome with an error) of any stream.
    public var firstFailure: MediaError?

    mutating func add(_ result: RTMSStreamResult) {
        ended += 1
        last = result
        if recordingError == nil { recordingError = result.recordingError }
        if firstFailure == nil { firstFailure = result.outcome.error }
    }
}
