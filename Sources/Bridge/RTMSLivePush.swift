import MediaCore
import MediaTransport
import NIOConcurrencyHelpers
import NIOCore
import Remux

/// What a live push did, when it is over.
public struct RTMSLivePushResult: Sendable {
    /// The publisher's totals.
    public var stats: PublishStats
    /// The conversion's counts (complete when it finished, else as far as it got).
    public var conversion: RTMSFLVResult
    /// Why the push failed (the conversion's error when it caused the failure); nil: it ended cleanly.
    public var error: MediaError?
    /// Messages (and their payload bytes) the intake dropped because the bridge was full.
    public var droppedMessages: Int
    public var droppedBytes: Int
}

/// One RTMS stream bridged live to an RTMP server while it is received: messages offered as they arrive go
/// through a non-blocking intake (`RTMSLiveIntake`, dropping when full) into an `FLVPublishBridge`, whose FLV
/// an `RTMPPublisher` (live: sent as it comes, dropping past its buffer) publishes.
///
/// `offer` never waits, so the receive path (keep-alive answers, the recording) never stalls on a slow RTMP
/// link or a slow encoder. `end()` when the stream is over: what is queued is converted, the FLV finished and the
/// stream unpublished. `stop()` ends it at once.
public final class RTMSLivePush: Sendable {
    public typealias PCMFilter = @Sendable (_ samples: UnsafeMutableBufferPointer<Int16>, _ sampleRate: Int, _ channels: Int) -> Void

    /// `rtms_stream_id` of the stream.
    public let streamID: String
    public let publisher: RTMPPublisher
    public let bridge: FLVPublishBridge
    private let intake: RTMSLiveIntake
    private let filter = NIOLockedValueBox<PCMFilter?>(nil)

    /// `configuration.output` and `pcmFilter` are replaced (see `setPCMFilter`); `options.realtime` and
    /// `options.live` are set. `intakeCapacityBytes` of media payload may wait for the converter.
    public init(
        streamID: String, configuration: FLVRemuxConfiguration, selection: RTMSFLVSelection, options: PublishOptions,
        intakeCapacityBytes: Int = 16 << 20, onEvent: @escaping @Sendable (PublishEvent) -> Void
    ) {
        self.streamID = streamID
        var configuration = configuration
        let filter = self.filter
        configuration.pcmFilter = { samples, rate, channels in
            filter.withLockedValue { $0 }?(samples, rate, channels)
        }
        var options = options
        options.realtime = true
        options.live = true
        bridge = FLVPublishBridge(configuration: configuration, selection: selection)
        publisher = RTMPPublisher(source: bridge, options: options, onEvent: onEvent)
        intake = RTMSLiveIntake(capacityBytes: intakeCapacityBytes)
    }

    /// Sees (and may change) the outgoing audio from now on, as `FLVRemuxConfiguration.pcmFilter` does (to mute it
    /// or mix in a sound); nil: unchanged.
    public func setPCMFilter(_ newFilter: PCMFilter?) {
        filter.withLockedValue { $0 = newFilter }
    }

    /// An event of the stream: confirmed media parameters and audio/video/share messages go to the bridge, the
    /// rest is ignored. Never waits.
    public func offer(_ event: RTMSEvent) {
        switch event.kind {
        case .connected(_, _, let parameters?):
            offer(.dataHandshakeResponse(RTMSMessage.DataHandshakeResponse(mediaParameters: parameters)))
        case .media(let kind, _, let content) where kind == .audio || kind == .video || kind == .share:
            offer(.media(kind, content))
        default:
            break
        }
    }

    /// A received message (see `RTMSFLVConverter.add`). Never waits.
    public func offer(_ message: RTMSMessage) {
        intake.offer(message)
    }

    /// The stream is over: the rest is converted and sent, then the stream unpublished.
    public func end() {
        intake.end()
    }

    /// Stops now: queued media is dropped, the stream unpublished.
    public func stop() {
        intake.close()
        publisher.requestStop()
    }

    /// The conversion so far (width and height once the first picture is in).
    public var progress: RTMSFLVResult { bridge.progress }

    /// Messages dropped so far because the bridge was full.
    public var dropped: (messages: Int, bytes: Int) { intake.dropped }

    /// Runs until the stream is over and sent (or the push failed, or `stop()`).
    public func run() async -> RTMSLivePushResult {
        let feeder = Task { try await feed() }
        var failure: MediaError?
        let stats: PublishStats
        do {
            stats = try await publisher.run()
        } catch {
            failure = error as? MediaError ?? MediaError(.failure, "\(error)")
            stats = publisher.currentStats
        }
        bridge.stop()
        intake.close()
        let conversion = await feeder.result
        if failure != nil, case .failure(let error as MediaError) = conversion, error.kind != .interrupted {
            // The conversion's own error says more than the publisher's "source failed".
            failure = error
        }
        let dropped = intake.dropped
        return RTMSLivePushResult(
            stats: stats, conversion: (try? conversion.get()) ?? bridge.progress, error: failure,
            droppedMessages: dropped.messages, droppedBytes: dropped.bytes)
    }

    private func feed() async throws -> RTMSFLVResult {
        do {
            while let batch = await intake.next() {
                for message in batch { try await bridge.add(message) }
            }
            // Stopped, or the publisher is gone: there is nothing to finish for.
            if intake.isClosed { throw MediaError(.interrupted, "the push of stream \(streamID) stopped") }
            return try bridge.finish()
        } catch {
            let failure = error as? MediaError ?? MediaError(.malformedInput, "FLV conversion failed: \(error)")
            bridge.fail(failure)
            throw failure
        }
    }
}
