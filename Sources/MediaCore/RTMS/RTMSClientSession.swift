import NIOCore

/// The RTMS client: signaling handshake -> media handshakes -> client ready ack and event subscriptions ->
/// keep-alives and media -> end, with reconnection. Events in, actions out, no I/O: the driver opens websockets,
/// sends what it is told and feeds back what happens (see `RTMSClientAction` for the driver contract).
///
/// Times (`now`) are seconds; Unix time, as the video subscription request's `timestamp` is taken from it.
public struct RTMSClientSession: Sendable {
    public typealias ConnectionID = RTMSConnectionID

    /// Reconnection backoff: 1, 2, 4, 8, 16, then 30 s (notes: "Reconnecting is the client's job: RTMS does not
    /// reconnect for it.").
    public static let maxReconnectDelay: Double = 30

    /// The delay before reconnection attempt `attempt` (1-based).
    public static func reconnectDelay(attempt: Int) -> Double {
        let exponent = min(max(attempt - 1, 0), 16)
        return min(Double(1 << exponent), maxReconnectDelay)
    }

    private enum Phase: Sendable, Equatable {
        case idle
        /// Connections being opened, handshaking or ready.
        case running
        /// Every connection closed; the next signaling handshake is due at `at`.
        case waitingToReconnect(at: Double)
        /// A stream close request was sent; closing when the response comes or at `deadline`.
        case stopping(deadline: Double)
        case finished
    }

    private enum ConnectionState: Sendable, Equatable {
        case connecting
        case handshaking
        case ready
    }

    private struct Connection: Sendable {
        var id: ConnectionID
        var url: String
        var state: ConnectionState
        /// When the last keep-alive request came (or the connection was opened).
        var lastKeepAlive: Double
    }

    private var phase: Phase = .idle
    private var descriptor = RTMSStreamDescriptor(
        product: .meeting, id: RTMSInstanceID(.meetingUUID, ""), streamID: "", serverURLs: [])
    private var signature = ""
    private var options = RTMSClientOptions()
    /// Signaling first, then media connections in the order they were opened.
    private var connections: [Connection] = []
    /// Reference: "sequence ... Must start at 1." One counter for every handshake request of the session.
    private var nextSequence: Int64 = 1
    /// Reconnection attempts since media last flowed.
    private var attempts = 0
    /// When media stopped flowing, if it ever flowed: the start of the gap reported on reconnection.
    private var disconnectedAt: Double?
    private var lastLossReason = ""
    private var mediaEverReady = false
    private var subscribedOnThisSignaling = false
    private var videoSubscribedOnThisSignaling = false
    private var serverURLIndex = 0

    public init() {}

    /// True once `finished` has been returned.
    public var isFinished: Bool { phase == .finished }

    /// The connections that are open or opening, signaling first.
    public var openConnections: [ConnectionID] { connections.map(\.id) }

    // MARK: - Inputs

    /// Starts the session. The signature is the webhook's own when it carries one (notes: "use it when present"),
    /// else computed from `credentials`.
    public mutating func start(
        descriptor: RTMSStreamDescriptor, credentials: RTMSCredentials?, options: RTMSClientOptions, now: Double
    ) -> [RTMSClientAction] {
        guard phase == .idle else { return [] }
        self.descriptor = descriptor
        self.options = options
        if let given = descriptor.signature, !given.isEmpty {
            signature = given
        } else if let credentials {
            signature = RTMSSignature.sign(
                clientID: credentials.clientID, clientSecret: credentials.clientSecret, id: descriptor.id.value,
                streamID: descriptor.streamID)
        } else {
            return finish(
                .failed(
                    MediaError(
                        .authenticationFailed,
                        "no handshake signature for stream \(descriptor.streamID): the webhook carries none and no client credentials were given"
                    )))
        }
        guard !descriptor.serverURLs.isEmpty else {
            return finish(.failed(MediaError(.usage, "no server URL for stream \(descriptor.streamID)")))
        }
        phase = .running
        return openSignaling(now: now)
    }

