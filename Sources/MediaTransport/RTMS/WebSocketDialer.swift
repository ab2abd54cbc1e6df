import MediaCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Opens a client websocket (`ws://` or `wss://`) over NIO: TCP, TLS with the right server name, the HTTP/1.1
/// upgrade, then an async channel of websocket frames. Frames are not interpreted here (`RTMSWebSocket` does
/// that); the frame decoder refuses frames larger than `maxFrameBytes`.
enum WebSocketDialer {
    /// A websocket URL taken apart: RFC 6455 section 3, `ws-URI = "ws:" "//" host [ ":" port ] path [ "?" query ]`.
    struct Target: Equatable {
        var secure: Bool
        /// The host as written, without the brackets of an IPv6 literal.
        var host: String
        var port: Int
        /// Path and query, "/" when the URL has none: the request target of the upgrade request.
        var resource: String

        /// "host:port" for messages.
        var endpoint: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

        /// "host:port" as the `Host` header carries it (RFC 7230 section 5.4), IPv6 in brackets.
        var hostHeader: String {
            let name = host.contains(":") ? "[\(host)]" : host
            let defaultPort = secure ? 443 : 80
            return port == defaultPort ? name : "\(name):\(port)"
        }

        init(url: String) throws {
            let bad = MediaError(.usage, "not a websocket URL: \(url)")
            guard let schemeEnd = url.range(of: "://") else { throw bad }
            switch url[..<schemeEnd.lowerBound].lowercased() {
            case "ws": secure = false
            case "wss": secure = true
            default: throw bad
            }
            let rest = url[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            var target = String(rest[authorityEnd...].prefix { $0 != "#" })
            if target.isEmpty || target.first == "?" { target = "/" + target }
            resource = target

            // RFC 6455 section 3: "The port component is OPTIONAL; the default for "ws" is port 80, while the
            // default port for "wss" is 443."
            let hostPart: Substring
            var portPart: Substring?
            if authority.first == "[" {
                guard let close = authority.firstIndex(of: "]") else { throw bad }
                hostPart = authority[authority.index(after: authority.startIndex)..<close]
                let after = authority[authority.index(after: close)...]
                if !after.isEmpty {
                    guard after.first == ":" else { throw bad }
                    portPart = after.dropFirst()
                }
            } else if let colon = authority.lastIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            } else {
                hostPart = authority
            }
            guard !hostPart.isEmpty, !hostPart.contains("@") else { throw bad }
            host = String(hostPart)
            if let portPart {
                guard let value = Int(portPart), (1...65535).contains(value) else { throw bad }
                port = value
            } else {
                port = secure ? 443 : 80
            }
        }
    }

    enum Upgrade: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case refused
    }

    /// Connects and upgrades; the returned channel is the caller's to run and close. Throws `MediaError(.peerRefused)`
    /// when the server answers the upgrade request with anything but 101.
    static func connect(
        url: String, tls: TLSOptions, maxFrameBytes: Int, connectTimeout: TimeAmount = .seconds(10),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> NIOAsyncChannel<WebSocketFrame, WebSocketFrame> {
        let target = try Target(url: url)
        let sslContext = target.secure ? try tls.makeContext() : nil
        // An IP address goes into no SNI extension (RFC 6066 section 3: "Literal IPv4 and IPv6 addresses are not
        // permitted in "HostName"."); without a server name NIOSSL checks the certificate against the address
        // connected to (an IP entry in its subject alternative names).
        let serverHostname = TLSOptions.serverHostname(for: target.host)
        let upgrade = try await ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            // At the TCP level: `.socketOption(.tcp_nodelay)` is SOL_SOCKET option 1, SO_DEBUG, which Linux refuses
            // (EACCES) to a process without CAP_NET_ADMIN, so connecting failed for every user but root.
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    return try configureUpgrade(channel: channel, target: target, maxFrameBytes: maxFrameBytes)
                }
            }
        switch try await upgrade.get() {
        case .websocket(let channel):
            return channel
        case .refused:
            throw MediaError(.peerRefused, "\(target.endpoint) refused the websocket upgrade")
        }
    }

    private static func configureUpgrade(channel: any Channel, target: Target, maxFrameBytes: Int) throws
        -> EventLoopFuture<Upgrade>
    {
        let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(
            maxFrameSize: maxFrameBytes, enableAutomaticErrorHandling: true,
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    .websocket(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
                }
            })
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.resource, headers: headers)
        let upgradeConfiguration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
            upgradeRequestHead: head, upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeCompletedFuture { .refused }
            })
        var configuration = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: upgradeConfiguration)
        // The server may send its first message in the same segment as the 101 answer.
        configuration.leftOverBytesStrategy = .forwardBytes
        return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: configuration)
    }
}
