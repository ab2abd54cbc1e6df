/// One client session of an emulated RTMS server: a signaling connection and its media connections, which play a
/// recording (`RTMSPlaybackScript`) from the client's first ready ack, with keep-alives, the three-missed-keep-alives
/// rule, faults and the end of the stream. Events in, actions out, no I/O; `now` is Unix time in seconds.
///
/// What it sends when (reference and notes):
/// - signaling handshake response with a media URL per type and `all`, all under this session's token;
/// - media handshake response confirming the parameters of the connection's types
///   (`RTMSServerHandshake.mediaParameters`);
/// - keep-alive requests on every connection from its handshake on (`RTMSKeepAliveTracker`);
/// - at a client ready ack: media connections handshaken before it go live; on the first ack of a signaling
///   connection "the first packet timestamp event and a session state update" (started); the first ack of the
///   session starts playback;
/// - the script's items at `start + offset / speed`, each on the connection that carries its type (the first live
///   one, in order of opening); an item no live connection takes is counted as unsent;
/// - at the script's end a session state update (stopped) and a stream state update (terminated, with the recorded
///   reason), then, `endGrace` seconds later unless the client closed them first, a normal close of every
///   connection (a client acts on the terminated update before its connections go; closes on other connections
///   must not overtake it); with `loop` the script starts over instead.
/// Losing connections: "Signaling connection - The RTMS server will interrupt both the signaling and media
/// connections, wait for one minute to allow for reconnection, and, if the connection is not restored, it will end
/// the RTMS stream. Media connections - The RTMS server will interrupt the media connection, wait for 65 seconds to
/// allow for reconnection". A client comes back with a new signaling handshake (`attachSignaling`), which the
/// emulator routes to this session, or with a new media connection to this session's URLs.
public struct RTMSServerSession: Sendable {
    public let number: Int
    /// The path segment of this session's media URLs.
    public let token: String
    private let script: RTMSPlaybackScript
    private let options: RTMSServerOptions

    private enum Role: Equatable {
        case signaling
        case media(path: RTMSMediaType)
    }

    private enum Phase: Equatable {
        /// Media connection open, no handshake request yet.
        case awaitingHandshake(deadline: Double)
        /// Handshake answered; media flows after the next client ready ack. (Signaling connections are `live` at
        /// once.)
        case handshaken(RTMSMediaType)
        case live(RTMSMediaType)
    }

    private struct Connection: Sendable {
        var handle: RTMSServerConnection
        var role: Role
        var phase: Phase
        var keepAlive: RTMSKeepAliveTracker?
        var openingSent = false
    }

    private enum State: Equatable {
        case waiting
        case playing
        /// The closing updates went out; the connections close at `closeAt` unless the client closes them first.
        case ending(closeAt: Double, outcome: String, reason: RTMSStopReason)
        case finished
    }

    /// Opening order: signaling first once there is one, then media.
    private var connections: [Connection] = []
    private var state: State = .waiting
    /// When the script's offset 0 is (wall time); set at the first client ready ack, moved on at every loop.
    private var playbackStart: Double?
    private var firstPlaybackStart: Double?
    private var nextItem = 0
    private var loops = 0
    private var firedFaults: [Bool]
    /// When the session lost its signaling connection and every media connection.
    private var orphanedSince: Double?
    /// When the last live media connection was lost while signaling stayed, and the stop reason to end with.
    private var mediaLost: (since: Double, reason: RTMSStopReason)?
    private var orphanReason: RTMSStopReason = .awaitReconnectionTimeout
    /// Every media connection was lost while signaling stayed: a new signaling handshake may take over.
    private var mediaInterrupted = false
    private var subscribedEvents: [RTMSEventType: Bool] = [:]
    /// Since when playback waits for a media connection that is still handshaking (`isHeldBack`).
    private var holdingSince: Double?
    /// The longest playback waits for such a connection before going on without it.
    public static let holdLimit: Double = 2
    public private(set) var sentItems = 0
    public private(set) var unsentItems = 0
    /// Items of a type no live connection carries while other media connections were live (not asked for).
    public private(set) var unrequestedItems = 0
    /// How late items went out against their due time (the driver ticks, or cannot keep up): the worst, and how
    /// many were more than `lagThreshold` late.
    public private(set) var maxLag: Double = 0
    public private(set) var itemsLate = 0
    public static let lagThreshold: Double = 0.020

