/// Something an emulated RTMS server reports: one NDJSON line of `rtms replay --serve --json`
/// (`{"type":"rtms.serve.connected","session":3,"connection":7,...}`).
public struct RTMSServerEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A new client session (a signaling handshake that did not take over an interrupted session).
        case sessionStarted(token: String)
        /// A signaling handshake took over an interrupted session: the client reconnected.
        case reconnected(connection: RTMSServerConnection)
        /// A handshake succeeded: "signaling", or a media connection carrying `types`.
        case connected(connection: RTMSServerConnection, role: String, types: RTMSMediaType?)
        /// A handshake was answered with a non-zero status.
        case refused(connection: RTMSServerConnection, role: String, statusCode: Int64, reason: String)
        /// The first client ready ack came: the recording plays from here.
        case playing
        /// The recording started over (`--loop`).
        case looped(count: Int)
        /// A connection was interrupted after `unanswered` keep-alive requests went unanswered.
        case keepAliveTimeout(connection: RTMSServerConnection, unanswered: Int)
        /// A `--fault` struck.
        case fault(String, connections: [RTMSServerConnection])
        /// A connection closed, by the client or by the server.
        case disconnected(connection: RTMSServerConnection, reason: String)
        /// Something worth knowing that changes nothing (an unexpected message).
        case note(String)
        /// The session is over: how, the stop reason sent (if any), and what was sent.
        case ended(outcome: String, reason: RTMSStopReason?, sent: Int, unsent: Int)
    }

    /// The session number, nil for events of no session (a refused handshake before one existed).
    public var session: Int?
    public var kind: Kind

    public init(session: Int?, _ kind: Kind) {
        self.session = session
        self.kind = kind
    }

    /// "rtms.serve.session", "rtms.serve.reconnect", "rtms.serve.connected", "rtms.serve.refused",
    /// "rtms.serve.playing", "rtms.serve.loop", "rtms.serve.keepalive_timeout", "rtms.serve.fault",
    /// "rtms.serve.disconnect", "rtms.serve.note", "rtms.serve.end".
    public var type: String {
        switch kind {
        case .sessionStarted: return "rtms.serve.session"
        case .reconnected: return "rtms.serve.reconnect"
        case .connected: return "rtms.serve.connected"
        case .refused: return "rtms.serve.refused"
        case .playing: return "rtms.serve.playing"
        case .looped: return "rtms.serve.loop"
        case .keepAliveTimeout: return "rtms.serve.keepalive_timeout"
        case .fault: return "rtms.serve.fault"
        case .disconnected: return "rtms.serve.disconnect"
        case .note: return "rtms.serve.note"
        case .ended: return "rtms.serve.end"
        }
    }

    /// One flat JSON object, `type` first.
    public var jsonObject: JSONValue {
        var w = RTMSFieldWriter()
        w.add("type", type)
        w.add("session", session.map { Int64($0) })
        switch kind {
        case .sessionStarted(let token):
            w.add("token", token)
        case .reconnected(let connection):
            w.add("connection", Int64(connection.id))
        case .connected(let connection, let role, let types):
            w.add("connection", Int64(connection.id))
            w.add("role", role)
            w.add("media", types?.description)
        case .refused(let connection, let role, let statusCode, let reason):
            w.add("connection", Int64(connection.id))
            w.add("role", role)
            w.add("status_code", statusCode)
            w.add("reason", reason)
        case .playing:
            break
        case .looped(let count):
            w.add("count", Int64(count))
        case .keepAliveTimeout(let connection, let unanswered):
            w.add("connection", Int64(connection.id))
            w.add("unanswered", Int64(unanswered))
        case .fault(let fault, let connections):
            w.add("fault", fault)
            w.add("connections", .array(connections.map { .int(Int64($0.id)) }))
        case .disconnected(let connection, let reason):
            w.add("connection", Int64(connection.id))
            w.add("reason", reason)
        case .note(let message):
            w.add("message", message)
        case .ended(let outcome, let reason, let sent, let unsent):
            w.add("outcome", outcome)
            w.add("reason", reason)
            w.add("reason_name", reason?.name)
            w.add("sent", Int64(sent))
            w.add("unsent", Int64(unsent))
        }
        return w.object
    }

    /// A line for people.
    public var text: String {
        let prefix = session.map { "session \($0): " } ?? ""
        switch kind {
        case .sessionStarted(let token): return prefix + "new client session (media under /media/\(token)/)"
        case .reconnected(let c): return prefix + "client reconnected (signaling \(c))"
        case .connected(let c, let role, let types):
            return prefix + "\(role) connection \(c) ready" + (types.map { " (\($0))" } ?? "")
        case .refused(let c, let role, let code, let reason):
            return prefix + "\(role) handshake on \(c) refused: \(RTMSStatus.describe(code: code, reason: reason))"
        case .playing: return prefix + "client ready: playing the recording"
        case .looped(let count): return prefix + "recording starts over (loop \(count))"
        case .keepAliveTimeout(let c, let n): return prefix + "\(n) keep-alive requests unanswered: interrupting \(c)"
        case .fault(let fault, let cs): return prefix + "fault \(fault) on \(cs.map(\.description).joined(separator: ", "))"
        case .disconnected(let c, let reason): return prefix + "\(c) closed: \(reason)"
        case .note(let message): return prefix + message
        case .ended(let outcome, let reason, let sent, let unsent):
            return prefix + "ended (\(outcome)" + (reason.map { ", reason \($0)" } ?? "")
                + "): \(sent) messages sent, \(unsent) unsent"
        }
    }
}
