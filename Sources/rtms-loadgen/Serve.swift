import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import MediaCore
import NIOCore
import NIOPosix
import NIOWebSocket

/// `rtms-loadgen serve`: one process, any number of streams. Any stream id is accepted (signatures are not
/// checked); the signaling response offers `audio`, `video` and `all` on /media. Media starts at the stream's
/// first client ready ack and runs for --duration seconds at real rate, then the stream ends with a stream state
/// update (terminated, meeting ended). Keep-alives every --keepalive-interval seconds on every connection.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve RTMS load streams on 127.0.0.1.")

    @Option var port = 0
    @Option(help: "Seconds of media per stream.") var duration = 30.0
    @Option(name: .customLong("frame-bytes"), help: "Size of a video delta frame.") var frameBytes = 5000
    @Option(name: .customLong("key-frame-bytes"), help: "Size of a video key frame.") var keyFrameBytes = 40000
    @Option(help: "A key frame every this many frames.") var gop = 60
    @Option(name: .customLong("keepalive-interval")) var keepAliveInterval = 10.0
    @Option(help: "Exit once this many streams have ended (0: only at --max-seconds).") var streams = 0
    @Option(name: .customLong("max-seconds")) var maxSeconds = 600.0

    func run() async throws {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let stats = LoadStats()
        let registry = StreamRegistry()
        let payloads = MediaPayloads(frameBytes: frameBytes, keyFrameBytes: keyFrameBytes, gop: gop)
        let settings = LoadSettings(duration: duration, keepAliveInterval: keepAliveInterval, expectedStreams: streams)
        let done = AsyncStream<Void>.makeStream()
        let router = Router(context: BasicWebSocketRequestContext.self)
        let urlBase = PortBox()
        let ticker = Ticker()
        router.ws("/signaling") { inbound, outbound, _ in
            try await LoadConnection.signaling(
                inbound, outbound, base: urlBase.base, registry: registry, stats: stats, settings: settings,
                ticker: ticker
            ) {
                    if settings.expectedStreams > 0 && $0 >= settings.expectedStreams { done.continuation.finish() }
                }
        }
        for path in ["/media/audio", "/media/video", "/media/all"] {
            router.ws(RouterPath(path)) { inbound, outbound, _ in
                try await LoadConnection.media(
                    inbound, outbound, payloads: payloads, registry: registry, stats: stats, settings: settings,
                    ticker: ticker)
            }
        }
        let logger = Logger(label: "rtms-loadgen", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: Router(),
            server: .http1WebSocketUpgrade(
                webSocketRouter: router,
                configuration: .init(ws: .init(maxFrameSize: 1 << 20))),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                urlBase.set("ws://127.0.0.1:\(bound)")
                Self.output(#"{"ready":true,"port":\#(bound),"signaling_url":"ws://127.0.0.1:\#(bound)/signaling"}"#)
            },
            logger: logger)
        let server = Task { try await app.run() }
        let limit = Task {
            try? await Task.sleep(for: .seconds(maxSeconds))
            done.continuation.finish()
        }
        for await _ in done.stream {}
        try? await Task.sleep(for: .seconds(1))
        server.cancel()
        limit.cancel()
        Self.output(stats.report.jsonString)
    }

    /// One line on stdout, unbuffered (the benchmark script reads it while this runs).
    static func output(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

struct LoadSettings: Sendable {
    var duration: Double
    var keepAliveInterval: Double
    var expectedStreams: Int
}

/// The server's own URL, known once it listens.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func set(_ base: String) { lock.withLock { value = base } }
    var base: String { lock.withLock { value } }
}

/// Per stream: when media may start (the first client ready ack), which media senders are still sending (the
/// stream ends only after its last media message, as a real server drains media before the stream state update),
/// and whether the stream has ended.
final class StreamRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var readyAt: [String: Double] = [:]
    private var ended: Set<String> = []
    private var sending: [String: Int] = [:]

    func senderStarted(_ stream: String) { lock.withLock { sending[stream, default: 0] += 1 } }
    func senderFinished(_ stream: String) { lock.withLock { sending[stream, default: 1] -= 1 } }
    /// True once media started and every sender is done.
    func mediaDone(_ stream: String) -> Bool { lock.withLock { sending[stream].map { $0 <= 0 } ?? false } }

    func ready(_ stream: String, at time: Double) { lock.withLock { if readyAt[stream] == nil { readyAt[stream] = time } } }
    func readyTime(_ stream: String) -> Double? { lock.withLock { readyAt[stream] } }
    func end(_ stream: String) { lock.withLock { _ = ended.insert(stream) } }
    func hasEnded(_ stream: String) -> Bool { lock.withLock { ended.contains(stream) } }
}