    public init(number: Int, token: String, script: RTMSPlaybackScript, options: RTMSServerOptions) {
        self.number = number
        self.token = token
        self.script = script
        self.options = options
        self.firedFaults = Array(repeating: false, count: options.faults.count)
    }

    // MARK: - State for the emulator

    public var isFinished: Bool { state == .finished }

    /// Neither ending nor finished.
    private var isActive: Bool { state == .waiting || state == .playing }

    /// True while the session has a signaling connection.
    public var hasSignaling: Bool { connections.contains { $0.role == .signaling } }

    /// True when a new signaling handshake for the stream may take this session over: its signaling connection is
    /// gone, or every media connection was lost while media was wanted.
    public var isInterrupted: Bool { isActive && (!hasSignaling || mediaInterrupted) }

    /// When the session was interrupted (for choosing which one a reconnecting client gets).
    public var interruptedSince: Double? { orphanedSince ?? mediaLost?.since }

    /// Every connection of the session.
    public var handles: [RTMSServerConnection] { connections.map(\.handle) }

    /// The event subscriptions the client sent (msg_type 5), latest first-come: event type -> subscribed.
    public var eventSubscriptions: [RTMSEventType: Bool] { subscribedEvents }

    /// The earliest time `tick(now:)` has something to do; nil when finished.
    public var nextDeadline: Double? {
        if state == .finished { return nil }
        if case .ending(let closeAt, _, _) = state { return closeAt }
        var deadline = Double.infinity
        for c in connections {
            if case .awaitingHandshake(let d) = c.phase { deadline = min(deadline, d) }
            if let k = c.keepAlive, !k.isStopped { deadline = min(deadline, k.nextDue) }
        }
        if let holdingSince { deadline = min(deadline, holdingSince + Self.holdLimit) }
        if state == .playing, let start = playbackStart {
            if holdingSince != nil {
                // Held back: the hold limit or the connection going live (an input) moves it on.
            } else if nextItem < script.items.count {
                deadline = min(deadline, due(script.items[nextItem].offsetMicros, start))
            } else {
                deadline = min(deadline, due(script.endOffsetMicros, start))
            }
            if let first = firstPlaybackStart {
                for (i, fault) in options.faults.enumerated() where !firedFaults[i] {
                    if let t = fault.time { deadline = min(deadline, first + t) }
                }
            }
        }
        if let orphanedSince { deadline = min(deadline, orphanedSince + options.signalingReconnectWait) }
        if let mediaLost { deadline = min(deadline, mediaLost.since + options.mediaReconnectWait) }
        return deadline.isFinite ? deadline : nil
    }

    // MARK: - Inputs

