import Dispatch
import Logging
import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import NIOWebSocket
import WSClient

/// What one websocket reports to its owner, in order: `opened` once the upgrade succeeded, then each complete
/// message, then `closed` exactly once (also when it never opened).
enum RTMSWebSocketEvent: Sendable {
    case opened
    /// A whole websocket message (continuation frames joined), its payload exactly as received.
    case message(ByteBuffer, binary: Bool)
    case closed(reason: String)
}

/// One client websocket (`ws://` or `wss://`) over WSClient: text and binary messages in, JSON text out, close.
/// The owner's `onEvent` is awaited for every message before the next frame is read, so a slow owner slows the
/// socket down (TCP back-pressure) instead of queueing messages in memory.
final class RTMSWebSocket: Sendable {
    /// Larger than any RTMS message (the recording format's record limit); checked before a message is joined.
    static let maxMessageBytes = RTMSRecordingFormat.maxPayloadBytes
    /// One websocket frame may be this large (an H.264 key frame in base64 is a few hundred KiB).
    static let maxFrameBytes = 16 << 20
    /// How long a close waits for the server's close frame before the connection is cut.
    static let closeGrace: Duration = .seconds(2)
    /// Before its close frame goes out, a socket is read until it has been quiet this long (messages the server
    /// sent before it ended the stream may still be queued when a busy client gets to the end)...
    static let quietBeforeClose = 0.2
    /// ...but not longer than this.
    static let maxDrainBeforeClose = 30.0

    let url: String
    private let state = NIOLockedValueBox(State())

    private struct State {
        var writer: WebSocketOutboundWriter?
        var task: Task<Void, Never>?
        var closing = false
        /// Monotonic seconds of the last message received.
        var lastMessage = 0.0
    }

    private init(url: String) {
        self.url = url
    }

    /// Starts connecting to `url`; everything that happens is reported through `onEvent`.
    static func open(
        url: String, tls: TLSOptions, onEvent: @escaping @Sendable (RTMSWebSocketEvent) async -> Void
    ) -> RTMSWebSocket {
        let socket = RTMSWebSocket(url: url)
        let task = Task { await socket.run(tls: tls, onEvent: onEvent) }
        socket.state.withLockedValue { $0.task = task }
        return socket
    }

