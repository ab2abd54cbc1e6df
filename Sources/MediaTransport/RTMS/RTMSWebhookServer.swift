import Hummingbird
import Logging
import MediaCore
import NIOCore

/// The webhook HTTP server (Hummingbird): answers `endpoint.url_validation`, checks `x-zm-signature` over the
/// raw body bytes with the webhook secret token (401 and a logged reason for a bad or stale one), answers 200
/// at once and only then joins a `*.rtms_started` stream (the join runs in its own task), leaves a stream on
/// `*.rtms_stopped`. Notes: "Answer fast (before connecting): a slow answer makes Zoom resend".
public struct RTMSWebhookServer: Sendable {
    /// A webhook body is a few hundred bytes; anything this large is not one.
    public static let maxBodyBytes = 1 << 20

    public let endpoint: RTMSWebhookEndpoint
    private let secretToken: String
    private let listener: RTMSListener
    private let onEvent: @Sendable (RTMSListenerEvent) -> Void

    public init(
        endpoint: RTMSWebhookEndpoint, secretToken: String, listener: RTMSListener,
        onEvent: @escaping @Sendable (RTMSListenerEvent) -> Void
    ) {
        self.endpoint = endpoint
        self.secretToken = secretToken
        self.listener = listener
        self.onEvent = onEvent
    }

    /// Serves until the task is cancelled. A port that cannot be bound throws `.usage`.
    public func run() async throws {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in await self.respond(to: request) }
        let logger = Logger(label: "mediactl.rtms.webhook", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(
                address: .hostname(endpoint.host, port: endpoint.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? endpoint.port
                onEvent(.webhookListening(host: endpoint.host, port: port, path: endpoint.path))
            },
            logger: logger)
        do {
            try await app.run()
        } catch is CancellationError {
        } catch {
            throw MediaError(.usage, "cannot serve webhooks on \(endpoint): \(error)")
        }
    }

    func respond(to request: Request) async -> Response {
        if let path = endpoint.path, request.uri.path != path {
            return refuse(.notFound, "no webhook endpoint at \(request.uri.path) (it is \(path))")
        }
        guard request.method == .post else {
            return refuse(.methodNotAllowed, "\(request.method) \(request.uri.path): webhooks are POST requests")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch {
            return refuse(.contentTooLarge, "webhook body larger than \(Self.maxBodyBytes) bytes")
        }
        let verdict = RTMSWebhook.verify(
            signatureHeader: Self.header("x-zm-signature", in: request), timestampHeader: Self.header("x-zm-request-timestamp", in: request),
            rawBody: body, secretToken: secretToken, now: WallClock.now().seconds)
        if case .invalid(let reason) = verdict {
            return refuse(.unauthorized, reason)
        }
        let event: RTMSWebhookEvent
        do {
            event = try RTMSWebhook.parse(body)
        } catch {
            return refuse(.badRequest, (error as? MediaError)?.message ?? "\(error)")
        }
        switch event {
        case .urlValidation(let plainToken):
            onEvent(.webhookValidated)
            return Self.json(.ok, RTMSWebhook.urlValidationResponse(plainToken: plainToken, secretToken: secretToken))
        case .started(let descriptor):
            switch listener.join(descriptor) {
            case .joined: break
            case .duplicate: onEvent(.webhookDuplicate(streamID: descriptor.streamID))
            case .closed: return refuse(.serviceUnavailable, "shutting down: stream \(descriptor.streamID) not joined")
            }
        case .stopped(let notice):
            let known = notice.streamID.map { listener.leave(streamID: $0) } ?? false
            onEvent(.webhookStopped(streamID: notice.streamID, known: known))
        case .interrupted(let notice), .concurrencyLimited(let notice):
            onEvent(.webhookIgnored(event: notice.event))
        case .other(let name, _):
            onEvent(.webhookIgnored(event: name))
        }
        return Self.json(.ok, .object([]))
    }

    /// The first value of a header, by its lowercase name.
    private static func header(_ name: String, in request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

    private func refuse(_ status: HTTPResponse.Status, _ reason: String) -> Response {
        onEvent(.webhookRejected(status: status.code, reason: reason))
        return Self.json(status, .object([JSONField("error", .string(reason))]))
    }

    private static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var bytes = value.jsonBytes
        bytes.writeString("\n")
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: bytes))
    }
}