    /// A signaling handshake request, already checked (`RTMSServerHandshake.checkSignaling`), arrived on `handle`,
    /// a new connection: it becomes this session's signaling connection. Notes: "a second signaling connection for
    /// the same stream knocks out the first": an older signaling connection and its media connections are closed.
    public mutating func attachSignaling(
        _ handle: RTMSServerConnection, request: RTMSMessage.SignalingHandshakeRequest, now: Double
    ) -> [RTMSServerAction] {
        guard isActive else { return [.close(handle, .normal(reason: "the stream has ended"))] }
        var actions: [RTMSServerAction] = []
        if hasSignaling {
            for c in connections {
                actions.append(.close(c.handle, .normal(reason: "replaced by a new signaling handshake")))
            }
            connections = []
            actions.append(.emit(event(.note("a new signaling handshake replaced the open connections"))))
        }
        var signaling = Connection(handle: handle, role: .signaling, phase: .live(.all))
        signaling.keepAlive = tracker(now)
        connections.insert(signaling, at: 0)
        orphanedSince = nil
        mediaInterrupted = false
        let keys = RTMSMediaType.singles + [.all]
        let urls = keys.compactMap { type in
            type.key.map {
                RTMSMessage.SignalingHandshakeResponse.MediaURL(
                    $0, RTMSServerPath.media(session: token, types: type).url(base: options.baseURL))
            }
        }
        let response = RTMSMessage.SignalingHandshakeResponse(
            protocolVersion: 1, sequence: 0, statusCode: 0, reason: "", mediaURLs: urls)
        actions.append(.send(handle, .signalingHandshakeResponse(response)))
        actions.append(.emit(event(.connected(connection: handle, role: "signaling", types: nil))))
        return actions + advance(now)
    }

    /// A websocket to one of this session's media URLs opened on `handle`; `path` is the type of the URL.
    public mutating func openedMedia(_ handle: RTMSServerConnection, path: RTMSMediaType, now: Double) -> [RTMSServerAction] {
        guard isActive else { return [.close(handle, .normal(reason: "the stream has ended"))] }
        connections.append(
            Connection(handle: handle, role: .media(path: path), phase: .awaitingHandshake(deadline: now + options.handshakeTimeout)))
        return advance(now)
    }

    /// A message arrived on `handle`.
    public mutating func received(_ handle: RTMSServerConnection, _ message: RTMSMessage, now: Double) -> [RTMSServerAction] {
        guard isActive, let i = index(handle) else { return [] }
        if case .awaitingHandshake = connections[i].phase {
            return mediaHandshake(at: i, message, now: now) + advance(now)
        }
        var actions: [RTMSServerAction] = []
        switch message {
        case .keepAliveResponse(let response):
            if connections[i].keepAlive?.answered(response) == false {
                let sequence = response.sequence.map(String.init) ?? "none"
                actions.append(.emit(event(.note("keep-alive response on \(handle) (sequence \(sequence)) matches no request"))))
            }
        case .clientReadyAck where connections[i].role == .signaling:
            actions += clientReady(now: now)
        case .eventSubscription(let subscription) where connections[i].role == .signaling:
            for entry in subscription.events { subscribedEvents[entry.eventType] = entry.subscribe ?? true }
        case .sessionStateRequest(let request) where connections[i].role == .signaling:
            let state: RTMSSessionState = self.state == .playing ? .started : .initialize
            actions.append(
                .send(handle, .sessionStateResponse(.init(sessionID: request.sessionID ?? script.sessionID, state: state, timestamp: scriptTime(now)))))
        case .streamStateRequest where connections[i].role == .signaling:
            actions.append(
                .send(handle, .streamStateResponse(.init(state: .active, streamID: script.descriptor.streamID, timestamp: scriptTime(now)))))
        case .videoSubscriptionRequest(let request) where connections[i].role == .signaling:
            actions.append(
                .send(handle, .videoSubscriptionResponse(.init(userID: request.userID, statusCode: 0, reason: "", timestamp: Int64(now * 1000)))))
        case .streamCloseRequest where connections[i].role == .signaling:
            // Reference: "RTMS will respond with a STREAM_CLOSE_RESP message and terminate the stream."
            actions.append(
                .send(handle, .streamCloseResponse(.init(streamID: script.descriptor.streamID, statusCode: 0, reason: "", timestamp: scriptTime(now)))))
            return actions + end(outcome: "closed_by_client", reason: .receiverRequestClose, now: now)
        default:
            let name = RTMSMessageType(rawValue: message.msgType)?.description ?? "unknown"
            actions.append(.emit(event(.note("unexpected msg_type \(message.msgType) (\(name)) on \(handle)"))))
        }
        return actions + advance(now)
    }

