import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import MediaCore
import NIOCore
import NIOPosix
import NIOWebSocket

/// Serves an `RTMSEmulator` over websockets (HummingbirdWebSocket; `ws://`, or `wss://` with `RTMSServerTLS`): every
/// accepted websocket gets a number, what happens on it is fed to the emulator under one lock, and the emulator's
/// actions are carried out in its order. Frames are written straight into the connections' channels, batched per
/// event loop and step (`RTMSOutgoingBatch`); a normal close goes through the websocket handler, so its close
/// handshake is done properly. A repeated task on an event loop ticks the emulator every `tickInterval`.
public final class RTMSEmulatorServer: @unchecked Sendable {
    /// Where the server listens, once it does.
    public struct Ready: Sendable {
        public var port: Int
        /// "ws://127.0.0.1:8765" (or wss://).
        public var baseURL: String
        public var signalingURL: String { baseURL + RTMSServerPath.signalingPath }
    }

    /// What the server did, when it stops.
    public struct Summary: Sendable {
        public var sessionsStarted: Int
        public var sessionsEnded: Int
        public var messagesSent: Int
        public var itemsUnsent: Int
        /// Recorded messages that went out more than 20 ms after their due time, and the worst delay (ms).
        public var itemsLate: Int
        public var maxLagMilliseconds: Int
        /// Why it stopped: "sessions", "max_seconds", "stopped".
        public var stopReason: String
    }

    /// One accepted websocket: its channel (frames are written into it) and the way to its handler (normal close).
    private struct Link {
        var channel: any Channel
        var closer: AsyncStream<String>.Continuation
    }

    /// The largest message accepted from a client (RTMS client messages are a few hundred bytes).
    static let maxMessageSize = 1 << 20
    /// How often the emulator is ticked. Media goes out at most this late: a fifth of a 20 ms audio interval.
    static let tickInterval: Int64 = 4
    /// How long the server waits, when stopping, for its last messages and close frames to go out.
    static let drainTimeout: Double = 3

    private let script: RTMSPlaybackScript
    private var options: RTMSServerOptions
    private let host: String
    private let port: Int
    private let tls: RTMSServerTLS?
    private let onEvent: @Sendable (RTMSServerEvent) -> Void

    private let lock = NSLock()
    private var emulator: RTMSEmulator?
    private var links: [RTMSServerConnection: Link] = [:]
    private var nextConnection = 1
    /// Websockets whose handler still runs (their close handshake may still be going on).
    private var openSockets = 0
    private var messagesSent = 0
    private var stopRequested = false

    /// `options.baseURL` is replaced by the address the server really listens on.
    public init(
        script: RTMSPlaybackScript, options: RTMSServerOptions, host: String, port: Int, tls: RTMSServerTLS?,
        onEvent: @escaping @Sendable (RTMSServerEvent) -> Void
    ) {
        self.script = script
        self.options = options
        self.host = host
        self.port = port
        self.tls = tls
        self.onEvent = onEvent
    }

    /// Stop soon: every session ends (stream terminated), then `run` returns.
    public func requestStop() {
        lock.withLock { stopRequested = true }
    }