    /// The websocket of `id` is open.
    public mutating func connected(_ id: ConnectionID, now: Double) -> [RTMSClientAction] {
        guard phase == .running, let i = index(of: id), connections[i].state == .connecting else { return [] }
        connections[i].state = .handshaking
        let sequence = nextSequence
        nextSequence += 1
        switch id {
        case .signaling:
            let request = RTMSMessage.SignalingHandshakeRequest(
                sequence: sequence, id: descriptor.id, streamID: descriptor.streamID, signature: signature,
                bufferData: options.bufferData, extra: options.handshakeExtra)
            return [.send(.signaling, .signalingHandshakeRequest(request))]
        case .media(let types):
            let request = RTMSMessage.DataHandshakeRequest(
                sequence: sequence, id: descriptor.id, streamID: descriptor.streamID, signature: signature,
                mediaType: types, mediaParameters: options.mediaParameters.restricted(to: types))
            return [.send(id, .dataHandshakeRequest(request))]
        }
    }

    /// A message arrived on `id`.
    public mutating func received(_ id: ConnectionID, _ message: RTMSMessage, now: Double) -> [RTMSClientAction] {
        switch phase {
        case .running, .stopping: break
        case .idle, .waitingToReconnect, .finished: return []
        }
        guard let i = index(of: id) else { return [] }
        switch message {
        case .keepAliveRequest(let request):
            // Notes: "the response (13) echoes both."
            connections[i].lastKeepAlive = now
            return [.send(id, .keepAliveResponse(request.response))]

        case .signalingHandshakeResponse(let response) where id == .signaling:
            guard connections[i].state == .handshaking else { return [unexpected(message, on: id)] }
            if let code = response.statusCode, code != 0 {
                return finish(.refused(connection: .signaling, statusCode: code, reason: response.reason ?? ""))
            }
            connections[i].state = .ready
            return signalingReady(response, now: now)

        case .dataHandshakeResponse(let response) where id != .signaling:
            guard connections[i].state == .handshaking else { return [unexpected(message, on: id)] }
            if let code = response.statusCode, code != 0 {
                return finish(.refused(connection: id, statusCode: code, reason: response.reason ?? ""))
            }
            connections[i].state = .ready
            return mediaReady(id, url: connections[i].url, response, now: now)

        case .streamStateUpdate(let update):
            var actions = emitting(message, on: id)
            // Notes: "A stream state update `{state: 4, reason: 6}` (terminated, meeting ended) ends a session
            // cleanly."
            if update.state == .terminated { actions += finish(.terminated(reason: update.reason)) }
            return actions

        case .streamStateResponse(let response):
            var actions = emitting(message, on: id)
            if response.state == .terminated { actions += finish(.terminated(reason: nil)) }
            return actions

        case .streamCloseResponse:
            var actions = emitting(message, on: id)
            if case .stopping = phase { actions += finish(.stopped) }
            return actions

        case .signalingHandshakeRequest, .signalingHandshakeResponse, .dataHandshakeRequest, .dataHandshakeResponse,
            .eventSubscription, .clientReadyAck, .sessionStateRequest, .keepAliveResponse, .streamStateRequest,
            .streamCloseRequest, .videoSubscriptionRequest:
            return [unexpected(message, on: id)]

        default:
            return emitting(message, on: id)
        }
    }

    /// A websocket message (text or binary frame) arrived on `id`: decoded, then handled as `received(_:_:now:)`,
    /// or reported as `receivedUndecodable` when it is not an RTMS message.
    public mutating func received(_ id: ConnectionID, bytes: ByteBuffer, now: Double) -> [RTMSClientAction] {
        do {
            return received(id, try RTMSMessage.decode(bytes), now: now)
        } catch let error as MediaError {
            return receivedUndecodable(id, error: error, now: now)
        } catch {
            return receivedUndecodable(id, error: MediaError(.malformedInput, "\(error)"), now: now)
        }
    }