    /// A message on `handle` could not be decoded.
    public mutating func receivedUndecodable(_ handle: RTMSServerConnection, error: MediaError, now: Double) -> [RTMSServerAction] {
        guard isActive, let i = index(handle) else { return [] }
        if case .awaitingHandshake = connections[i].phase {
            return refuseMedia(at: i, RTMSServerHandshake.undecodable(error)) + advance(now)
        }
        return [.emit(event(.note("undecodable message on \(handle): \(error.message)")))] + advance(now)
    }

    /// The client closed `handle`, or the connection failed.
    public mutating func closed(_ handle: RTMSServerConnection, reason: String, now: Double) -> [RTMSServerAction] {
        guard state != .finished, let i = index(handle) else { return [] }
        let lost = connections.remove(at: i)
        if case .ending = state { return advance(now) }
        var actions: [RTMSServerAction] = [.emit(event(.disconnected(connection: handle, reason: reason)))]
        if lost.role == .signaling {
            actions += dropAll(.normal(reason: "the signaling connection closed"), now: now, reason: .signalConnectionInterrupted)
        } else {
            noteMediaLoss(now: now, reason: .dataConnectionInterrupted)
        }
        return actions + advance(now)
    }

    /// Time passes.
    public mutating func tick(now: Double) -> [RTMSServerAction] { advance(now) }

    /// The server stops: the stream ends for this client as if the meeting ended.
    public mutating func shutdown(now: Double) -> [RTMSServerAction] {
        switch state {
        case .finished: return []
        case .ending(_, let outcome, let reason): return closeAll(outcome: outcome, reason: reason)
        case .waiting, .playing:
            return end(outcome: "server_stopped", reason: .meetingEnded, now: now, grace: 0)
        }
    }

    // MARK: - Steps

    private func index(_ handle: RTMSServerConnection) -> Int? { connections.firstIndex { $0.handle == handle } }

    private func event(_ kind: RTMSServerEvent.Kind) -> RTMSServerEvent { RTMSServerEvent(session: number, kind) }

    private func tracker(_ now: Double) -> RTMSKeepAliveTracker {
        RTMSKeepAliveTracker(start: now, interval: options.keepAliveInterval, missedLimit: options.missedKeepAliveLimit)
    }

    private func due(_ offsetMicros: Int64, _ start: Double) -> Double {
        start + Double(offsetMicros) / 1_000_000 / options.speed
    }

    /// `now` on the recording's clock (Unix milliseconds), for the timestamps of generated state messages.
    private func scriptTime(_ now: Double) -> Int64 {
        guard let start = playbackStart else { return script.firstPacketTimestamp }
        return script.firstPacketTimestamp + Int64(((now - start) * options.speed * 1000).rounded())
    }

    private mutating func mediaHandshake(at i: Int, _ message: RTMSMessage, now: Double) -> [RTMSServerAction] {
        let request: RTMSMessage.DataHandshakeRequest
        switch RTMSServerHandshake.checkMedia(message, descriptor: script.descriptor, credentials: options.credentials) {
        case .failure(let refusal): return refuseMedia(at: i, refusal)
        case .success(let r): request = r
        }
        if let code = options.mediaStatusFault {
            return refuseMedia(at: i, .init(code, "refused by --fault media-status=\(code)"))
        }
        guard case .media(let path) = connections[i].role else { return [] }
        var types = path
        if path.contains(.all) {
            let asked = request.mediaType ?? .all
            types = asked.rawValue == 0 || asked.contains(.all) ? .all : asked
        }
        let parameters = RTMSServerHandshake.mediaParameters(
            requested: request.mediaParameters, types: types, recorded: script.recordedMediaParameters,
            recordedTypes: script.mediaTypes)
        let response = RTMSMessage.DataHandshakeResponse(
            protocolVersion: 1, statusCode: 0, reason: "", sequence: request.sequence ?? 0, payloadEncrypted: false,
            mediaParameters: parameters)
        connections[i].phase = .handshaken(types)
        connections[i].keepAlive = tracker(now)
        let handle = connections[i].handle
        return [
            .send(handle, .dataHandshakeResponse(response)),
            .emit(event(.connected(connection: handle, role: "media", types: types))),
        ]
    }