    /// Listens, calls `onReady`, serves until `stopAfterSessions` sessions have ended, `maxSeconds` have passed or
    /// `requestStop()`, then ends every session and returns. Throws `.usage` when the address cannot be bound.
    public func run(
        maxSeconds: Double?, stopAfterSessions: Int?, onReady: @escaping @Sendable (Ready) async throws -> Void
    ) async throws -> Summary {
        let (readyStream, readyContinuation) = AsyncStream<Int>.makeStream()
        let application = try makeApplication { port in readyContinuation.yield(port) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await application.run()
                } catch {
                    readyContinuation.finish()
                    throw error
                }
                readyContinuation.finish()
            }
            var iterator = readyStream.makeAsyncIterator()
            guard let boundPort = await iterator.next() else {
                // The server task ended before listening: its error says why.
                do {
                    try await group.next()
                } catch {
                    throw Self.bindError(error, host: host, port: port)
                }
                throw MediaError(.failure, "the RTMS server stopped before it listened on \(host):\(port)")
            }
            let scheme = tls == nil ? "ws" : "wss"
            let advertised = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host.contains(":") ? "[\(host)]" : host
            let ready = Ready(port: boundPort, baseURL: "\(scheme)://\(advertised):\(boundPort)")
            lock.withLock {
                options.baseURL = ready.baseURL
                emulator = RTMSEmulator(script: script, options: options)
            }
            let started = Date().timeIntervalSince1970
            do {
                try await onReady(ready)
            } catch {
                group.cancelAll()
                throw error
            }
            let reason = await drive(started: started, maxSeconds: maxSeconds, stopAfterSessions: stopAfterSessions)
            let summary = lock.withLock {
                Summary(
                    sessionsStarted: emulator?.sessionsStarted ?? 0, sessionsEnded: emulator?.sessionsEnded ?? 0,
                    messagesSent: messagesSent, itemsUnsent: emulator?.itemsUnsent ?? 0,
                    itemsLate: emulator?.itemsLate ?? 0, maxLagMilliseconds: Int(((emulator?.maxLag ?? 0) * 1000).rounded()),
                    stopReason: reason)
            }
            group.cancelAll()
            return summary
        }
    }

    // MARK: - Driving the emulator

    private static func now() -> Double { Date().timeIntervalSince1970 }

    /// Ticks on an event loop until a stop condition, then shuts the emulator down and waits for the last writes.
    private func drive(started: Double, maxSeconds: Double?, stopAfterSessions: Int?) async -> String {
        let (stopped, stop) = AsyncStream<String>.makeStream()
        let interval = TimeAmount.milliseconds(Self.tickInterval)
        // On one of the connections' event loops: its share of the writes is done inline, without a hop (a ticker
        // thread of its own measured slower end to end on two cores: every write became a cross-thread task).
        let ticker = MultiThreadedEventLoopGroup.singleton.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) {
            [self] _ in
            let now = Self.now()
            let reason: String? = lock.withLock {
                perform(emulator!.tick(now: now))
                if stopRequested { return "stopped" }
                if let maxSeconds, now - started >= maxSeconds { return "max_seconds" }
                if let stopAfterSessions, let e = emulator, e.sessionsEnded >= stopAfterSessions, e.activeSessions == 0 {
                    return "sessions"
                }
                return nil
            }
            flushEvents()
            if let reason { stop.yield(reason) }
        }
        var iterator = stopped.makeAsyncIterator()
        let reason = await iterator.next() ?? "stopped"
        ticker.cancel()
        lock.withLock { perform(emulator!.shutdown(now: Self.now())) }
        flushEvents()
        let deadline = Self.now() + Self.drainTimeout
        while Self.now() < deadline, lock.withLock({ openSockets > 0 }) {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return reason
    }

    private var pendingEvents: [RTMSServerEvent] = []

    /// Reports queued events, outside `lock`.
    private func flushEvents() {
        let events: [RTMSServerEvent] = lock.withLock {
            defer { pendingEvents = [] }
            return pendingEvents
        }
        for event in events { onEvent(event) }
    }

    /// Carries out actions, with `lock` held so that the order of writes on every connection is the emulator's
    /// order; events are queued for `flushEvents()`.
    private func perform(_ actions: [RTMSServerAction]) {
        var batch = RTMSOutgoingBatch()
        for action in actions {
            switch action {
            case .send(let connection, let frame):
                guard let link = links[connection] else { continue }
                let opcode: WebSocketOpcode = frame.binary ? .binary : .text
                batch.add(.frame(WebSocketFrame(fin: true, opcode: opcode, data: frame.payload)), on: link.channel)
                messagesSent += 1
            case .close(let connection, .normal(let reason)):
                guard let link = links.removeValue(forKey: connection) else { continue }
                // The handler sends the close frame after the frames submitted before it (one loop, in order).
                batch.submit()
                batch = RTMSOutgoingBatch()
                link.closer.yield(reason)
                link.closer.finish()
            case .close(let connection, .abort):
                guard let link = links.removeValue(forKey: connection) else { continue }
                batch.add(.abort, on: link.channel)
                link.closer.finish()
            case .emit(let event):
                pendingEvents.append(event)
            }
        }
        batch.submit()
    }

    // MARK: - Connections

    /// A websocket was accepted on `path`: numbers it and tells the emulator. The stream yields the reason of a
    /// normal close the server wants.
    private func accepted(path: RTMSServerPath, channel: any Channel) -> (RTMSServerConnection, AsyncStream<String>) {
        let (closes, closer) = AsyncStream<String>.makeStream()
        let connection: RTMSServerConnection = lock.withLock {
            let connection = RTMSServerConnection(nextConnection)
            nextConnection += 1
            openSockets += 1
            guard emulator != nil else {
                closer.yield("the server is not ready")
                closer.finish()
                return connection
            }
            links[connection] = Link(channel: channel, closer: closer)
            perform(emulator!.opened(connection, path: path, now: Self.now()))
            return connection
        }
        flushEvents()
        return (connection, closes)
    }

    private func received(_ connection: RTMSServerConnection, _ bytes: ByteBuffer) {
        lock.withLock {
            guard emulator != nil else { return }
            perform(emulator!.received(connection, bytes: bytes, now: Self.now()))
        }
        flushEvents()
    }

    /// The client side of `connection` is gone (close frame, TCP closed, or our own close completed).
    private func ended(_ connection: RTMSServerConnection, reason: String) {
        lock.withLock {
            links.removeValue(forKey: connection)?.closer.finish()
            guard emulator != nil else { return }
            perform(emulator!.closed(connection, reason: reason, now: Self.now()))
        }
        flushEvents()
    }

    /// One websocket's life: the reader feeds messages in; a second task closes the websocket when the server
    /// asks for a normal close (its frames are written straight into the channel by `perform`).
    private func serve(
        path: RTMSServerPath, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel
    ) async {
        let (connection, closes) = accepted(path: path, channel: channel)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await reason in closes {
                    try? await outbound.close(.normalClosure, reason: String(reason.prefix(120)))
                    return
                }
            }
            var why = "closed by the client"
            do {
                for try await message in inbound.messages(maxSize: Self.maxMessageSize) {
                    switch message {
                    case .text(let text): received(connection, ByteBuffer(string: text))
                    case .binary(let bytes): received(connection, bytes)
                    }
                }
            } catch {
                why = "connection lost: \(error)"
            }
            ended(connection, reason: why)
            group.cancelAll()
        }
        lock.withLock { openSockets -= 1 }
    }

    private func makeApplication(onListening: @escaping @Sendable (Int) -> Void) throws -> some ApplicationProtocol {
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(),
            ws: WebSocketServerConfiguration(
                maxFrameSize: Self.maxMessageSize, autoPing: .disabled, closeTimeout: .seconds(2)))
        let websocket = HTTPServerBuilder.http1WebSocketUpgrade(configuration: configuration) {
            [self] request, channel, _ in
            guard let path = RTMSServerPath(path: request.path ?? "") else { return .dontUpgrade }
            return .upgrade([:]) { inbound, outbound, _ in
                await self.serve(path: path, inbound: inbound, outbound: outbound, channel: channel)
            }
        }
        let server = try tls.map { try HTTPServerBuilder.tls(websocket, tlsConfiguration: $0.configuration()) } ?? websocket
        let router = Router()
        router.get("/") { _, _ in "mediactl RTMS emulator: connect a websocket to \(RTMSServerPath.signalingPath)\n" }
        return Application(
            router: router, server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "mediactl.rtms-serve", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    private static func bindError(_ error: any Error, host: String, port: Int) -> MediaError {
        if let error = error as? MediaError { return error }
        return MediaError(.usage, "cannot listen on \(host):\(port): \(error)")
    }
}