    /// A message on `id` could not be decoded (bad JSON, a field of the wrong type): reported, not fatal.
    public mutating func receivedUndecodable(_ id: ConnectionID, error: MediaError, now: Double) -> [RTMSClientAction] {
        guard index(of: id) != nil, phase != .finished else { return [] }
        return [.emit(event(.error(message: "\(id): \(error.message)", statusCode: nil, reason: nil)))]
    }

    /// The websocket of `id` closed or failed without being asked to.
    public mutating func closed(_ id: ConnectionID, reason: String, now: Double) -> [RTMSClientAction] {
        guard let i = index(of: id) else { return [] }
        switch phase {
        case .running:
            connections.remove(at: i)
            return lose(id, reason: reason, now: now)
        case .stopping:
            connections.remove(at: i)
            return id == .signaling ? finish(.stopped) : []
        case .idle, .waitingToReconnect, .finished:
            return []
        }
    }

    /// The websocket of `id` could not be set up for a reason that retrying does not fix (the server's TLS
    /// certificate is not trusted): the session ends with `error` instead of reconnecting, so that a
    /// configuration mistake is reported rather than retried forever.
    public mutating func failed(_ id: ConnectionID, error: MediaError, now: Double) -> [RTMSClientAction] {
        guard let i = index(of: id) else { return [] }
        switch phase {
        case .running:
            connections.remove(at: i)
            return [.emit(event(.disconnected(connection: id, reason: error.message)))] + finish(.failed(error))
        case .stopping, .idle, .waitingToReconnect, .finished:
            return closed(id, reason: error.message, now: now)
        }
    }

    /// Time passes: keep-alive silence, a due reconnection, a stop that waited long enough.
    public mutating func tick(now: Double) -> [RTMSClientAction] {
        switch phase {
        case .waitingToReconnect(let at):
            guard now >= at else { return [] }
            phase = .running
            return openSignaling(now: now)
        case .running:
            // Reference: "If an app doesn't receive a keep-alive request for 65 seconds, we recommend that the app
            // reestablish the connection by resending the signaling handshake request."
            guard let silent = connections.first(where: { now - $0.lastKeepAlive >= options.keepAliveTimeout })
            else { return [] }
            return lose(silent.id, reason: "no keep-alive for \(Int(options.keepAliveTimeout)) s", now: now)
        case .stopping(let deadline):
            guard now >= deadline else { return [] }
            let note = event(
                .error(
                    message: "no stream close response within \(Int(options.stopTimeout)) s", statusCode: nil,
                    reason: nil))
            return [.emit(note)] + finish(.stopped)
        case .idle, .finished:
            return []
        }
    }

    /// Stop (SIGINT/SIGTERM, a `*.rtms_stopped` webhook). With `closeStream`, first ask the server to end the stream
    /// (reference: "send a STREAM_CLOSE_REQ message through the signaling connection. RTMS will respond with a
    /// STREAM_CLOSE_RESP message and terminate the stream.") and close on the response or after `stopTimeout`.
    public mutating func stopRequested(closeStream: Bool, now: Double) -> [RTMSClientAction] {
        switch phase {
        case .finished, .stopping: return []
        case .idle, .waitingToReconnect: return finish(.stopped)
        case .running:
            guard closeStream, let signaling = connections.first(where: { $0.id == .signaling }),
                signaling.state == .ready
            else { return finish(.stopped) }
            phase = .stopping(deadline: now + options.stopTimeout)
            return [.send(.signaling, .streamCloseRequest(.init(streamID: descriptor.streamID)))]
        }
    }

    /// Asks for the stream state (19) when the signaling connection is ready.
    public mutating func requestStreamState() -> [RTMSClientAction] {
        guard signalingIsReady else { return [] }
        return [.send(.signaling, .streamStateRequest(.init(streamID: descriptor.streamID)))]
    }

    /// Asks for a session's state (10) when the signaling connection is ready.
    public mutating func requestSessionState(sessionID: String) -> [RTMSClientAction] {
        guard signalingIsReady else { return [] }
        return [.send(.signaling, .sessionStateRequest(.init(sessionID: sessionID)))]
    }