    private mutating func refuseMedia(at i: Int, _ refusal: RTMSServerHandshake.Refusal) -> [RTMSServerAction] {
        let handle = connections.remove(at: i).handle
        let response = RTMSMessage.DataHandshakeResponse(
            protocolVersion: 1, statusCode: refusal.statusCode, reason: refusal.reason, sequence: 0)
        return [
            .send(handle, .dataHandshakeResponse(response)), .close(handle, .normal(reason: "media handshake refused")),
            .emit(event(.refused(connection: handle, role: "media", statusCode: refusal.statusCode, reason: refusal.reason))),
        ]
    }

    /// Reference: "After the app receives the data handshake response from the media connection, it needs to send
    /// a client ready ack to the signaling connection ... that it is ready to receive media data."
    private mutating func clientReady(now: Double) -> [RTMSServerAction] {
        var actions: [RTMSServerAction] = []
        for i in connections.indices {
            if case .handshaken(let types) = connections[i].phase { connections[i].phase = .live(types) }
        }
        if connections.contains(where: { if case .live = $0.phase { return $0.role != .signaling } else { return false } }) {
            mediaLost = nil
            mediaInterrupted = false
        }
        if let s = connections.firstIndex(where: { $0.role == .signaling }), !connections[s].openingSent {
            // Notes: "Servers then send the first packet timestamp event and a session state update."
            connections[s].openingSent = true
            let handle = connections[s].handle
            let stamp = script.firstPacketTimestamp
            actions.append(.send(handle, .eventUpdate(.init(eventType: .firstPacketTimestamp, timestamp: stamp))))
            actions.append(
                .send(handle, .sessionStateUpdate(.init(state: .started, timestamp: stamp, sessionID: script.sessionID))))
        }
        if state == .waiting {
            state = .playing
            playbackStart = now
            firstPlaybackStart = now
            actions.append(.emit(event(.playing)))
        }
        return actions
    }

