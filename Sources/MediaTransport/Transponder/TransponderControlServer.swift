import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The control socket of one transponder: a Unix domain socket in the runtime directory, served by the process
/// that publishes. Each connection carries one request line and gets one response line, then it is closed.
///
/// Bounds: a request line is at most `TransponderLineFramer.maxLineBytes` (checked before buffering); a
/// connection that has not sent a whole line within `requestTimeout` is closed; at most `maxConnections` are open
/// at once (more are closed on accept). Only this user can connect at all: the socket lives in the 0700 runtime
/// directory and is itself made 0600.
final class TransponderControlServer: Sendable {
    static let requestTimeout = TimeAmount.seconds(5)
    static let maxConnections = 64
    /// How long `close()` waits for requests being answered (a `stop` answers after the unpublish).
    static let drainTimeout = Duration.seconds(3)

    let path: String
    private let channel: any Channel
    private let tracker: RequestTracker

    private init(path: String, channel: any Channel, tracker: RequestTracker) {
        self.path = path
        self.channel = channel
        self.tracker = tracker
    }

    /// Binds `path` (replacing a stale socket file left by a killed process: the entry that pointed at it is
    /// gone, and ids are never reused) and serves `controller` until `close()`.
    static func start(path: String, controller: any TransponderControllable) async throws -> TransponderControlServer {
        let tracker = RequestTracker()
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 64)
                .childChannelInitializer { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandler(
                            TransponderControlHandler(controller: controller, tracker: tracker))
                    }
                }
                .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
                .get()
        } catch {
            throw MediaError(.io, "cannot listen on the transponder control socket \(path): \(error)")
        }
        chmod(path, 0o600)
        return TransponderControlServer(path: path, channel: channel, tracker: tracker)
    }

    /// Waits (at most `drainTimeout`) for requests being answered, then stops listening and removes the socket.
    func close() async {
        let deadline = ContinuousClock.now + Self.drainTimeout
        while tracker.inFlight > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? await channel.close()
        unlink(path)
    }
}

/// Requests being answered, and connections open.
final class RequestTracker: Sendable {
    private let counts = NIOLockedValueBox((requests: 0, connections: 0))

    var inFlight: Int { counts.withLockedValue { $0.requests } }

    func requestStarted() { counts.withLockedValue { $0.requests += 1 } }
    func requestEnded() { counts.withLockedValue { $0.requests -= 1 } }

    /// False when `TransponderControlServer.maxConnections` are already open.
    func connectionOpened() -> Bool {
        counts.withLockedValue { counts in
            guard counts.connections < TransponderControlServer.maxConnections else { return false }
            counts.connections += 1
            return true
        }
    }

    func connectionClosed() { counts.withLockedValue { $0.connections -= 1 } }
}

/// One control connection: frame the first line, answer it through the controller, close.
final class TransponderControlHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let controller: any TransponderControllable
    private let tracker: RequestTracker
    private var framer = TransponderLineFramer()
    private var answered = false
    private var counted = false
    private var timeout: Scheduled<Void>?

    init(controller: any TransponderControllable, tracker: RequestTracker) {
        self.controller = controller
        self.tracker = tracker
    }

    func channelActive(context: ChannelHandlerContext) {
        guard tracker.connectionOpened() else {
            context.close(promise: nil)
            return
        }
        counted = true
        let channel = context.channel
        timeout = context.eventLoop.scheduleTask(in: TransponderControlServer.requestTimeout) {
            channel.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        if counted { tracker.connectionClosed() }
        counted = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        do {
            try framer.append(unwrapInboundIn(data))
        } catch let error as MediaError {
            answer(context: context, with: .failure(error))
            return
        } catch {
            return
        }
        guard let line = framer.nextLine() else { return }
        timeout?.cancel()
        let request: TransponderRequest
        do {
            request = try TransponderRequest(line: line)
        } catch {
            answer(context: context, with: .failure(error as? MediaError ?? MediaError(.protocolViolation, "\(error)")))
            return
        }
        if request == .status {
            // The common case (`ls` asks every transponder at once): answered right here on the event loop,
            // without a hop to another thread.
            answer(context: context, with: .ok(controller.status()))
            return
        }
        answered = true
        tracker.requestStarted()
        let controller = self.controller
        let tracker = self.tracker
        let channel = context.channel
        Task { await TransponderControlHandler.serve(request, controller: controller, tracker: tracker, channel: channel) }
    }

    /// Answers one request off the event loop (a `stop` waits for the unpublish), then closes the connection.
    static func serve(
        _ request: TransponderRequest, controller: any TransponderControllable, tracker: RequestTracker, channel: any Channel
    ) async {
        let response = await respond(to: request, controller: controller)
        try? await channel.writeAndFlush(line(response))
        try? await channel.close()
        tracker.requestEnded()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(context: ChannelHandlerContext, with response: TransponderResponse) {
        answered = true
        timeout?.cancel()
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(Self.line(response))).whenComplete { _ in channel.close(promise: nil) }
    }

    static func line(_ response: TransponderResponse) -> ByteBuffer {
        var buffer = response.jsonValue.jsonBytes
        buffer.writeInteger(UInt8(ascii: "\n"))
        return buffer
    }

    static func respond(to request: TransponderRequest, controller: any TransponderControllable) async -> TransponderResponse {
        do {
            switch request {
            case .status: break
            case .stop: await controller.stop()
            case .mute: try controller.mute()
            case .unmute: try controller.unmute()
            case .sound(let path, let loop): try await controller.sound(path: path, loop: loop)
            case .soundOff: try controller.soundOff()
            }
            return .ok(controller.status())
        } catch {
            return .failure(error as? MediaError ?? MediaError(.failure, "\(error)"))
        }
    }
}
