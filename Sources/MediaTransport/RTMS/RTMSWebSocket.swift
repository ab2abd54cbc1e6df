import Dispatch
import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import NIOWebSocket

/// What one websocket reports to its owner, in order: `opened` once the upgrade succeeded, then each complete
/// message, then `closed` exactly once (also when it never opened).
enum RTMSWebSocketEvent: Sendable {
    case opened
    /// A whole websocket message (continuation frames joined), its payload exactly as received.
    case message(ByteBuffer, binary: Bool)
    /// `fatal`: the socket could not be opened for a reason that retrying does not fix (a TLS handshake or
    /// certificate failure, an unreadable CA file).
    case closed(reason: String, fatal: MediaError? = nil)
}

/// One client websocket (`ws://` or `wss://`, opened by `WebSocketDialer`): text and binary messages in, JSON
/// text out, pings answered, the close handshake.
/// The owner's `onEvent` is awaited for every message before the next frame is read, so a slow owner slows the
/// socket down (TCP back-pressure) instead of queueing messages in memory.
final class RTMSWebSocket: Sendable {
    /// Larger than any RTMS message (the recording format's record limit); checked before a message is joined.
    static let maxMessageBytes = RTMSRecordingFormat.maxPayloadBytes
    /// One websocket frame may be this large (an H.264 key frame in base64 is a few hundred KiB).
    static let maxFrameBytes = 16 << 20
    /// How long a close waits for the server's close frame, counted from our close frame or the last message
    /// received after it, before the connection is cut: a server with a backlog sends what it queued before
    /// our close frame first, so a close that cut at a fixed time would lose those messages.
    static let closeGrace = 2.0
    /// Before its close frame goes out, a socket is read until it has been quiet this long (messages the server
    /// sent before it ended the stream may still be queued when a busy client gets to the end)...
    static let quietBeforeClose = 0.2
    /// ...but not longer than this (and the whole close, drain and answer, not longer than twice this).
    static let maxDrainBeforeClose = 30.0

    let url: String
    private let state = NIOLockedValueBox(State())

    typealias Writer = NIOAsyncChannelOutboundWriter<WebSocketFrame>

    private struct State {
        var writer: Writer?
        /// Our close frame (or the answer to the server's) has gone out; nothing more may be sent.
        var closeSent = false
        var task: Task<Void, Never>?
        var closing = false
        /// Monotonic seconds of the last message received.
        var lastMessage = 0.0
        /// The connection has ended (`closed` is being reported).
        var ended = false
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
        guard let writer = state.withLockedValue({ $0.closing || $0.closeSent ? nil : $0.writer }) else {
            throw MediaError(.peerUnavailable, "websocket \(url) is not open")
        }
        try await Self.write(.text, text, to: writer)
    }

    /// Starts a clean close: a close frame with code 1000 (with `drain`, only once the socket has been quiet for
    /// `quietBeforeClose`, at most `maxDrainBeforeClose`); the connection is cut if the server does not answer
    /// within `closeGrace`. Messages that arrive meanwhile are still reported.
    func close(drain: Bool = false) {
        let task = state.withLockedValue { state -> Task<Void, Never>? in
            guard !state.closing else { return nil }
            state.closing = true
            return state.task
        }
        guard let task else { return }
        Task {
            let started = Self.monotonic()
            while drain && Self.monotonic() - started < Self.maxDrainBeforeClose {
                let quiet = Self.monotonic() - state.withLockedValue { $0.lastMessage }
                if quiet >= Self.quietBeforeClose { break }
                try? await Task.sleep(for: .milliseconds(Int64((Self.quietBeforeClose - quiet) * 1000) + 1))
            }
            let writer = state.withLockedValue { state -> Writer? in
                defer { state.closeSent = true }
                return state.closeSent ? nil : state.writer
            }
            if let writer {
                var body = ByteBuffer()
                body.writeInteger(UInt16(1000))  // RFC 6455 section 7.4.1: "1000 indicates a normal closure"
                try? await Self.write(.connectionClose, body, to: writer)
            }
            await waitWhileReceiving(since: Self.monotonic(), deadline: started + 2 * Self.maxDrainBeforeClose)
            task.cancel()
        }
    }

