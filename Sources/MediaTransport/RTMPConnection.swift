import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// What a live RTMP connection reports to the code that uses it.
public enum RTMPConnectionEvent: Sendable, Equatable {
    case connected(RTMPServerInfo)
    case streamStarted(streamID: UInt32, status: RTMPStatus)
    case status(RTMPStatus)
    case metadata(AMF0Object)
    case media(RTMPMessage)
    /// `connect` was refused; the description may carry an authentication challenge.
    case connectRejected(RTMPStatus)
    case reconnectRequested(tcUrl: String?)
}

/// `connect` was refused: thrown by code that uses a connection so that its caller can answer an
/// authentication challenge on a new connection.
public struct RTMPConnectRejected: Error, Sendable {
    public var status: RTMPStatus
    public init(status: RTMPStatus) { self.status = status }
}

/// Where to connect and how.
public struct RTMPEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// TLS options for `rtmps://`; nil for plain TCP.
    public var tls: TLSOptions?
    /// Local address to bind before connecting (`--bind`).
    public var bindAddress: String?
    public var connectTimeout: Double

    public init(host: String, port: Int, tls: TLSOptions? = nil, bindAddress: String? = nil, connectTimeout: Double = 10) {
        self.host = host
        self.port = port
        self.tls = tls
        self.bindAddress = bindAddress
        self.connectTimeout = connectTimeout
    }

    var displayName: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Milliseconds since the connection attempt began, at each step (for `rtmp probe`).
public struct RTMPConnectionTimings: Sendable, Equatable {
    public var tcpConnected: Double?
    public var handshakeDone: Double?
    /// From writing C0+C1 to the first bytes of S0+S1: one round trip plus the server's turn-around.
    public var handshakeRoundTrip: Double?
    public var connectResult: Double?
    public var streamStarted: Double?
}

/// One RTMP client connection over TCP or TLS: NIO does the I/O, `RTMPClientHandshake`, `RTMPChunkDecoder`,
/// `RTMPChunkEncoder` and `RTMPClientSession` from the core do the protocol. A reader task answers the server
/// (acknowledgements, pings, the publish conversation) and turns the rest into `events`; the caller writes
/// media with `send(_:)`.
///
/// Writers: the reader writes only protocol control (chunk stream 2) and command chunk streams; the caller
/// writes only media chunk streams. Each chunk stream therefore has one writer at a time, and its header
/// compression stays consistent even though two tasks write.
public final class RTMPConnection: Sendable {
    public let endpoint: RTMPEndpoint
    public let events: AsyncThrowingStream<RTMPConnectionEvent, any Error>
    private let eventSink: AsyncThrowingStream<RTMPConnectionEvent, any Error>.Continuation
    private let channel: any Channel
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let state: NIOLockedValueBox<State>
    private let started: NIODeadline
    /// The first error the pipeline saw (a TLS failure closes the channel, and a write may report only that).
    private let errors: FirstErrorRecorder

