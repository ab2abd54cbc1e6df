import MediaCore
import NIOConcurrencyHelpers

/// An `RTMPPublisher` as a transponder: its state follows the publisher's events, its numbers come from
/// `currentStats`, `stop` is `requestStop` and answers after the publish has ended. Mute and sound work when an
/// `audio` control is given (a bridge that encodes its audio runs its PCM through it); without one (a publisher
/// that copies compressed audio, like `rtmp push`) they are refused with `MediaError.audioUnsupported`.
///
/// Use: create it, register it (`TransponderRegistration.register(..., controller: transponder, ...)`), pass
/// `observe` into the publisher's event handler, then `run(publisher, registration:)` instead of
/// `publisher.run()`. For a bridge that encodes audio:
///
///     let audio = TransponderAudioControl()
///     remuxConfiguration.pcmFilter = { audio.process($0, sampleRate: $1, channels: $2) }
///     let transponder = PublisherTransponder(audio: audio)
///     let registration = try await TransponderRegistration.register(
///         command: "rtms replay", source: ..., destination: TransponderDestination(url), editsAudio: true,
///         controller: transponder, environment: ProcessInfo.processInfo.environment)
///     let bridge = FLVPublishBridge(configuration: remuxConfiguration, selection: ...)
///     transponder.setPictureSize { bridge.pictureSize }
///     let publisher = RTMPPublisher(source: bridge, options: ...) { transponder.observe($0); report.show($0) }
///     let stats = try await transponder.run(publisher, registration: registration)
public final class PublisherTransponder: TransponderControllable {
    private struct State {
        var state = TransponderState.connecting
        var publisher: RTMPPublisher?
        var finalStats: PublishStats?
        var failure: String?
        var stopRequested = false
        var pictureSize: (width: Int, height: Int)?
        var pictureSizeSource: (@Sendable () -> (width: Int, height: Int)?)?
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    public let audio: TransponderAudioControl?
    private let started = ContinuousClock.now
    private let box = NIOLockedValueBox(State())

    public init(audio: TransponderAudioControl? = nil) {
        self.audio = audio
    }

    /// The publisher whose numbers to report and which `stop` stops.
    public func attach(_ publisher: RTMPPublisher) {
        let stopAlready = box.withLockedValue { state -> Bool in
            state.publisher = publisher
            return state.stopRequested
        }
        if stopAlready { publisher.requestStop() }
    }

    /// The outgoing picture size, when the bridge knows it.
    public func setPictureSize(width: Int, height: Int) {
        box.withLockedValue { $0.pictureSize = (width, height) }
    }

    /// Where the outgoing picture size comes from while it is not known up front (a bridge learns it from its
    /// first picture, e.g. `FLVPublishBridge.pictureSize`). Asked on every `status()`: it must not block.
    public func setPictureSize(from source: @escaping @Sendable () -> (width: Int, height: Int)?) {
        box.withLockedValue { $0.pictureSizeSource = source }
    }

    /// True once `stop` was asked for (a control request, not a signal).
    public var stopRequested: Bool { box.withLockedValue { $0.stopRequested } }

    /// Follows the publisher's events: connecting, publishing, reconnecting.
    public func observe(_ event: PublishEvent) {
        box.withLockedValue { state in
            guard !state.state.isFinal else { return }
            switch event {
            case .connecting(let attempt): state.state = attempt == 0 && state.state == .connecting ? .connecting : .reconnecting
            case .publishing: state.state = .publishing
            case .reconnecting: state.state = .reconnecting
            case .connected, .stats, .status, .warning: break
            }
        }
    }

    /// Runs the publish as this transponder (`attach`, `publisher.run()`, `finish`) and ends the registration
    /// with it; rethrows the publish's error.
    public func run(_ publisher: RTMPPublisher, registration: TransponderRegistration?) async throws -> PublishStats {
        attach(publisher)
        do {
            let stats = try await publisher.run()
            finish(.success(stats))
            await registration?.close()
            return stats
        } catch {
            finish(.failure(error))
            await registration?.close()
            throw error
        }
    }

    /// The publish has ended: `stopped` with its totals, or `failed` with its error. Answers waiting `stop`s.
    public func finish(_ outcome: Result<PublishStats, any Error>) {
        let waiters = box.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            switch outcome {
            case .success(let stats):
                state.state = .stopped
                state.finalStats = stats
            case .failure(let error):
                state.state = .failed
                state.failure = (error as? MediaError)?.message ?? "\(error)"
                state.finalStats = state.publisher?.currentStats
            }
            defer { state.stopWaiters.removeAll() }
            return state.stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: TransponderControllable

    public func status() -> TransponderSnapshot {
        let (state, publisher, finalStats, failure, knownSize, sizeSource) = box.withLockedValue {
            ($0.state, $0.publisher, $0.finalStats, $0.failure, $0.pictureSize, $0.pictureSizeSource)
        }
        let size = knownSize ?? sizeSource?()
        var snapshot = TransponderSnapshot(state: state, uptime: RTMPPublisher.milliseconds(ContinuousClock.now - started) / 1000)
        if let stats = finalStats ?? publisher?.currentStats {
            snapshot.bytesSent = stats.bytesSent
            snapshot.bitrateKbps = stats.bitrateKbps
            snapshot.reconnects = stats.reconnects
            snapshot.bufferDepthMilliseconds = state.isFinal ? 0 : stats.bufferDepth
        }
        snapshot.width = size?.width
        snapshot.height = size?.height
        snapshot.failure = failure
        audio?.describe(into: &snapshot)
        return snapshot
    }

    public func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (publisher, done) = box.withLockedValue { state -> (RTMPPublisher?, Bool) in
                state.stopRequested = true
                if state.state.isFinal { return (nil, true) }
                state.stopWaiters.append(continuation)
                return (state.publisher, false)
            }
            if done {
                continuation.resume()
            } else {
                publisher?.requestStop()
            }
        }
    }

    public func mute() throws {
        guard let audio else { throw MediaError.audioUnsupported("mute") }
        audio.mute()
    }

    public func unmute() throws {
        guard let audio else { throw MediaError.audioUnsupported("unmute") }
        audio.unmute()
    }

    public func sound(path: String, loop: Bool) async throws {
        guard let audio else { throw MediaError.audioUnsupported("mix in a sound") }
        try await audio.sound(path: path, loop: loop)
    }

    public func soundOff() throws {
        guard let audio else { throw MediaError.audioUnsupported("stop a sound") }
        audio.soundOff()
    }
}