    /// Everything due at `now`: handshake timeouts, faults, keep-alives, playback, reconnection deadlines.
    private mutating func advance(_ now: Double) -> [RTMSServerAction] {
        switch state {
        case .finished: return []
        case .ending(let closeAt, let outcome, let reason):
            guard now >= closeAt || connections.isEmpty else { return [] }
            return closeAll(outcome: outcome, reason: reason)
        case .waiting, .playing: break
        }
        var actions: [RTMSServerAction] = []
        // Handshake timeouts.
        var i = 0
        while i < connections.count {
            if case .awaitingHandshake(let deadline) = connections[i].phase, now >= deadline {
                let handle = connections.remove(at: i).handle
                actions.append(.close(handle, .normal(reason: "no media handshake request within \(Int(options.handshakeTimeout)) s")))
                actions.append(.emit(event(.disconnected(connection: handle, reason: "no handshake request"))))
                continue
            }
            i += 1
        }
        // Faults.
        if state == .playing, let first = firstPlaybackStart {
            for (k, fault) in options.faults.enumerated() where !firedFaults[k] {
                guard let t = fault.time, now >= first + t else { continue }
                firedFaults[k] = true
                actions += strike(fault, now: now)
            }
        }
        // Keep-alives.
        i = 0
        while i < connections.count {
            guard var keepAlive = connections[i].keepAlive else {
                i += 1
                continue
            }
            let step = keepAlive.step(now: now)
            connections[i].keepAlive = keepAlive
            switch step {
            case .none:
                i += 1
            case .send(let request):
                actions.append(.send(connections[i].handle, .keepAliveRequest(request)))
                i += 1
            case .expired(let unanswered):
                let lost = connections.remove(at: i)
                actions.append(.emit(event(.keepAliveTimeout(connection: lost.handle, unanswered: unanswered))))
                actions.append(.close(lost.handle, .abort(reason: "\(unanswered) keep-alive requests unanswered")))
                if lost.role == .signaling {
                    actions += dropAll(.abort(reason: "the signaling connection was interrupted"), now: now, reason: .keepAliveTimeout)
                } else {
                    noteMediaLoss(now: now, reason: .keepAliveTimeout)
                }
                i = 0
            }
        }
        // Playback.
        playback: while state == .playing, let start = playbackStart {
            while nextItem < script.items.count, due(script.items[nextItem].offsetMicros, start) <= now {
                if isHeldBack(script.items[nextItem]) {
                    if holdingSince == nil { holdingSince = now }
                    if now < holdingSince! + Self.holdLimit { break playback }
                }
                holdingSince = nil
                let item = script.items[nextItem]
                let before = sentItems
                actions += deliver(item)
                if sentItems > before { noteLag(now - due(item.offsetMicros, start)) }
                nextItem += 1
            }
            guard nextItem == script.items.count, now >= due(script.endOffsetMicros, start) else { break }
            guard options.loop && script.endOffsetMicros > 0 else {
                return actions + end(outcome: "completed", reason: script.endReason, now: now)
            }
            playbackStart = due(script.endOffsetMicros, start)
            nextItem = 0
            loops += 1
            actions.append(.emit(event(.looped(count: loops))))
        }
        // Waiting for a reconnection.
        if let since = orphanedSince, now >= since + options.signalingReconnectWait {
            return actions + abandon(reason: orphanReason)
        }
        if let lost = mediaLost, now >= lost.since + options.mediaReconnectWait {
            return actions + end(outcome: "media_not_restored", reason: lost.reason, now: now)
        }
        return actions
    }

    private mutating func noteLag(_ lag: Double) {
        maxLag = max(maxLag, lag)
        if lag > Self.lagThreshold { itemsLate += 1 }
    }

    /// True when no live connection carries `item` but one that would is in the middle of its handshake: the
    /// client opens one media connection per type and has not got to this one yet.
    private func isHeldBack(_ item: RTMSPlaybackScript.Item) -> Bool {
        guard case .media(let types) = item.route else { return false }
        var pending = false
        for c in connections {
            guard case .media(let path) = c.role else { continue }
            switch c.phase {
            case .live(let carried):
                if carried.contains(.all) || !carried.intersection(types).isEmpty { return false }
            case .handshaken(let carried):
                if carried.contains(.all) || !carried.intersection(types).isEmpty { pending = true }
            case .awaitingHandshake:
                if path.contains(.all) || !path.intersection(types).isEmpty { pending = true }
            }
        }
        return pending
    }

    private mutating func deliver(_ item: RTMSPlaybackScript.Item) -> [RTMSServerAction] {
        let target: RTMSServerConnection?
        switch item.route {
        case .signaling:
            target = connections.first { $0.role == .signaling }?.handle
        case .media(let types):
            target = connections.first { c in
                guard case .live(let carried) = c.phase, c.role != .signaling else { return false }
                return carried.contains(.all) || !carried.intersection(types).isEmpty
            }?.handle
        }
        guard let target else {
            let mediaLive = connections.contains { c in
                if case .live = c.phase { return c.role != .signaling }
                return false
            }
            if case .media = item.route, mediaLive {
                unrequestedItems += 1
            } else {
                unsentItems += 1
            }
            return []
        }
        sentItems += 1
        return [.send(target, RTMSServerFrame(payload: item.payload, binary: item.binaryFrame, msgType: item.msgType))]
    }