    struct State {
        var session: RTMPClientSession
        var encoder = RTMPChunkEncoder()
        var decoder = RTMPChunkDecoder()
        var bytesSent: UInt64 = 0
        var timings = RTMPConnectionTimings()
        var deadline: Scheduled<Void>?
        var deadlineReason: String?
        var failure: MediaError?
        /// Writes handed to the channel and not completed yet.
        var writesInFlight = 0
        /// The first write that failed.
        var writeFailure: (any Error)?
        /// Writers (the caller, the reader answering the server) waiting until at most `limit` writes are in flight.
        var writeWaiters: [(limit: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private init(
        endpoint: RTMPEndpoint, channel: any Channel, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        session: RTMPClientSession, started: NIODeadline, errors: FirstErrorRecorder
    ) {
        self.errors = errors
        self.endpoint = endpoint
        self.channel = channel
        self.outbound = outbound
        self.started = started
        self.state = NIOLockedValueBox(State(session: session))
        (events, eventSink) = AsyncThrowingStream.makeStream(of: RTMPConnectionEvent.self)
        state.withLockedValue { $0.timings.tcpConnected = Self.milliseconds(since: started) }
    }

    /// Connects, runs the handshake and the session in the background, and calls `body` with the connection.
    /// The connection is closed when `body` returns or throws.
    public static func run<Result: Sendable>(
        endpoint: RTMPEndpoint,
        session configuration: RTMPClientSession.Configuration,
        body: @Sendable (RTMPConnection) async throws -> Result
    ) async throws -> Result {
        let started = NIODeadline.now()
        let group = MultiThreadedEventLoopGroup.singleton
        let sslContext = try endpoint.tls?.makeContext()
        var bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(endpoint.connectTimeout * 1000)))
            // At the TCP level: `.socketOption(.tcp_nodelay)` is SOL_SOCKET option 1, SO_DEBUG, which Linux refuses
            // (EACCES) to a process without CAP_NET_ADMIN, so connecting failed for every user but root.
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
        if let bind = endpoint.bindAddress {
            do {
                bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: bind, port: 0))
            } catch {
                throw MediaError(.usage, "--bind \(bind): not a local IP address")
            }
        }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        let errors = FirstErrorRecorder()
        do {
            channel = try await bootstrap.connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let handler = try NIOSSLClientHandler(
                            context: sslContext, serverHostname: TLSOptions.serverHostname(for: endpoint.host))
                        try channel.pipeline.syncOperations.addHandler(handler)
                        try channel.pipeline.syncOperations.addHandler(errors)
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 16)))
                }
            }
        } catch {
            throw TransportError.map(error, endpoint: endpoint.displayName)
        }
        let rawChannel = channel.channel
        return try await channel.executeThenClose { inbound, outbound in
            let connection = RTMPConnection(
                endpoint: endpoint, channel: rawChannel, outbound: outbound,
                session: RTMPClientSession(configuration: configuration), started: started, errors: errors)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await connection.readLoop(inbound) }
                defer { group.cancelAll() }
                do {
                    return try await body(connection)
                } catch let rejection as RTMPConnectRejected {
                    throw rejection
                } catch {
                    throw connection.explain(error)
                }
            }
        }
    }

    // MARK: Writing

    /// Encodes the messages into one buffer and writes it with one call (the number of send calls decides
    /// the speed); suspends while the socket is not writable.
    public func send(_ messages: [RTMPMessage]) async throws {
        guard !messages.isEmpty else { return }
        let buffer = encode(messages)
        try await write(buffer)
    }

    /// Encodes media messages for the published stream; `items` are FLV tag type, timestamp and payload. Payloads
    /// are not copied: the list holds slices of them between the chunk headers.
    public func encodeMedia(_ items: [(type: FLVTagType, timestamp: UInt32, payload: ByteBuffer)]) -> RTMPChunkList {
        state.withLockedValue { state in
            // Headers (at most 18 bytes for a message's first chunk, 8 for each further one) and copied payloads.
            let copyLimit = RTMPChunkList.defaultCopyLimit
            var capacity = 64
            for item in items {
                let length = item.payload.readableBytes
                capacity += 18 + length / max(state.encoder.chunkSize, 1) * 8 + (length < copyLimit ? length : 0)
            }
            var list = RTMPChunkList(copyLimit: copyLimit, capacity: capacity, allocator: channel.allocator)
            for item in items {
                let message = state.session.mediaMessage(type: item.type, timestamp: item.timestamp, payload: item.payload)
                state.encoder.encode(message, into: &list)
            }
            return list
        }
    }

    /// `@setDataFrame onMetaData` for the published stream.
    public func metadataMessage(_ metadata: AMF0Object) -> RTMPMessage {
        state.withLockedValue { $0.session.metadataMessage(metadata) }
    }

    /// Writes without waiting for this buffer to reach the socket, but waits for the one before it: at most two
    /// buffers are in flight, so memory stays bounded by two batches whatever the link does. (The async writer
    /// alone lets a fast producer queue many writes before the channel reports that it is not writable.)
    public func write(_ buffer: ByteBuffer) async throws {
        try await write([buffer], count: buffer.readableBytes)
    }

    /// Writes the pieces of `chunks` together (NIO gathers pieces flushed together into one `writev`), with the
    /// same bound on what is in flight as `write(_:)` with one buffer.
    public func write(_ chunks: RTMPChunkList) async throws {
        try await write(chunks.buffers, count: chunks.readableBytes)
    }

    private func write(_ buffers: [ByteBuffer], count: Int) async throws {
        state.withLockedValue { $0.writesInFlight += 1 }
        let channel = self.channel
        // One hop to the event loop for all pieces, then one flush: one vector write when the socket takes it.
        @Sendable func writeAll() {
            let promise = channel.eventLoop.makePromise(of: Void.self)
            for buffer in buffers.dropLast() {
                channel.write(buffer, promise: nil)
            }
            if let last = buffers.last {
                channel.writeAndFlush(last, promise: promise)
            } else {
                promise.succeed(())
            }
            promise.futureResult.whenComplete { result in self.writeCompleted(result) }
        }
        if channel.eventLoop.inEventLoop {
            writeAll()
        } else {
            channel.eventLoop.execute(writeAll)
        }
        try await waitForWrites(atMost: 1)
        state.withLockedValue { $0.bytesSent += UInt64(count) }
    }

    /// Waits until everything written so far reached the socket.
    public func drain() async throws {
        try await waitForWrites(atMost: 0)
    }

    /// Suspends only when more than `limit` writes are in flight (a write that already completed costs no hop to
    /// the event loop and back); throws the first write failure.
    private func waitForWrites(atMost limit: Int) async throws {
        let ready = state.withLockedValue { $0.writesInFlight <= limit || $0.writeFailure != nil }
        if !ready {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLockedValue { state -> Bool in
                    guard state.writesInFlight > limit, state.writeFailure == nil else { return true }
                    state.writeWaiters.append((limit, continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        if let failure = state.withLockedValue({ $0.writeFailure }) {
            throw explain(failure)
        }
    }

    private func writeCompleted(_ result: Result<Void, any Error>) {
        let ready = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.writesInFlight -= 1
            if case .failure(let error) = result, state.writeFailure == nil { state.writeFailure = error }
            guard !state.writeWaiters.isEmpty else { return [] }
            let inFlight = state.writesInFlight
            let failed = state.writeFailure != nil
            var ready: [CheckedContinuation<Void, Never>] = []
            state.writeWaiters.removeAll { waiter in
                guard failed || inFlight <= waiter.limit else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// `FCUnpublish` and `deleteStream`, written before closing.
    public func stop() async {
        let actions = state.withLockedValue { $0.session.stop() }
        let messages = actions.compactMap { action -> RTMPMessage? in
            if case .send(let message) = action { return message }
            return nil
        }
        try? await send(messages)
        try? await drain()
    }

    private func encode(_ messages: [RTMPMessage]) -> ByteBuffer {
        state.withLockedValue { state in
            var buffer = channel.allocator.buffer(capacity: messages.reduce(64) { $0 + $1.payload.readableBytes + 18 })
            for message in messages { state.encoder.encode(message, into: &buffer) }
            return buffer
        }
    }

    // MARK: State

    public var bytesSent: UInt64 { state.withLockedValue { $0.bytesSent } }
    public var bytesReceived: UInt64 { state.withLockedValue { $0.decoder.bytesReceived } }
    public var timings: RTMPConnectionTimings { state.withLockedValue { $0.timings } }
    public var serverInfo: RTMPServerInfo { state.withLockedValue { $0.session.serverInfo } }
    public var outgoingChunkSize: Int { state.withLockedValue { $0.encoder.chunkSize } }

    /// Closes the connection with a timeout error unless `disarmDeadline()` is called within `seconds`.
    public func armDeadline(_ seconds: Double, _ reason: String) {
        let task = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) { [self] in
            state.withLockedValue { $0.deadlineReason = reason }
            channel.close(promise: nil)
        }
        let previous = state.withLockedValue { state -> Scheduled<Void>? in
            defer { state.deadline = task }
            return state.deadline
        }
        previous?.cancel()
    }

    public func disarmDeadline() {
        state.withLockedValue { state -> Scheduled<Void>? in
            defer { state.deadline = nil }
            return state.deadline
        }?.cancel()
    }

    /// Closes the socket at once (for example on SIGINT or a test of reconnection).
    public func close() {
        channel.close(promise: nil)
    }

    /// The most telling error: a deadline that fired, then what the reader learnt, then the error itself.
    func explain(_ error: any Error) -> MediaError {
        state.withLockedValue { state in
            if let reason = state.deadlineReason { return MediaError(.timeout, reason) }
            if let failure = state.failure { return failure }
            if let first = errors.first, TransportError.map(first, endpoint: "").kind == .tls {
                return TransportError.map(first, endpoint: endpoint.displayName)
            }
            return TransportError.map(error, endpoint: endpoint.displayName)
        }
    }

    // MARK: Reading

    private func readLoop(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async {
        do {
            var iterator = inbound.makeAsyncIterator()
            quickAcknowledgeWhileConnecting()
            var leftover = try await handshake(&iterator)
            try await perform(state.withLockedValue { $0.session.start() })
            while true {
                if leftover.readableBytes > 0 {
                    try await process(leftover)
                }
                guard let next = try await iterator.next() else { break }
                leftover = next
                quickAcknowledgeWhileConnecting()
            }
            let error = explain(ChannelError.eof)
            eventSink.finish(throwing: error)
        } catch {
            let mapped = explain(error)
            state.withLockedValue { if $0.failure == nil { $0.failure = mapped } }
            eventSink.finish(throwing: mapped)
            channel.close(promise: nil)
        }
    }

    private func handshake(_ iterator: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async throws
        -> ByteBuffer
    {
        var random = SystemRandomNumberGenerator()
        // Eight bytes per draw: each draw is a getrandom call.
        var randomBytes: [UInt8] = []
        randomBytes.reserveCapacity(1528)
        while randomBytes.count < 1528 {
            withUnsafeBytes(of: random.next() as UInt64) { randomBytes.append(contentsOf: $0) }
        }
        var handshake = RTMPClientHandshake(time: 0, randomBytes: randomBytes)
        try await outbound.write(handshake.start())
        let sent = NIODeadline.now()
        var first = true
        while let bytes = try await iterator.next() {
            if first {
                first = false
                state.withLockedValue { $0.timings.handshakeRoundTrip = Self.milliseconds(since: sent) }
            }
            var bytes = bytes
            for action in try handshake.receive(&bytes) {
                switch action {
                case .send(let buffer):
                    try await outbound.write(buffer)
                case .completed(let leftover):
                    state.withLockedValue { $0.timings.handshakeDone = Self.milliseconds(since: started) }
                    return leftover
                }
            }
        }
        throw MediaError(.peerUnavailable, "\(endpoint.displayName) closed the connection during the RTMP handshake")
    }

    private func process(_ bytes: ByteBuffer) async throws {
        let actions = try state.withLockedValue { state -> [RTMPClientSession.Action] in
            state.decoder.append(bytes)
            var actions: [RTMPClientSession.Action] = []
            while let message = try state.decoder.nextMessage() {
                actions += try state.session.receive(message)
            }
            actions += state.session.bytesRead(state.decoder.bytesReceived)
            return actions
        }
        try await perform(actions)
    }

    private func perform(_ actions: [RTMPClientSession.Action]) async throws {
        var pending: [RTMPMessage] = []
        for action in actions {
            switch action {
            case .send(let message):
                pending.append(message)
            case .setOutgoingChunkSize(let size):
                let buffer = encode(pending)
                pending.removeAll()
                state.withLockedValue { $0.encoder.setChunkSize(size) }
                if buffer.readableBytes > 0 { try await write(buffer) }
            case .connected(let info):
                state.withLockedValue { $0.timings.connectResult = Self.milliseconds(since: started) }
                eventSink.yield(.connected(info))
            case .streamStarted(let id, let status):
                state.withLockedValue { $0.timings.streamStarted = Self.milliseconds(since: started) }
                eventSink.yield(.streamStarted(streamID: id, status: status))
            case .status(let status):
                eventSink.yield(.status(status))
            case .metadata(let object):
                eventSink.yield(.metadata(object))
            case .media(let message):
                eventSink.yield(.media(message))
            case .connectRejected(let status):
                eventSink.yield(.connectRejected(status))
            case .reconnectRequested(let tcUrl):
                eventSink.yield(.reconnectRequested(tcUrl: tcUrl))
            case .failed(let error):
                state.withLockedValue { $0.failure = error }
                throw error
            }
        }
        if !pending.isEmpty { try await send(pending) }
    }

    /// A server that writes its connect answer in several small sends (nginx-rtmp does) and has Nagle on waits
    /// for our ACK between them, and Linux delays that ACK by up to 40 ms: three times per connect. Asking for
    /// immediate ACKs (TCP_QUICKACK, which Linux clears again by itself) until the stream starts removes that.
    private func quickAcknowledgeWhileConnecting() {
        #if os(Linux)
            guard state.withLockedValue({ $0.timings.streamStarted == nil }) else { return }
            _ = channel.setOption(ChannelOptions.Types.SocketOption(level: .tcp, name: .init(rawValue: CInt(TCP_QUICKACK))), value: 1)
        #endif
    }

    static func milliseconds(since start: NIODeadline) -> Double {
        Double((NIODeadline.now() - start).nanoseconds) / 1_000_000
    }
}

/// Remembers the first error that passed through the pipeline, and passes it on.
final class FirstErrorRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private let box = NIOLockedValueBox<(any Error)?>(nil)

    var first: (any Error)? { box.withLockedValue { $0 } }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        box.withLockedValue { if $0 == nil { $0 = error } }
        context.fireErrorCaught(error)
    }
}
