import NIOCore

/// An emulated RTMS server for one recorded stream, serving any number of clients at once, each with its own
/// playback (`RTMSServerSession`). Events in, actions out, no I/O: the transport accepts websockets, numbers them,
/// reports what happens and carries out the actions (`RTMSServerAction` has the driver contract).
///
/// Routing: every client starts at `/signaling`. A signaling handshake request that passes the checks
/// (`RTMSServerHandshake.checkSignaling`) takes over an interrupted session of the stream when there is one (its
/// client reconnecting; notes: "Reconnecting is the client's job"), preferring a session whose signaling
/// connection is already gone, the longest-interrupted first; otherwise it starts a new session. The signaling
/// response points the client at `/media/<session>/<type>`, so media connections find their session.
public struct RTMSEmulator: Sendable {
    private let script: RTMSPlaybackScript
    private let options: RTMSServerOptions

    private enum Pending: Sendable {
        /// A `/signaling` connection before its handshake request.
        case signaling(deadline: Double)
        /// A media URL of no live session: its handshake request gets a refusal.
        case orphanMedia(deadline: Double)

        var deadline: Double {
            switch self {
            case .signaling(let d), .orphanMedia(let d): return d
            }
        }
    }

    private var sessions: [Int: RTMSServerSession] = [:]
    private var sessionByToken: [String: Int] = [:]
    private var owner: [RTMSServerConnection: Int] = [:]
    private var pending: [RTMSServerConnection: Pending] = [:]
    private var timers = DeadlineHeap<Int>()
    private var scheduled: [Int: Double] = [:]
    private var nextNumber = 1
    private var stopping = false

    public private(set) var sessionsStarted = 0
    public private(set) var sessionsEnded = 0
    /// Media and events sent and unsent by sessions that have ended.
    public private(set) var itemsSent = 0
    public private(set) var itemsUnsent = 0
    /// Of ended sessions: the latest an item went out after its due time (seconds), and how many went out more
    /// than `RTMSServerSession.lagThreshold` late.
    public private(set) var maxLag: Double = 0
    public private(set) var itemsLate = 0

    public init(script: RTMSPlaybackScript, options: RTMSServerOptions) {
        self.script = script
        self.options = options
    }

    public var activeSessions: Int { sessions.count }

    /// The session a connection belongs to, nil before its signaling handshake.
    public func session(of connection: RTMSServerConnection) -> RTMSServerSession? {
        owner[connection].flatMap { sessions[$0] }
    }

    /// The earliest time `tick(now:)` has something to do.
    public var nextDeadline: Double? {
        var deadline = timers.first?.deadline ?? .infinity
        for p in pending.values { deadline = min(deadline, p.deadline) }
        return deadline.isFinite ? deadline : nil
    }

    // MARK: - Inputs

    /// A websocket opened on `path`.
    public mutating func opened(_ connection: RTMSServerConnection, path: RTMSServerPath, now: Double) -> [RTMSServerAction] {
        if stopping { return [.close(connection, .normal(reason: "the server is stopping"))] }
        switch path {
        case .signaling:
            pending[connection] = .signaling(deadline: now + options.handshakeTimeout)
            return []
        case .media(let token, let types):
            guard let number = sessionByToken[token], sessions[number] != nil else {
                pending[connection] = .orphanMedia(deadline: now + options.handshakeTimeout)
                return []
            }
            owner[connection] = number
            return withSession(number, now: now) { $0.openedMedia(connection, path: types, now: now) }
        }
    }

    /// A websocket message (text or binary: the same JSON) arrived on `connection`.
    public mutating func received(_ connection: RTMSServerConnection, bytes: ByteBuffer, now: Double) -> [RTMSServerAction] {
        let decoded: Result<RTMSMessage, MediaError>
        do {
            decoded = .success(try RTMSMessage.decode(bytes))
        } catch let error as MediaError {
            decoded = .failure(error)
        } catch {
            decoded = .failure(MediaError(.malformedInput, "\(error)"))
        }
        if let waiting = pending.removeValue(forKey: connection) {
            switch waiting {
            case .signaling: return signalingHandshake(connection, decoded, now: now)
            case .orphanMedia:
                return refuse(
                    connection, role: "media", session: nil,
                    .init(RTMSServerHandshake.statusUnknownStream, "no such session: the media URL belongs to a stream session that has ended"),
                    response: { .dataHandshakeResponse(.init(statusCode: $0.statusCode, reason: $0.reason, sequence: 0)) })
            }
        }
        guard let number = owner[connection] else { return [] }
        return withSession(number, now: now) { session in
            switch decoded {
            case .success(let message): return session.received(connection, message, now: now)
            case .failure(let error): return session.receivedUndecodable(connection, error: error, now: now)
            }
        }
    }

    /// `connection` closed by the client, or failed.
    public mutating func closed(_ connection: RTMSServerConnection, reason: String, now: Double) -> [RTMSServerAction] {
        if pending.removeValue(forKey: connection) != nil { return [] }
        guard let number = owner.removeValue(forKey: connection) else { return [] }
        return withSession(number, now: now) { $0.closed(connection, reason: reason, now: now) }
    }

