import MediaCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends one control request to a transponder's socket and reads its one-line answer.
enum TransponderClient {
    enum Outcome: Sendable {
        case answered(TransponderResponse)
        /// Nobody listens on the socket (refused, or the socket file is gone): the process has ended.
        case gone
        /// The process did not answer in time or answered nonsense.
        case failed(MediaError)
    }

    static func send(_ request: TransponderRequest, socketPath: String, timeout: Duration) async -> Outcome {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let promise = loop.makePromise(of: ByteBuffer.self)
        let nanoseconds = Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(.nanoseconds(nanoseconds))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ResponseLineHandler(promise))
                    }
                }
                .connect(unixDomainSocketPath: socketPath)
                .get()
        } catch {
            promise.fail(error)
            if Self.isGone(error) { return .gone }
            return .failed(MediaError(.peerUnavailable, "cannot reach the control socket \(socketPath): \(error)"))
        }
        let timer = loop.scheduleTask(in: .nanoseconds(nanoseconds)) {
            promise.fail(MediaError(.timeout, "no answer within \(Self.seconds(timeout)) s"))
            channel.close(promise: nil)
        }
        var line = request.jsonValue.jsonBytes
        line.writeInteger(UInt8(ascii: "\n"))
        channel.writeAndFlush(line, promise: nil)
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        do {
            return .answered(try TransponderResponse(line: try await promise.futureResult.get()))
        } catch let error as MediaError {
            return .failed(error)
        } catch {
            return .failed(MediaError(.peerUnavailable, "control socket \(socketPath): \(error)"))
        }
    }

    static func isGone(_ error: any Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED || error.errnoCode == ENOENT }
        if let error = error as? NIOConnectionError { return error.connectionErrors.contains { isGone($0.error) } }
        return false
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// Completes the promise with the first line the transponder sends.
private final class ResponseLineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<ByteBuffer>
    private var framer = TransponderLineFramer()

    init(_ promise: EventLoopPromise<ByteBuffer>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            try framer.append(unwrapInboundIn(data))
        } catch {
            promise.fail(error)
            context.close(promise: nil)
            return
        }
        if let line = framer.nextLine() {
            promise.succeed(line)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(MediaError(.protocolViolation, "the transponder closed its control connection without answering"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
