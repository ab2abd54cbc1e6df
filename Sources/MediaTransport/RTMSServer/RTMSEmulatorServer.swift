import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import MediaCore
import NIOCore
import NIOWebSocket

/// Serves an `RTMSEmulator` over websockets (HummingbirdWebSocket; `ws://`, or `wss://` with `RTMSServerTLS`): every
/// accepted websocket gets a number, what happens on it is fed to the emulator under one lock, and the emulator's
/// actions are queued per connection in order (one writer task per connection writes them out). A driver task calls
/// `tick` at the emulator's deadlines, at least every 10 ms.
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
        /// Why it stopped: "sessions", "max_seconds", "stopped".
        public var stopReason: String
    }

    private enum Outgoing: Sendable {
        case frame(RTMSServerFrame)
        case close(RTMSServerClose)
    }

    /// The largest message accepted from a client (RTMS client messages are a few hundred bytes).
    static let maxMessageSize = 1 << 20
    /// Longest sleep of the driver between ticks.
    static let maxTickInterval: Double = 0.010
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
    private var writers: [RTMSServerConnection: AsyncStream<Outgoing>.Continuation] = [:]
    private var nextConnection = 1
    /// Websockets whose handler still runs (their last writes may still be going out).
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
                    messagesSent: messagesSent, itemsUnsent: emulator?.itemsUnsent ?? 0, stopReason: reason)
            }
            group.cancelAll()
            return summary
        }
    }

    // MARK: - Driving the emulator

    private static func now() -> Double { Date().timeIntervalSince1970 }

    /// Ticks until a stop condition, then shuts the emulator down and waits for the last writes.
    private func drive(started: Double, maxSeconds: Double?, stopAfterSessions: Int?) async -> String {
        var reason = "stopped"
        while true {
            let now = Self.now()
            let (stop, deadline): (Bool, Double?) = lock.withLock {
                let events = perform(emulator!.tick(now: now))
                emitLater(events)
                if stopRequested { return (true, nil) }
                if let maxSeconds, now - started >= maxSeconds {
                    reason = "max_seconds"
                    return (true, nil)
                }
                if let stopAfterSessions, let e = emulator, e.sessionsEnded >= stopAfterSessions, e.activeSessions == 0 {
                    reason = "sessions"
                    return (true, nil)
                }
                return (false, emulator!.nextDeadline)
            }
            flushEvents()
            if stop { break }
            let wait = min(max((deadline ?? .infinity) - Self.now(), 0.0005), Self.maxTickInterval)
            try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
        }
        lock.withLock { emitLater(perform(emulator!.shutdown(now: Self.now()))) }
        flushEvents()
        let deadline = Self.now() + Self.drainTimeout
        while Self.now() < deadline, lock.withLock({ openSockets > 0 }) {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return reason
    }

    private var pendingEvents: [RTMSServerEvent] = []
    private let eventLock = NSLock()

    /// Called with `lock` held: queue events to report once it is released.
    private func emitLater(_ events: [RTMSServerEvent]) {
        guard !events.isEmpty else { return }
        eventLock.withLock { pendingEvents += events }
    }

    /// Reports queued events, outside `lock`.
    private func flushEvents() {
        let events: [RTMSServerEvent] = eventLock.withLock {
            defer { pendingEvents = [] }
            return pendingEvents
        }
        for event in events { onEvent(event) }
    }

    /// Carries out actions (with `lock` held, so the order of writes on every connection is the emulator's order);
    /// returns the events to report.
    private func perform(_ actions: [RTMSServerAction]) -> [RTMSServerEvent] {
        var events: [RTMSServerEvent] = []
        for action in actions {
            switch action {
            case .send(let connection, let frame):
                if let writer = writers[connection] {
                    writer.yield(.frame(frame))
                    messagesSent += 1
                }
            case .close(let connection, let how):
                if let writer = writers.removeValue(forKey: connection) {
                    writer.yield(.close(how))
                    writer.finish()
                }
            case .emit(let event):
                events.append(event)
            }
        }
        return events
    }

    // MARK: - Connections

    /// A websocket was accepted on `path`: numbers it and tells the emulator. The stream yields what to write.
    private func accepted(path: RTMSServerPath) -> (RTMSServerConnection, AsyncStream<Outgoing>) {
        let (stream, continuation) = AsyncStream<Outgoing>.makeStream()
        let connection: RTMSServerConnection = lock.withLock {
            let connection = RTMSServerConnection(nextConnection)
            nextConnection += 1
            openSockets += 1
            guard emulator != nil else {
                continuation.yield(.close(.normal(reason: "the server is not ready")))
                continuation.finish()
                return connection
            }
            writers[connection] = continuation
            emitLater(perform(emulator!.opened(connection, path: path, now: Self.now())))
            return connection
        }
        flushEvents()
        return (connection, stream)
    }

    private func received(_ connection: RTMSServerConnection, _ bytes: ByteBuffer) {
        lock.withLock {
            guard emulator != nil else { return }
            emitLater(perform(emulator!.received(connection, bytes: bytes, now: Self.now())))
        }
        flushEvents()
    }

    /// The client side of `connection` is gone (close frame, TCP closed, or our own close completed).
    private func ended(_ connection: RTMSServerConnection, reason: String) {
        lock.withLock {
            writers.removeValue(forKey: connection)?.finish()
            guard emulator != nil else { return }
            emitLater(perform(emulator!.closed(connection, reason: reason, now: Self.now())))
        }
        flushEvents()
    }

    /// One websocket's life: the writer drains the connection's queue; the reader feeds messages in.
    private func serve(
        path: RTMSServerPath, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel
    ) async {
        let (connection, queue) = accepted(path: path)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for await item in queue {
                        switch item {
                        case .frame(let frame):
                            try await outbound.write(
                                .custom(WebSocketFrame(fin: true, opcode: frame.binary ? .binary : .text, data: frame.payload)))
                        case .close(.normal(let reason)):
                            try await outbound.close(.normalClosure, reason: String(reason.prefix(120)))
                            return
                        case .close(.abort):
                            try await channel.close()
                            return
                        }
                    }
                } catch {
                    // The connection is gone; the reader sees it end.
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