    /// Time passes: every session and waiting connection due by `now`.
    public mutating func tick(now: Double) -> [RTMSServerAction] {
        var actions: [RTMSServerAction] = []
        for (connection, waiting) in pending where now >= waiting.deadline {
            pending[connection] = nil
            actions.append(.close(connection, .normal(reason: "no handshake request within \(Int(options.handshakeTimeout)) s")))
        }
        while let top = timers.first, top.deadline <= now {
            _ = timers.pop()
            guard scheduled[top.key] == top.deadline else { continue }
            scheduled[top.key] = nil
            actions += withSession(top.key, now: now) { $0.tick(now: now) }
        }
        return actions
    }

    /// The server stops: every session ends (the stream terminated, meeting ended), waiting connections close.
    public mutating func shutdown(now: Double) -> [RTMSServerAction] {
        stopping = true
        var actions: [RTMSServerAction] = pending.keys.sorted().map { .close($0, .normal(reason: "the server is stopping")) }
        pending = [:]
        for number in sessions.keys.sorted() {
            actions += withSession(number, now: now) { $0.shutdown(now: now) }
        }
        return actions
    }

    // MARK: - Steps

    private mutating func signalingHandshake(
        _ connection: RTMSServerConnection, _ decoded: Result<RTMSMessage, MediaError>, now: Double
    ) -> [RTMSServerAction] {
        let response: (RTMSServerHandshake.Refusal) -> RTMSMessage = {
            .signalingHandshakeResponse(.init(statusCode: $0.statusCode, reason: $0.reason, mediaURLs: nil))
        }
        let request: RTMSMessage.SignalingHandshakeRequest
        switch decoded {
        case .failure(let error):
            return refuse(connection, role: "signaling", session: nil, RTMSServerHandshake.undecodable(error), response: response)
        case .success(let message):
            switch RTMSServerHandshake.checkSignaling(message, descriptor: script.descriptor, credentials: options.credentials) {
            case .failure(let refusal): return refuse(connection, role: "signaling", session: nil, refusal, response: response)
            case .success(let r): request = r
            }
        }
        if let code = options.signalingStatusFault {
            return refuse(connection, role: "signaling", session: nil, .init(code, "refused by --fault status=\(code)"), response: response)
        }
        var actions: [RTMSServerAction] = []
        let number: Int
        if let resumed = takeoverCandidate() {
            number = resumed
            actions.append(.emit(RTMSServerEvent(session: number, .reconnected(connection: connection))))
        } else {
            number = nextNumber
            nextNumber += 1
            let token = "s\(number)"
            sessions[number] = RTMSServerSession(number: number, token: token, script: script, options: options)
            sessionByToken[token] = number
            sessionsStarted += 1
            actions.append(.emit(RTMSServerEvent(session: number, .sessionStarted(token: token))))
        }
        owner[connection] = number
        return actions + withSession(number, now: now) { $0.attachSignaling(connection, request: request, now: now) }
    }

    /// An interrupted session of the stream: one without signaling first, then the one interrupted longest.
    private func takeoverCandidate() -> Int? {
        var best: (number: Int, rank: (Int, Double, Int))?
        for (number, session) in sessions where session.isInterrupted {
            let rank = (session.hasSignaling ? 1 : 0, session.interruptedSince ?? 0, number)
            if best == nil || rank < best!.rank { best = (number, rank) }
        }
        return best?.number
    }

    private func refuse(
        _ connection: RTMSServerConnection, role: String, session: Int?, _ refusal: RTMSServerHandshake.Refusal,
        response: (RTMSServerHandshake.Refusal) -> RTMSMessage
    ) -> [RTMSServerAction] {
        [
            .send(connection, response(refusal)),
            .close(connection, .normal(reason: "\(role) handshake refused")),
            .emit(RTMSServerEvent(session: session, .refused(connection: connection, role: role, statusCode: refusal.statusCode, reason: refusal.reason))),
        ]
    }

    /// Runs one session input, then files its next deadline, forgets connections it closed, and retires it when
    /// it has finished.
    private mutating func withSession(
        _ number: Int, now: Double, _ body: (inout RTMSServerSession) -> [RTMSServerAction]
    ) -> [RTMSServerAction] {
        guard sessions[number] != nil else { return [] }
        // Mutated in place: a copy taken out of the dictionary would copy its connection list at every input.
        let actions = body(&sessions[number]!)
        for case .close(let connection, _) in actions { owner[connection] = nil }
        let session = sessions[number]!
        if session.isFinished {
            sessions[number] = nil
            sessionByToken[session.token] = nil
            scheduled[number] = nil
            for connection in session.handles { owner[connection] = nil }
            sessionsEnded += 1
            itemsSent += session.sentItems
            itemsUnsent += session.unsentItems
            maxLag = max(maxLag, session.maxLag)
            itemsLate += session.itemsLate
            return actions
        }
        if let deadline = session.nextDeadline {
            if scheduled[number] != deadline {
                scheduled[number] = deadline
                timers.push(deadline, number)
            }
        } else {
            scheduled[number] = nil
        }
        return actions
    }
}