    /// Returns once nothing has been received for `closeGrace` since `since` (or the socket's task has ended, or
    /// `deadline` has passed).
    private func waitWhileReceiving(since: Double, deadline: Double) async {
        while true {
            let (last, ended) = state.withLockedValue { (max($0.lastMessage, since), $0.ended) }
            let now = Self.monotonic()
            let quiet = now - last
            if ended || quiet >= Self.closeGrace || now >= deadline { return }
            try? await Task.sleep(for: .milliseconds(Int64((Self.closeGrace - quiet) * 1000) + 1))
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
        var fatal: MediaError?
        var opened = false
        do {
            let channel = try await WebSocketDialer.connect(url: url, tls: tls, maxFrameBytes: Self.maxFrameBytes)
            opened = true
            let closeFrame = try await channel.executeThenClose { inbound, outbound in
                self.state.withLockedValue { $0.writer = outbound }
                defer { self.state.withLockedValue { $0.writer = nil } }
                await onEvent(.opened)
                return try await self.readMessages(inbound) { event in
                    if case .message = event { self.state.withLockedValue { $0.lastMessage = Self.monotonic() } }
                    await onEvent(event)
                }
            }
            if let closeFrame {
                let code = closeFrame.code.map(String.init) ?? "none"
                let text = closeFrame.reason.map { ", \"\($0)\"" } ?? ""
                reason = "closed by the server (code \(code)\(text))"
            } else {
                reason = "connection closed without a close frame"
            }
        } catch {
            let mapped = Self.map(error, endpoint: endpoint)
            reason = mapped.message
            // A refused certificate or an unreadable CA file does not get better by retrying.
            if !opened && (mapped.kind == .tls || mapped.kind == .inputMissing) { fatal = mapped }
        }
        state.withLockedValue {
            $0.writer = nil
            $0.ended = true
        }
        await onEvent(.closed(reason: reason, fatal: fatal))
    }

    /// What a close frame carried: RFC 6455 section 5.5.1, "If there is a body, the first two bytes of the body
    /// MUST be a 2-byte unsigned integer (in network byte order) representing a status code [...] Following the
    /// 2-byte integer, the body MAY contain UTF-8-encoded data".
    struct CloseFrame: Equatable {
        var code: UInt16?
        var reason: String?

        init(body: ByteBuffer) {
            var body = body
            code = body.readInteger(as: UInt16.self)
            let text = body.readString(length: body.readableBytes) ?? ""
            reason = text.isEmpty ? nil : text
        }
    }

    /// Writes one frame. RFC 6455 section 5.3: "The masking key is a 32-bit value chosen at random by the
    /// client"; section 5.1: "a client MUST mask all frames that it sends to the server".
    private static func write(_ opcode: WebSocketOpcode, _ data: ByteBuffer, to writer: Writer) async throws {
        try await writer.write(WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data))
    }

    /// Reads frames until the server's close frame (returned) or the end of the connection (nil), joining
    /// continuation frames into messages and answering pings and the server's close.
    private func readMessages(
        _ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>, onEvent: @Sendable (RTMSWebSocketEvent) async -> Void
    ) async throws -> CloseFrame? {
        var partial: ByteBuffer?
        var partialIsBinary = false
        var closeReceived: CloseFrame?
        do {
            for try await frame in inbound {
                // After the server's close frame nothing more is reported; the loop only waits for the end.
                if closeReceived != nil { continue }
                if let received = try await handle(frame, &partial, &partialIsBinary, onEvent: onEvent) {
                    closeReceived = received
                    // RFC 6455 section 7.1.1: "the underlying TCP connection, in most normal cases, SHOULD be
                    // closed first by the server, so that it holds the TIME_WAIT state and not the client". Closing
                    // here with unread bytes would reset the connection and could lose our close answer; so read
                    // on until the server closes, for at most `closeGrace`.
                    let task = state.withLockedValue { $0.task }
                    Task {
                        try? await Task.sleep(for: .seconds(Self.closeGrace))
                        task?.cancel()
                    }
                }
            }
        } catch {
            if let closeReceived { return closeReceived }
            throw error
        }
        return closeReceived
    }

