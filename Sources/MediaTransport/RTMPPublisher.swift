import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// Everything `rtmp push` can be asked to do.
public struct PublishOptions: Sendable {
    public var url: RTMPURL
    public var tls = TLSOptions()
    public var flashVersion = RTMPClientSession.defaultFlashVersion
    public var chunkSize = RTMPClientSession.defaultChunkSize
    /// Pace tags on their timestamps against a monotonic clock; false sends as fast as the server takes them.
    public var realtime = true
    /// The source is live: its tags come at the media's own pace (FLV converted as an RTMS stream arrives), so
    /// they are sent as they come instead of being paced against a clock started at publish, which would delay
    /// the whole stream by the time connecting took. With `realtime` the queue still drops by priority past
    /// `bufferMilliseconds` (while connecting, reconnecting, or when the link is slower than the stream), so the
    /// publisher adds no more delay than its buffer.
    public var live = false
    public var loop = false
    /// Stop after this much media time (seconds).
    public var duration: Double?
    /// Send `@setDataFrame onMetaData` (the file's, or one built from the stream).
    public var metadata = true
    public var reconnectAttempts = 0
    public var reconnectDelay = 1.0
    /// Most media time queued while the link is slower than the stream, before video is dropped.
    public var bufferMilliseconds = 2000
    public var bindAddress: String?
    public var connectTimeout = 10.0
    /// A write that makes no progress for this long means a dead peer.
    public var sendTimeout = 10.0
    /// How long to wait for `connect` and `publish` to be answered.
    public var receiveTimeout = 10.0
    public var statsInterval = 1.0

    public init(url: RTMPURL) {
        self.url = url
    }
}

/// Totals and rates of a publish so far; the `stats` and `done` events carry them.
public struct PublishStats: Sendable, Equatable {
    public var bytesSent: UInt64 = 0
    public var mediaBytes: UInt64 = 0
    public var audioTags = 0
    public var videoTags = 0
    public var dataTags = 0
    /// Output time of the newest tag sent (ms).
    public var mediaTime: Int64 = 0
    /// Wall time since publishing started (ms).
    public var wallTime: Double = 0
    public var bufferDepth: Int64 = 0
    public var droppedFrames = 0
    public var droppedBytes = 0
    public var reconnects = 0
    /// Real-time pacing: how far the newest sent tag was ahead of (negative) or behind (positive) the wall
    /// clock when it was written, in ms. Only counted while not catching up after a reconnection.
    public var pacingMaxAhead: Double = 0
    public var pacingMaxBehind: Double = 0
    public var pacingSamples: [Double] = []
    /// Bytes written on connections that have ended.
    var bytesSentBefore: UInt64 = 0

    public init() {}

    public var bitrateKbps: Double { wallTime > 0 ? Double(bytesSent) * 8 / wallTime : 0 }
    public var pacingMedianBehind: Double? {
        guard !pacingSamples.isEmpty else { return nil }
        return pacingSamples.sorted()[pacingSamples.count / 2]
    }
}

public enum PublishEvent: Sendable {
    case connecting(attempt: Int)
    case connected(RTMPServerInfo, RTMPConnectionTimings)
    case publishing(streamID: UInt32)
    case stats(PublishStats)
    case reconnecting(attempt: Int, delay: Double, reason: MediaError)
    case status(RTMPStatus)
    case warning(String)
}

/// Publishes an FLV source to an RTMP server: a producer task reads, parses and paces the source into a
/// `MediaPipe`; the consumer connects (answering authentication challenges), publishes, writes batches, and
/// reconnects when the link drops, resuming at a keyframe with timestamps that keep increasing.
public final class RTMPPublisher: Sendable {
    public let options: PublishOptions
    private let source: any PublishSource
    private let onEvent: @Sendable (PublishEvent) -> Void
    private let pipe: MediaPipe
    private let stats = NIOLockedValueBox(PublishStats())
    private let clockStart = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
    private let startSignal = NIOLockedValueBox<[CheckedContinuation<Void, Never>]>([])
    private let producer = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let stopping = NIOLockedValueBox(false)

    /// The largest write: big enough to amortise a send call, small enough to keep pacing and memory tight.
    static let batchBytes = 128 * 1024

    public init(source: any PublishSource, options: PublishOptions, onEvent: @escaping @Sendable (PublishEvent) -> Void) {
        self.source = source
        self.options = options
        self.onEvent = onEvent
        let capacityBytes = options.realtime ? 64 << 20 : 512 << 10
        pipe = MediaPipe(
            queue: SendQueue(capacityMilliseconds: Int64(options.bufferMilliseconds), capacityBytes: capacityBytes))
    }

    public var currentStats: PublishStats {
        var snapshot = stats.withLockedValue { $0 }
        snapshot.bufferDepth = pipe.depthMilliseconds
        (snapshot.droppedFrames, snapshot.droppedBytes) = pipe.dropped
        if let start = clockStart.withLockedValue({ $0 }) {
            snapshot.wallTime = Self.milliseconds(ContinuousClock.now - start)
        }
        return snapshot
    }

