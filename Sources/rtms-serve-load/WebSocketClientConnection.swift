import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A bare websocket client connection for the load generator: an HTTP upgrade, then whole text frames in (handed
/// to `onMessage` on the channel's event loop) and masked text frames out. No TLS, no fragmented messages (the
/// emulator sends every message in one frame).
/// Confined to its channel's event loop.
final class WebSocketClientConnection: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let onMessage: (ByteBuffer) -> Void
    private let onClose: () -> Void
    private var context: ChannelHandlerContext?

    init(onMessage: @escaping (ByteBuffer) -> Void, onClose: @escaping () -> Void) {
        self.onMessage = onMessage
        self.onClose = onClose
    }

    /// Opens `ws://host:port/path` on `loop`; the future completes once the upgrade is done.
    static func connect(
        host: String, port: Int, path: String, on loop: any EventLoop,
        onMessage: @escaping (ByteBuffer) -> Void, onClose: @escaping () -> Void
    ) -> EventLoopFuture<WebSocketClientConnection> {
        let upgraded = loop.makePromise(of: WebSocketClientConnection.self)
        let handler = NIOLoopBound(WebSocketClientConnection(onMessage: onMessage, onClose: onClose), eventLoop: loop)
        let bootstrap = ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
                let upgrader = NIOWebSocketClientUpgrader(
                    requestKey: key, maxFrameSize: 1 << 24, automaticErrorHandling: true,
                    upgradePipelineHandler: { channel, _ in
                        channel.pipeline.addHandler(handler.value).map { upgraded.succeed(handler.value) }
                    })
                let configuration: NIOHTTPClientUpgradeConfiguration = (
                    upgraders: [upgrader], completionHandler: { _ in }
                )
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(withClientUpgrade: configuration)
                    try channel.pipeline.syncOperations.addHandler(UpgradeRequest(host: host, port: port, path: path))
                }
            }
        bootstrap.connect(host: host, port: port).whenComplete { result in
            switch result {
            case .success(let channel):
                channel.closeFuture.whenComplete { _ in upgraded.fail(ChannelError.alreadyClosed) }
            case .failure(let error):
                upgraded.fail(error)
            }
        }
        return upgraded.futureResult
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelInactive(context: ChannelHandlerContext) {
        self.context = nil
        onClose()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            onMessage(frame.unmaskedData)
        case .ping:
            send(frame.unmaskedData, opcode: .pong)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }

    func send(_ bytes: ByteBuffer, opcode: WebSocketOpcode = .text) {
        guard let context else { return }
        let mask = WebSocketMaskingKey.random()
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: opcode, maskKey: mask, data: bytes)), promise: nil)
    }

    func close() { context?.close(promise: nil) }
}

/// Sends the HTTP GET that the upgrade handler turns into a websocket upgrade request.
private final class UpgradeRequest: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let host: String
    let port: Int
    let path: String

    init(host: String, port: Int, path: String) {
        self.host = host
        self.port = port
        self.path = path
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Content-Length", value: "0")
        context.write(wrapOutboundOut(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
        // The upgrade handler takes it from here; websocket frames must not come through this handler.
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A failed upgrade: nothing else will use this connection.
        context.close(promise: nil)
    }
}