    private mutating func strike(_ fault: RTMSServerFault, now: Double) -> [RTMSServerAction] {
        switch fault {
        case .dropMediaAt:
            let media = connections.filter { $0.role != .signaling }
            connections.removeAll { $0.role != .signaling }
            if !media.isEmpty { noteMediaLoss(now: now, reason: .dataConnectionInterrupted) }
            return [.emit(event(.fault(fault.description, connections: media.map(\.handle))))]
                + media.map { .close($0.handle, .abort(reason: "fault \(fault)")) }
        case .dropSignalingAt:
            let all = connections.map(\.handle)
            let actions: [RTMSServerAction] = [.emit(event(.fault(fault.description, connections: all)))]
            return actions + dropAll(.abort(reason: "fault \(fault)"), now: now, reason: .signalConnectionInterrupted)
        case .stopKeepAliveAt:
            for i in connections.indices { connections[i].keepAlive?.stop() }
            return [.emit(event(.fault(fault.description, connections: connections.map(\.handle))))]
        case .status, .mediaStatus:
            return []
        }
    }

    /// Closes every connection: the session waits for a new signaling handshake.
    private mutating func dropAll(_ close: RTMSServerClose, now: Double, reason: RTMSStopReason) -> [RTMSServerAction] {
        let actions = connections.map { RTMSServerAction.close($0.handle, close) }
        connections = []
        mediaLost = nil
        mediaInterrupted = false
        orphanedSince = now
        orphanReason = reason == .keepAliveTimeout ? .keepAliveTimeout : .awaitReconnectionTimeout
        return actions
    }

    /// A media connection went away: when no media connection is left while signaling stays, the wait for a media
    /// reconnection starts.
    private mutating func noteMediaLoss(now: Double, reason: RTMSStopReason) {
        let mediaLeft = connections.contains { $0.role != .signaling }
        guard !mediaLeft, hasSignaling else { return }
        mediaInterrupted = true
        if mediaLost == nil { mediaLost = (now, reason) }
    }

    /// The end of the stream: the closing updates on signaling, then, after `grace` seconds (or once the client
    /// has closed everything), every connection closed normally.
    private mutating func end(outcome: String, reason: RTMSStopReason, now: Double, grace: Double? = nil) -> [RTMSServerAction] {
        var actions: [RTMSServerAction] = []
        if let signaling = connections.first(where: { $0.role == .signaling })?.handle {
            let stamp = scriptTime(now)
            actions.append(
                .send(signaling, .sessionStateUpdate(.init(state: .stopped, stopReason: reason, timestamp: stamp, sessionID: script.sessionID))))
            actions.append(.send(signaling, .streamStateUpdate(.init(state: .terminated, reason: reason, timestamp: stamp))))
        }
        let wait = grace ?? options.endGrace
        guard wait > 0, !connections.isEmpty else { return actions + closeAll(outcome: outcome, reason: reason) }
        state = .ending(closeAt: now + wait, outcome: outcome, reason: reason)
        return actions
    }

    /// Closes what is left and finishes.
    private mutating func closeAll(outcome: String, reason: RTMSStopReason) -> [RTMSServerAction] {
        var actions: [RTMSServerAction] = []
        for c in connections.reversed() { actions.append(.close(c.handle, .normal(reason: "the stream has ended"))) }
        connections = []
        state = .finished
        actions.append(.emit(event(.ended(outcome: outcome, reason: reason, sent: sentItems, unsent: unsentItems))))
        return actions
    }

    /// Nobody came back: the session ends without anyone to tell.
    private mutating func abandon(reason: RTMSStopReason) -> [RTMSServerAction] {
        let actions = connections.map { RTMSServerAction.close($0.handle, .normal(reason: "the stream has ended")) }
        connections = []
        state = .finished
        return actions + [.emit(event(.ended(outcome: "not_reconnected", reason: reason, sent: sentItems, unsent: unsentItems)))]
    }
}
