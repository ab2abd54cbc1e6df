import Foundation
import MediaCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Sends Zoom-style webhook requests to an app (`rtms replay --serve --webhook-url`): an HTTP/1.1 POST of a JSON
/// body with `x-zm-request-timestamp` and `x-zm-signature` (notes, "Authenticity"), over http:// or https://.
public struct RTMSWebhookSender: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var body: ByteBuffer
    }

    /// Notes: a URL validation answer is due "within 3 s"; other webhooks get as long.
    public static let timeout: Double = 3
    /// The largest answer read.
    static let maxResponseBytes = 1 << 20

    public let url: String
    private let scheme: String
    private let host: String
    private let port: Int
    private let target: String
    public let secretToken: String
    private let tls: TLSOptions

    /// Throws `.usage` for a URL that is not http:// or https://.
    public init(url: String, secretToken: String, tls: TLSOptions = TLSOptions()) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = parsed.host, !host.isEmpty
        else {
            throw MediaError(.usage, "--webhook-url must be an http:// or https:// URL, not '\(url)'")
        }
        self.url = url
        self.scheme = scheme
        self.host = host
        self.port = parsed.port ?? (scheme == "https" ? 443 : 80)
        let path = parsed.path.isEmpty ? "/" : parsed.path
        self.target = parsed.query.map { path + "?" + $0 } ?? path
        self.secretToken = secretToken
        self.tls = tls
    }

    /// POSTs `body`, signed with the secret token at `timestamp` (Unix seconds); returns the answer. Throws
    /// `.peerUnavailable`, `.timeout` or `.tls` when there is no answer.
    public func post(_ body: JSONValue, timestamp: Int64) async throws -> Response {
        let bytes = body.jsonBytes
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: port == (scheme == "https" ? 443 : 80) ? host : "\(host):\(port)")
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(bytes.readableBytes))
        headers.add(name: "User-Agent", value: "mediactl-rtms-emulator")
        headers.add(name: "x-zm-request-timestamp", value: String(timestamp))
        headers.add(
            name: "x-zm-signature",
            value: RTMSWebhook.signatureHeader(timestamp: String(timestamp), rawBody: bytes, secretToken: secretToken))
        headers.add(name: "Connection", value: "close")
        let endpoint = "\(host):\(port)"
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target, headers: headers)
        do {
            return try await withTimeout(Self.timeout, endpoint: endpoint) {
                try await self.exchange(head: head, body: bytes)
            }
        } catch {
            throw TransportError.map(error, endpoint: "webhook \(endpoint)")
        }
    }

    private func exchange(head: HTTPRequestHead, body: ByteBuffer) async throws -> Response {
        let sslContext = scheme == "https" ? try tls.makeContext() : nil
        let serverHostname = TLSOptions.serverHostname(for: host)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(Int64(Self.timeout)))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(head))
            try await outbound.write(.body(.byteBuffer(body)))
            try await outbound.write(.end(nil))
            var status = 0
            var answer = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let response): status = Int(response.status.code)
                case .body(var chunk):
                    guard answer.readableBytes + chunk.readableBytes <= Self.maxResponseBytes else {
                        throw MediaError(.protocolViolation, "the webhook answer is larger than \(Self.maxResponseBytes) bytes")
                    }
                    answer.writeBuffer(&chunk)
                case .end: return Response(status: status, body: answer)
                }
            }
            throw MediaError(.peerUnavailable, "the webhook endpoint closed the connection without an answer")
        }
    }

    private func withTimeout<T: Sendable>(
        _ seconds: Double, endpoint: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                throw MediaError(.timeout, "webhook \(endpoint) did not answer within \(Int(seconds)) s")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