    /// Sends one text message. Errors mean the socket is going away; its `closed` event tells why.
    func send(text: ByteBuffer) async throws {
        guard let writer = state.withLockedValue({ $0.closing ? nil : $0.writer }) else {
            throw MediaError(.peerUnavailable, "websocket \(url) is not open")
        }
        try await writer.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: text)))
    }

    /// Starts a clean close: a close frame with code 1000 (with `drain`, only once the socket has been quiet for
    /// `quietBeforeClose`, at most `maxDrainBeforeClose`); the connection is cut if the server does not answer
    /// within `closeGrace`. Messages that arrive meanwhile are still reported.
    func close(drain: Bool = false) {
        let (writer, task) = state.withLockedValue { state -> (WebSocketOutboundWriter?, Task<Void, Never>?) in
            guard !state.closing else { return (nil, nil) }
            state.closing = true
            return (state.writer, state.task)
        }
        guard let task else { return }
        Task {
            let started = Self.monotonic()
            while drain && Self.monotonic() - started < Self.maxDrainBeforeClose {
                let quiet = Self.monotonic() - state.withLockedValue { $0.lastMessage }
                if quiet >= Self.quietBeforeClose { break }
                try? await Task.sleep(for: .milliseconds(Int64((Self.quietBeforeClose - quiet) * 1000) + 1))
            }
            if let writer { try? await writer.close(.normalClosure, reason: nil) }
            try? await Task.sleep(for: Self.closeGrace)
            task.cancel()
        }
    }

    private static func monotonic() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// Waits until the socket's task has ended.
    func finished() async {
        await state.withLockedValue { $0.task }?.value
    }

    private func run(tls: TLSOptions, onEvent: @escaping @Sendable (RTMSWebSocketEvent) async -> Void) async {
        let endpoint = Self.endpointName(url)
        var reason = "closed"
        do {
            let tlsConfiguration = try url.lowercased().hasPrefix("wss:") ? tls.makeConfiguration() : nil
            let configuration = WebSocketClientConfiguration(
                maxFrameSize: Self.maxFrameBytes, closeTimeout: Self.closeGrace)
            let logger = Logger(label: "mediactl.rtms.websocket", factory: { _ in SwiftLogNoOpLogHandler() })
            let closeFrame = try await WebSocketClient.connect(
                url: url, configuration: configuration, tlsConfiguration: tlsConfiguration, logger: logger
            ) { inbound, outbound, _ in
                self.state.withLockedValue { $0.writer = outbound }
                await onEvent(.opened)
                try await Self.readMessages(inbound) { event in
                    if case .message = event { self.state.withLockedValue { $0.lastMessage = Self.monotonic() } }
                    await onEvent(event)
                }
            }
            if let closeFrame {
                let text = closeFrame.reason.map { ", \"\($0)\"" } ?? ""
                reason = "closed by the server (code \(Self.code(closeFrame.closeCode))\(text))"
            } else {
                reason = "connection closed without a close frame"
            }
        } catch {
            reason = Self.map(error, endpoint: endpoint).message
        }
        state.withLockedValue { $0.writer = nil }
        await onEvent(.closed(reason: reason))
    }

    /// Reads frames and joins continuation frames into messages.
    private static func readMessages(
        _ inbound: WebSocketInboundStream, onEvent: @Sendable (RTMSWebSocketEvent) async -> Void
    ) async throws {
        var iterator = inbound.makeAsyncIterator()
        var partial: ByteBuffer?
        var partialIsBinary = false
        while let frame = try await iterator.next() {
            switch frame.opcode {
            case .text, .binary:
                guard partial == nil else {
                    throw MediaError(.protocolViolation, "a new websocket message began inside a fragmented one")
                }
                if frame.fin {
                    await onEvent(.message(frame.data, binary: frame.opcode == .binary))
                } else {
                    partial = frame.data
                    partialIsBinary = frame.opcode == .binary
                }
            case .continuation:
                guard var joined = partial else {
                    throw MediaError(.protocolViolation, "a websocket continuation frame without a message")
                }
                partial = nil
                guard joined.readableBytes + frame.data.readableBytes <= maxMessageBytes else {
                    throw MediaError(
                        .protocolViolation, "a websocket message larger than \(maxMessageBytes) bytes")
                }
                var data = frame.data
                joined.writeBuffer(&data)
                if frame.fin {
                    await onEvent(.message(joined, binary: partialIsBinary))
                } else {
                    partial = joined
                }
            }
        }
    }

    private static func code(_ code: WebSocketErrorCode) -> String {
        switch code {
        case .normalClosure: return "1000"
        case .goingAway: return "1001"
        case .protocolError: return "1002"
        case .unacceptableData: return "1003"
        case .dataInconsistentWithMessage: return "1007"
        case .policyViolation: return "1008"
        case .messageTooLarge: return "1009"
        case .missingExtension: return "1010"
        case .unexpectedServerError: return "1011"
        case .unknown(let value): return String(value)
        }
    }

    /// WSClient's own errors, then whatever NIO and BoringSSL throw.
    static func map(_ error: any Error, endpoint: String) -> MediaError {
        if let error = error as? WebSocketClientError {
            switch error {
            case .invalidURL: return MediaError(.usage, "not a websocket URL: \(endpoint)")
            case .webSocketUpgradeFailed:
                return MediaError(.peerRefused, "\(endpoint) refused the websocket upgrade")
            case .serverSentMessageTooLarge:
                return MediaError(.protocolViolation, "\(endpoint) sent a websocket frame that is too large")
            default: return MediaError(.protocolViolation, "websocket with \(endpoint): \(error)")
            }
        }
        if let error = error as? NIOSSLExtraError, error == .cannotUseIPAddressInSNI {
            return MediaError(
                .tls, "wss:// to an IP address is not supported (\(endpoint)): use a host name the certificate names")
        }
        return TransportError.map(error, endpoint: endpoint)
    }

    /// "host:port" of a websocket URL, for messages.
    static func endpointName(_ url: String) -> String {
        guard let range = url.range(of: "://") else { return url }
        let rest = url[range.upperBound...]
        return String(rest.prefix { $0 != "/" && $0 != "?" })
    }
}
