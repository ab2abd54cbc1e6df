import MediaCore
import MediaTransport
import NIOConcurrencyHelpers
import NIOCore
import Remux

/// RTMS messages in, FLV bytes out for an `RTMPPublisher` to pull: an `RTMSFLVConverter` whose output goes into
/// a bounded queue. `add` waits while `capacityBytes` of FLV are queued and not yet read by the publisher, so a
/// slow RTMP link slows the producer down instead of growing memory. Once the publisher is done (`stop()`), or the
/// task calling `add` is cancelled, `add` throws instead of waiting forever.
///
/// Use: one task calls `add` for every received message in arrival order, then `finish()`; the publisher, built
/// with the bridge as its source, runs concurrently.
public final class FLVPublishBridge: PublishSource, @unchecked Sendable {
    // @unchecked: `converter` is only touched under `lock`; the queue and the size box are Sendable by themselves.
    private let queue: FLVByteQueue
    private let lock = NIOLock()
    private let converter: RTMSFLVConverter
    private let pictureSizeBox = NIOLockedValueBox<(width: Int, height: Int)?>(nil)

    /// `configuration.output` is replaced by the queue. The default capacity holds a few seconds of a typical
    /// meeting stream (1 MiB).
    public init(configuration: FLVRemuxConfiguration, selection: RTMSFLVSelection, capacityBytes: Int = 1 << 20) {
        let queue = FLVByteQueue(capacityBytes: capacityBytes)
        var configuration = configuration
        configuration.output = .sink { bytes in queue.write(bytes) }
        self.queue = queue
        converter = RTMSFLVConverter(configuration: configuration, selection: selection)
    }

    /// One received message (see `RTMSFLVConverter.add`), after waiting for room in the queue.
    public func add(_ message: RTMSMessage) async throws {
        switch message {
        case .audio, .video, .share: try await queue.waitForRoom()
        default: break
        }
        let size = try lock.withLock { () throws -> (width: Int, height: Int)? in
            try converter.add(message)
            let summary = converter.progress.summary
            return summary.width.flatMap { width in summary.height.map { (width, $0) } }
        }
        if let size { pictureSizeBox.withLockedValue { $0 = size } }
    }

    /// The outgoing picture size once the first picture is known (for `transponder ls`). Readable while `add`
    /// converts: it does not wait for the converter.
    public var pictureSize: (width: Int, height: Int)? { pictureSizeBox.withLockedValue { $0 } }

    /// Ends the FLV: the publisher reads what is left, then the end of the source.
    public func finish() throws -> RTMSFLVResult {
        do {
            let result = try lock.withLock { try converter.finish() }
            queue.end()
            return result
        } catch {
            queue.end(failure: MediaError(.malformedInput, "the FLV could not be finished: \(error)"))
            throw error
        }
    }

    /// Ends the source with an error: the publisher stops with it.
    public func fail(_ error: MediaError) {
        queue.end(failure: error)
    }

    /// The publisher is done with the bridge (it finished, failed or was stopped): queued bytes are dropped, and
    /// `add` throws (`.interrupted`) from now on, a waiting one included. Call it when `RTMPPublisher.run()`
    /// returns: the publisher may stop without reading again.
    public func stop() {
        queue.close(MediaError(.interrupted, "the RTMP publisher stopped"))
    }

    /// Counts so far.
    public var progress: RTMSFLVResult { lock.withLock { converter.progress } }

    // MARK: PublishSource

    public func read() async throws -> ByteBuffer? {
        try await queue.read()
    }

    public func rewind() throws {
        throw MediaError(.usage, "FLV made live from RTMS media cannot be rewound (--loop)")
    }
}