    // MARK: - Steps

    private var signalingIsReady: Bool {
        phase == .running && connections.first(where: { $0.id == .signaling })?.state == .ready
    }

    private func index(of id: ConnectionID) -> Int? { connections.firstIndex(where: { $0.id == id }) }

    private func event(_ kind: RTMSEvent.Kind) -> RTMSEvent { RTMSEvent(stream: descriptor.streamID, kind) }

    private func emitting(_ message: RTMSMessage, on id: ConnectionID) -> [RTMSClientAction] {
        guard let e = RTMSEvent.from(message: message, connection: id, stream: descriptor.streamID, product: descriptor.product)
        else { return [] }
        return [.emit(e)]
    }

    private func unexpected(_ message: RTMSMessage, on id: ConnectionID) -> RTMSClientAction {
        let name = RTMSMessageType(rawValue: message.msgType)?.description ?? "?"
        return .emit(
            event(.error(message: "unexpected msg_type \(message.msgType) (\(name)) on \(id)", statusCode: nil, reason: nil)))
    }

    private mutating func openSignaling(now: Double) -> [RTMSClientAction] {
        let urls = descriptor.serverURLs
        let url = urls[serverURLIndex % urls.count]
        connections = [Connection(id: .signaling, url: url, state: .connecting, lastKeepAlive: now)]
        subscribedOnThisSignaling = false
        videoSubscribedOnThisSignaling = false
        return [.open(.signaling, url: url)]
    }

    private mutating func signalingReady(
        _ response: RTMSMessage.SignalingHandshakeResponse, now: Double
    ) -> [RTMSClientAction] {
        var actions: [RTMSClientAction] = [
            .emit(event(.connected(connection: .signaling, url: connections[0].url, mediaParameters: nil)))
        ]
        let plan = Self.planMediaConnections(wanted: options.mediaTypes, mode: options.connectionMode, offered: response)
        if !plan.missing.isEmpty {
            let offered = (response.mediaURLs ?? []).map(\.key).joined(separator: ",")
            actions.append(
                .emit(
                    event(
                        .error(
                            message: "the server offers no media URL for \(plan.missing) (offered: \(offered.isEmpty ? "none" : offered))",
                            statusCode: nil, reason: nil))))
        }
        guard !plan.connections.isEmpty else {
            let offered = (response.mediaURLs ?? []).map(\.key).joined(separator: ",")
            return actions
                + finish(
                    .failed(
                        MediaError(
                            .peerRefused,
                            "the RTMS signaling response offers no usable media URL for \(options.mediaTypes) in \(options.connectionMode.rawValue) mode (offered: \(offered.isEmpty ? "none" : offered))"
                        )))
        }
        for (types, url) in plan.connections {
            connections.append(Connection(id: .media(types), url: url, state: .connecting, lastKeepAlive: now))
            actions.append(.open(.media(types), url: url))
        }
        return actions
    }

    private mutating func mediaReady(
        _ id: ConnectionID, url: String, _ response: RTMSMessage.DataHandshakeResponse, now: Double
    ) -> [RTMSClientAction] {
        var actions: [RTMSClientAction] = []
        if let lostAt = disconnectedAt {
            let gap = Int64(((now - lostAt) * 1000).rounded())
            actions.append(.emit(event(.reconnected(gapMilliseconds: gap, attempts: attempts))))
            disconnectedAt = nil
        }
        attempts = 0
        mediaEverReady = true
        actions.append(.emit(event(.connected(connection: id, url: url, mediaParameters: response.mediaParameters))))
        // Notes: "After every media handshake response with status 0, the client sends the client-ready ack (7) on
        // signaling, then its event subscriptions (5)."
        actions.append(.send(.signaling, .clientReadyAck(.init(streamID: descriptor.streamID))))
        if !subscribedOnThisSignaling && !options.events.isEmpty {
            subscribedOnThisSignaling = true
            let entries = options.events.map { RTMSMessage.EventSubscription.Entry($0, subscribe: true) }
            actions.append(.send(.signaling, .eventSubscription(.init(events: entries))))
        }
        if let user = options.videoUserID, !videoSubscribedOnThisSignaling, case .media(let types) = id,
            types.contains(.video) || types.contains(.all)
        {
            videoSubscribedOnThisSignaling = true
            let request = RTMSMessage.VideoSubscriptionRequest(
                userID: user, subscribe: true, timestamp: Int64((now * 1000).rounded()))
            actions.append(.send(.signaling, .videoSubscriptionRequest(request)))
        }
        return actions
    }