    /// One frame: a message reported (joined when fragmented), a ping answered, or the server's close frame
    /// answered and returned.
    private func handle(
        _ frame: WebSocketFrame, _ partial: inout ByteBuffer?, _ partialIsBinary: inout Bool,
        onEvent: @Sendable (RTMSWebSocketEvent) async -> Void
    ) async throws -> CloseFrame? {
        switch frame.opcode {
        case .text, .binary:
            guard partial == nil else {
                throw MediaError(.protocolViolation, "a new websocket message began inside a fragmented one")
            }
            if frame.fin {
                await onEvent(.message(frame.unmaskedData, binary: frame.opcode == .binary))
            } else {
                partial = frame.unmaskedData
                partialIsBinary = frame.opcode == .binary
            }
        case .continuation:
            guard var joined = partial else {
                throw MediaError(.protocolViolation, "a websocket continuation frame without a message")
            }
            partial = nil
            var data = frame.unmaskedData
            guard joined.readableBytes + data.readableBytes <= Self.maxMessageBytes else {
                throw MediaError(
                    .protocolViolation, "a websocket message larger than \(Self.maxMessageBytes) bytes")
            }
            joined.writeBuffer(&data)
            if frame.fin {
                await onEvent(.message(joined, binary: partialIsBinary))
            } else {
                partial = joined
            }
        case .ping:
            // RFC 6455 section 5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in
            // response [...] A Pong frame sent in response to a Ping frame must have identical "Application
            // data" as found in the message body of the Ping frame being replied to."
            // Nothing goes out after our close frame (section 5.5.1: "After sending a Close frame, the
            // application MUST NOT send any more data frames").
            if let writer = state.withLockedValue({ $0.closeSent ? nil : $0.writer }) {
                try? await Self.write(.pong, frame.unmaskedData, to: writer)
            }
        case .pong:
            break
        case .connectionClose:
            // RFC 6455 section 5.5.1: "If an endpoint receives a Close frame and did not previously send a
            // Close frame, the endpoint MUST send a Close frame in response. (When sending a Close frame in
            // response, the endpoint typically echos the status code it received.)"
            let received = CloseFrame(body: frame.unmaskedData)
            let answer = state.withLockedValue { state -> Writer? in
                defer { state.closeSent = true }
                return state.closeSent ? nil : state.writer
            }
            if let answer {
                var body = ByteBuffer()
                if let code = received.code { body.writeInteger(code) }
                try? await Self.write(.connectionClose, body, to: answer)
            }
            return received
        default:
            throw MediaError(.protocolViolation, "a websocket frame with the unknown opcode \(frame.opcode)")
        }
        return nil
    }

    /// NIO's websocket and BoringSSL errors, then whatever else NIO throws.
    static func map(_ error: any Error, endpoint: String) -> MediaError {
        if let error = error as? NIOWebSocketError {
            switch error {
            case .invalidFrameLength:
                return MediaError(.protocolViolation, "\(endpoint) sent a websocket frame that is too large")
            case .fragmentedControlFrame, .multiByteControlFrameLength:
                return MediaError(.protocolViolation, "\(endpoint) sent an invalid websocket control frame")
            }
        }
        if let error = error as? NIOSSLError {
            switch error {
            case .uncleanShutdown:
                return MediaError(.peerUnavailable, "connection to \(endpoint) closed without a TLS close_notify")
            case .handshakeFailed(.sslError([.eofDuringHandshake])):
                // The server hung up, as an overloaded one does: worth another try, unlike a refused certificate.
                return MediaError(.peerUnavailable, "connection to \(endpoint) closed during the TLS handshake")
            default:
                break
            }
        }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return MediaError(
                .tls, "TLS with \(endpoint) failed: the server's certificate is not valid for that host name or address")
        }
        if error is NIOSSLError, String(describing: error).contains("CERTIFICATE_VERIFY_FAILED") {
            return MediaError(
                .tls,
                "TLS with \(endpoint) failed: the server's certificate is not trusted (give its CA with --ca-file, "
                    + "or --insecure to skip the check)")
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