    /// Runs to the end of the source (or `--duration`); returns the totals.
    public func run() async throws -> PublishStats {
        let task = Task {
            do {
                try await self.produce()
                self.pipe.finish()
            } catch is CancellationError {
                self.pipe.finish()
            } catch {
                self.pipe.finish(failure: error as? MediaError ?? MediaError(.failure, "\(error)"))
            }
        }
        producer.withLockedValue { $0 = task }
        defer { task.cancel() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.reportStats() }
            defer { group.cancelAll() }
            try await consume()
        }
        return currentStats
    }

    /// Stops reading the source, drops what is queued, unpublishes and closes (SIGINT).
    public func requestStop() {
        stopping.withLockedValue { $0 = true }
        producer.withLockedValue { $0 }?.cancel()
        pipe.finish(discardQueued: true)
    }

    public var isStopping: Bool { stopping.withLockedValue { $0 } }

    // MARK: Producer

    private func produce() async throws {
        var timeline = PublishTimeline()
        var metadata = MetadataDecision(enabled: options.metadata)
        let limit = options.duration.map { Int64($0 * 1000) }
        var metadataCached = false
        pass: while true {
            var reader = FLVReader()
            while let block = try await source.read() {
                reader.append(block)
                while let event = try reader.next() {
                    guard case .tag(let tag) = event else { continue }
                    let time = timeline.outputTime(forSource: tag.timestamp)
                    if let limit, time >= limit { break pass }
                    for item in metadata.take(tag, time: time) {
                        try await emit(item)
                    }
                    if let payload = metadata.metadataPayload, !metadataCached {
                        pipe.setMetadata(payload)
                        metadataCached = true
                    }
                }
            }
            try reader.finish()
            for item in metadata.flush() { try await emit(item) }
            guard options.loop else { break }
            try source.rewind()
            timeline.startNextPass()
        }
        for item in metadata.flush() { try await emit(item) }
    }

    private func emit(_ item: MediaItem) async throws {
        if options.realtime && !options.live {
            let start = await waitForStart()
            try await Task.sleep(until: start + .milliseconds(item.time), tolerance: .zero, clock: .continuous)
        }
        await pipe.push(item, dropping: options.realtime)
    }

    private func waitForStart() async -> ContinuousClock.Instant {
        if let start = clockStart.withLockedValue({ $0 }) { return start }
        await withCheckedContinuation { continuation in
            let ready = clockStart.withLockedValue { $0 != nil }
            if ready {
                continuation.resume()
            } else {
                startSignal.withLockedValue { $0.append(continuation) }
                if clockStart.withLockedValue({ $0 != nil }) { releaseStartWaiters() }
            }
        }
        return clockStart.withLockedValue { $0! }
    }

    private func markStarted() {
        let first = clockStart.withLockedValue { start -> Bool in
            guard start == nil else { return false }
            start = .now
            return true
        }
        if first { releaseStartWaiters() }
    }

    private func releaseStartWaiters() {
        let waiters = startSignal.withLockedValue { waiters in
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Consumer

    private func consume() async throws {
        var auth = RTMPAuthNegotiation(url: options.url)
        var authQuery: String?
        var attempt = 0
        var reconnects = 0
        var finished = false
        while !finished {
            if isStopping { return }
            onEvent(.connecting(attempt: attempt))
            let began = ContinuousClock.now
            do {
                finished = try await publishOnce(authQuery: authQuery, resuming: reconnects > 0)
            } catch let rejection as RTMPConnectRejected {
                guard let query = try auth.next(afterConnectError: rejection.status.details) else {
                    throw MediaError(.peerRefused, "server refused connect: \(rejection.status)")
                }
                authQuery = query
                continue
            } catch let error as MediaError {
                if ContinuousClock.now - began > .seconds(30) { attempt = 0 }
                if isStopping { return }
                guard Self.isRetryable(error), attempt < options.reconnectAttempts else { throw error }
                attempt += 1
                reconnects += 1
                stats.withLockedValue { $0.reconnects = reconnects }
                let delay = min(options.reconnectDelay * Double(1 << min(attempt - 1, 5)), 30)
                onEvent(.reconnecting(attempt: attempt, delay: delay, reason: error))
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            }
        }
    }

    static func isRetryable(_ error: MediaError) -> Bool {
        switch error.kind {
        case .peerUnavailable, .timeout, .io: return true
        default: return false
        }
    }

    /// One connection: connect, publish, write until the source ends. True when everything was sent.
    private func publishOnce(authQuery: String?, resuming: Bool) async throws -> Bool {
        let url = options.url
        let configuration = RTMPClientSession.Configuration(
            app: url.connectApp(authQuery: authQuery),
            tcUrl: url.connectTcUrl(authQuery: authQuery),
            flashVersion: options.flashVersion,
            role: .publish(name: url.publishName ?? ""),
            chunkSize: options.chunkSize)
        let endpoint = RTMPEndpoint(
            host: url.host, port: url.port, tls: url.scheme.usesTLS ? options.tls : nil, bindAddress: options.bindAddress,
            connectTimeout: options.connectTimeout)
        return try await RTMPConnection.run(endpoint: endpoint, session: configuration) { connection in
            connection.armDeadline(options.receiveTimeout, "\(endpoint.displayName) did not answer connect/publish within \(options.receiveTimeout) s")
            let events = EventCursor(connection.events)
            do {
                waiting: while let event = try await events.next() {
                    switch event {
                    case .connectRejected(let status):
                        throw RTMPConnectRejected(status: status)
                    case .connected(let info):
                        onEvent(.connected(info, connection.timings))
                    case .streamStarted(let id, _):
                        onEvent(.publishing(streamID: id))
                        break waiting
                    case .status(let status):
                        onEvent(.status(status))
                    default:
                        break
                    }
                }
            } catch let error as MediaError where error.kind == .peerUnavailable && connection.serverInfo.code != nil {
                // nginx answers a refused on_publish by closing the connection right after `publish`.
                throw MediaError(
                    .peerRefused,
                    "\(endpoint.displayName) closed the connection after publish without a status: the server refused the stream (wrong key or credentials?)"
                )
            }
            connection.disarmDeadline()
            markStarted()
            return try await withThrowingTaskGroup(of: Void.self) { group in
                // Keep reading: acknowledgements and pings are answered by the connection; failures end it.
                group.addTask {
                    do {
                        while let event = try await events.next() {
                            if case .status(let status) = event { self.onEvent(.status(status)) }
                        }
                    } catch {
                        connection.close()
                    }
                }
                defer { group.cancelAll() }
                try await sendHeaders(connection, resuming: resuming)
                try await sendQueued(connection)
                await connection.stop()
                return true
            }
        }
    }

    private func sendHeaders(_ connection: RTMPConnection, resuming: Bool) async throws {
        guard resuming else { return }
        let headers = pipe.resumeAfterReconnect()
        let time = UInt32(truncatingIfNeeded: headers.time)
        var items: [(type: FLVTagType, timestamp: UInt32, payload: ByteBuffer)] = []
        if let metadata = headers.metadata { items.append((.scriptData, time, metadata)) }
        if let video = headers.video { items.append((.video, time, video)) }
        if let audio = headers.audio { items.append((.audio, time, audio)) }
        try await connection.write(connection.encodeMedia(items))
    }

    private func sendQueued(_ connection: RTMPConnection) async throws {
        let start = clockStart.withLockedValue { $0! }
        defer { stats.withLockedValue { $0.bytesSentBefore += connection.bytesSent } }
        while let batch = try await pipe.pop(maxBytes: Self.batchBytes) {
            let chunks = connection.encodeMedia(
                batch.map { ($0.flvType, UInt32(truncatingIfNeeded: $0.time), $0.payload) })
            connection.armDeadline(options.sendTimeout, "\(connection.endpoint.displayName) accepted no data for \(options.sendTimeout) s")
            try await connection.write(chunks)
            connection.disarmDeadline()
            let now = ContinuousClock.now
            stats.withLockedValue { stats in
                for item in batch {
                    stats.mediaBytes += UInt64(item.payload.readableBytes)
                    switch item.kind {
                    case .audio: stats.audioTags += 1
                    case .video: stats.videoTags += 1
                    case .data: stats.dataTags += 1
                    }
                }
                stats.bytesSent = connection.bytesSent + stats.bytesSentBefore
                stats.mediaTime = batch.last!.time
                if options.realtime {
                    let behind = Self.milliseconds(now - start) - Double(batch.last!.time)
                    if stats.pacingSamples.count < 1_000_000 { stats.pacingSamples.append(behind) }
                    stats.pacingMaxBehind = max(stats.pacingMaxBehind, behind)
                    stats.pacingMaxAhead = max(stats.pacingMaxAhead, -behind)
                }
            }
        }
    }

    private func reportStats() async throws {
        guard options.statsInterval > 0 else { return }
        while true {
            try await Task.sleep(for: .milliseconds(Int64(options.statsInterval * 1000)))
            if clockStart.withLockedValue({ $0 != nil }) { onEvent(.stats(currentStats)) }
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}

/// The connection's event iterator, handed from the task that waits for `publish` to the task that watches
/// the rest of the connection: used by one task at a time, never concurrently.
final class EventCursor: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<RTMPConnectionEvent, any Error>.AsyncIterator

    init(_ stream: AsyncThrowingStream<RTMPConnectionEvent, any Error>) {
        iterator = stream.makeAsyncIterator()
    }

    func next() async throws -> RTMPConnectionEvent? {
        try await iterator.next()
    }
}