    /// A connection is gone (already removed from `connections` if it closed by itself): close the rest and
    /// reconnect after the backoff, or give up.
    private mutating func lose(_ id: ConnectionID, reason: String, now: Double) -> [RTMSClientAction] {
        var actions: [RTMSClientAction] = [.emit(event(.disconnected(connection: id, reason: reason)))]
        if mediaEverReady && disconnectedAt == nil { disconnectedAt = now }
        lastLossReason = "\(id): \(reason)"
        actions += closeAll()
        attempts += 1
        if attempts > options.maxReconnectAttempts {
            return actions + finish(.reconnectsExhausted(attempts: attempts - 1, lastReason: lastLossReason))
        }
        let delay = Self.reconnectDelay(attempt: attempts)
        serverURLIndex += 1
        phase = .waitingToReconnect(at: now + delay)
        actions.append(.scheduleReconnect(after: delay))
        return actions
    }

    /// Closes every connection still open: media in the order opened, then signaling.
    private mutating func closeAll() -> [RTMSClientAction] {
        let media = connections.filter { $0.id != .signaling }.map { RTMSClientAction.close($0.id) }
        let signaling = connections.contains(where: { $0.id == .signaling }) ? [RTMSClientAction.close(.signaling)] : []
        connections = []
        return media + signaling
    }

    private mutating func finish(_ outcome: RTMSOutcome) -> [RTMSClientAction] {
        guard phase != .finished else { return [] }
        let actions = closeAll()
        phase = .finished
        return actions + [.emit(event(.ended(outcome))), .finished(outcome)]
    }

    // MARK: - Choosing media connections

    /// Which media connections to open for `wanted`, given the URLs the signaling response offers. Notes: "The
    /// signaling response lists media URLs per type (`audio`, `video`, `transcript`, `deskshare`, `chat`, `all`).
    /// Clients may open one media connection per type (Zoom's SDK does; it fails when only `all` is offered) or one
    /// `all` connection." `missing` lists explicitly wanted types nothing was found for (types left out of an
    /// `.all` request are the app's scopes, not reported).
    public static func planMediaConnections(
        wanted: RTMSMediaType, mode: RTMSConnectionMode, offered: RTMSMessage.SignalingHandshakeResponse
    ) -> (connections: [(types: RTMSMediaType, url: String)], missing: RTMSMediaType) {
        let singles = wanted.singleTypes
        let wantsEverything = wanted.contains(.all) || singles.count == RTMSMediaType.singles.count
        let allURL = offered.mediaURL(for: "all")
        let explicit = wanted.contains(.all) ? RTMSMediaType() : wanted
        switch mode {
        case .all:
            guard let allURL else { return ([], explicit) }
            return ([(wantsEverything ? .all : wanted, allURL)], [])
        case .auto where wantsEverything && allURL != nil:
            return ([(.all, allURL!)], [])
        case .auto, .perType:
            var plan: [(types: RTMSMediaType, url: String)] = []
            var uncovered = RTMSMediaType()
            for type in singles {
                if let url = type.key.flatMap(offered.mediaURL(for:)) {
                    plan.append((type, url))
                } else {
                    uncovered.insert(type)
                }
            }
            if mode == .auto, !uncovered.isEmpty, !wanted.contains(.all), let allURL {
                plan.append((uncovered, allURL))
                uncovered = []
            }
            return (plan, uncovered.intersection(explicit))
        }
    }
}
