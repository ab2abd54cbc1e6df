import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Testing

@testable import MediaTransport

/// `RTMSWebSocket` against a scripted NIO websocket server on 127.0.0.1: what the client reported, and the frames
/// the server got back.
@Suite(.timeLimit(.minutes(1)))
struct RTMSWebSocketTests {
    /// Once upgraded, the server sends `script` (frames without a mask, as a server must) and records every frame
    /// it receives; it closes the connection after the client's close frame.
    final class ScriptedServer: Sendable {
        let channel: any Channel
        private let received = NIOLockedValueBox<[WebSocketFrame]>([])
        let requestURI = NIOLockedValueBox<String?>(nil)

        init(script: [WebSocketFrame], slowClose: (count: Int, interval: TimeAmount)? = nil) async throws {
            let received = self.received
            let requestURI = self.requestURI
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    let upgrader = NIOWebSocketServerUpgrader(
                        maxFrameSize: 1 << 20, automaticErrorHandling: false,
                        shouldUpgrade: { channel, head in
                            requestURI.withLockedValue { $0 = head.uri }
                            return channel.eventLoop.makeSucceededFuture(HTTPHeaders())
                        },
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture {
                                if let slowClose {
                                    try channel.pipeline.syncOperations.addHandler(
                                        SlowCloser(count: slowClose.count, interval: slowClose.interval))
                                } else {
                                    try channel.pipeline.syncOperations.addHandler(
                                        Script(script: script, received: received))
                                }
                            }
                        })
                    return channel.pipeline.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                }
                .bind(host: "127.0.0.1", port: 0).get()
        }

        var port: Int { channel.localAddress?.port ?? 0 }
        var frames: [WebSocketFrame] { received.withLockedValue { $0 } }

        func stop() async throws { try await channel.close() }
    }

    /// After the client's close frame, goes on sending `count` text messages `interval` apart (a server working
    /// through a backlog) before it answers the close and closes the connection.
    final class SlowCloser: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = WebSocketFrame
        typealias OutboundOut = WebSocketFrame
        let count: Int
        let interval: TimeAmount

        init(count: Int, interval: TimeAmount) {
            self.count = count
            self.interval = interval
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            guard frame.opcode == .connectionClose else { return }
            let loop = context.eventLoop
            let bound = NIOLoopBound(context, eventLoop: loop)
            for i in 0...count {
                loop.scheduleTask(in: interval * Int64(i + 1)) {
                    let context = bound.value
                    if i < self.count {
                        context.writeAndFlush(self.wrapOutboundOut(RTMSWebSocketTests.text("backlog \(i)")), promise: nil)
                    } else {
                        let close = RTMSWebSocketTests.frame(.connectionClose, [0x03, 0xE8])
                        context.writeAndFlush(self.wrapOutboundOut(close)).whenComplete { _ in
                            context.close(promise: nil)
                        }
                    }
                }
            }
        }
    }

    final class Script: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = WebSocketFrame
        typealias OutboundOut = WebSocketFrame
        let script: [WebSocketFrame]
        let received: NIOLockedValueBox<[WebSocketFrame]>

        init(script: [WebSocketFrame], received: NIOLockedValueBox<[WebSocketFrame]>) {
            self.script = script
            self.received = received
        }

        func handlerAdded(context: ChannelHandlerContext) {
            for frame in script { context.write(wrapOutboundOut(frame), promise: nil) }
            context.flush()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            received.withLockedValue { $0.append(frame) }
            if frame.opcode == .connectionClose { context.close(promise: nil) }
        }
    }

    final class Events: Sendable {
        private let box = NIOLockedValueBox<[RTMSWebSocketEvent]>([])
        func append(_ event: RTMSWebSocketEvent) { box.withLockedValue { $0.append(event) } }
        var all: [RTMSWebSocketEvent] { box.withLockedValue { $0 } }
    }

    static func frame(_ opcode: WebSocketOpcode, fin: Bool = true, _ bytes: [UInt8]) -> WebSocketFrame {
        WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(bytes: bytes))
    }

    static func text(_ string: String, fin: Bool = true, opcode: WebSocketOpcode = .text) -> WebSocketFrame {
        WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(string: string))
    }

    @Test func joinsFragmentsAnswersPingsAndEchoesTheServersClose() async throws {
        let server = try await ScriptedServer(script: [
            Self.text("{\"msg_type\":", fin: false),
            Self.frame(.ping, Array("p-1".utf8)),  // a control frame may come between fragments (RFC 6455 5.4)
            Self.text("12}", opcode: .continuation),
            Self.frame(.binary, [0, 1, 2]),
            Self.frame(.connectionClose, [0x0F, 0xA1] + Array("bye".utf8)),  // 4001 "bye"
        ])
        let events = Events()
        let socket = RTMSWebSocket.open(url: "ws://127.0.0.1:\(server.port)/media/all?x=1", tls: TLSOptions()) {
            events.append($0)
        }
        await socket.finished()
        try await server.stop()

        let all = events.all
        try #require(all.count == 4, "\(all)")
        guard case .opened = all[0] else { Issue.record("\(all[0])"); return }
        guard case .message(let joined, binary: false) = all[1] else { Issue.record("\(all[1])"); return }
        #expect(String(buffer: joined) == "{\"msg_type\":12}")
        guard case .message(let binary, binary: true) = all[2] else { Issue.record("\(all[2])"); return }
        #expect(Array(binary.readableBytesView) == [0, 1, 2])
        guard case .closed(let reason, let fatal) = all[3] else { Issue.record("\(all[3])"); return }
        #expect(reason == "closed by the server (code 4001, \"bye\")")
        #expect(fatal == nil)

        #expect(server.requestURI.withLockedValue { $0 } == "/media/all?x=1")
        // What came back: the pong with the ping's data, then the close echoing 4001; masked, as from a client.
        let frames = server.frames
        #expect(frames.map(\.opcode) == [.pong, .connectionClose], "\(frames.map(\.opcode))")
        #expect(frames.allSatisfy { $0.maskKey != nil })
        #expect(frames.first.map { Array($0.unmaskedData.readableBytesView) } == Array("p-1".utf8))
        #expect(frames.last.map { Array($0.unmaskedData.readableBytesView) } == [0x0F, 0xA1])
    }

    @Test func aClientCloseSendsCode1000AndSendingAfterItFails() async throws {
        let server = try await ScriptedServer(script: [Self.text("{\"msg_type\":12}")])
        let events = Events()
        let opened = NIOLockedValueBox(false)
        let socket = RTMSWebSocket.open(url: "ws://127.0.0.1:\(server.port)/signaling", tls: TLSOptions()) {
            if case .opened = $0 { opened.withLockedValue { $0 = true } }
            events.append($0)
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while !opened.withLockedValue({ $0 }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try await socket.send(text: ByteBuffer(string: "{\"msg_type\":13}"))
        socket.close()
        await #expect(throws: MediaError.self) { try await socket.send(text: ByteBuffer(string: "late")) }
        await socket.finished()
        try await server.stop()

        let frames = server.frames
        #expect(frames.map(\.opcode) == [.text, .connectionClose], "\(frames.map(\.opcode))")
        #expect(frames.allSatisfy { $0.maskKey != nil })
        #expect(frames.first.map { String(buffer: $0.unmaskedData) } == "{\"msg_type\":13}")
        #expect(frames.last.map { Array($0.unmaskedData.readableBytesView) } == [0x03, 0xE8])
        guard case .closed(_, nil)? = events.all.last else { Issue.record("\(events.all)"); return }
    }

    /// A server with a backlog answers our close frame only after what it queued before it: the socket reads on
    /// while messages keep coming, longer than `closeGrace` in all (cutting the connection after a fixed grace lost
    /// the tail of busy streams in the capacity benchmark).
    @Test func aCloseReadsOnWhileTheServerWorksThroughItsBacklog() async throws {
        let count = 12
        let interval = TimeAmount.milliseconds(250)  // 3 s in all, a message every quarter of the grace
        let server = try await ScriptedServer(script: [], slowClose: (count, interval))
        let events = Events()
        let opened = NIOLockedValueBox(false)
        let socket = RTMSWebSocket.open(url: "ws://127.0.0.1:\(server.port)/media", tls: TLSOptions()) {
            if case .opened = $0 { opened.withLockedValue { $0 = true } }
            events.append($0)
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while !opened.withLockedValue({ $0 }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let started = ContinuousClock.now
        socket.close()
        await socket.finished()
        let took = ContinuousClock.now - started
        try await server.stop()

        let texts = events.all.compactMap { event -> String? in
            guard case .message(let payload, binary: false) = event else { return nil }
            return String(buffer: payload)
        }
        #expect(texts == (0..<count).map { "backlog \($0)" })
        guard case .closed(let reason, nil)? = events.all.last else { Issue.record("\(events.all)"); return }
        #expect(reason == "closed by the server (code 1000)")
        #expect(took > .milliseconds(250 * count) && took < .seconds(10), "\(took)")
    }

    @Test func anUnreachableServerIsNotFatal() async throws {
        // Nothing listens on the port of a closed server.
        let server = try await ScriptedServer(script: [])
        let port = server.port
        try await server.stop()
        let events = Events()
        let socket = RTMSWebSocket.open(url: "ws://127.0.0.1:\(port)/signaling", tls: TLSOptions()) { events.append($0) }
        await socket.finished()
        guard case .closed(let reason, nil)? = events.all.last, events.all.count == 1 else {
            Issue.record("\(events.all)")
            return
        }
        #expect(reason.contains("refused"), "\(reason)")
    }
}
