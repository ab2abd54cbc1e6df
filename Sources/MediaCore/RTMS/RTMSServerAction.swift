import NIOCore

/// One websocket message an emulated RTMS server sends: the bytes, and whether they go in a binary frame.
public struct RTMSServerFrame: Sendable, Equatable {
    public var payload: ByteBuffer
    public var binary: Bool
    /// The `msg_type` of the message, for statistics.
    public var msgType: Int

    public init(payload: ByteBuffer, binary: Bool = false, msgType: Int) {
        self.payload = payload
        self.binary = binary
        self.msgType = msgType
    }

    /// A message the server makes itself, in a text frame.
    public init(_ message: RTMSMessage) {
        self.init(payload: message.encode(), binary: false, msgType: message.msgType)
    }

    /// The message, decoded (tests).
    public func message() throws -> RTMSMessage { try RTMSMessage.decode(payload) }
}

/// How a server closes a connection.
public enum RTMSServerClose: Sendable, Equatable {
    /// A websocket close frame (1000, normal closure) with this reason, after everything sent before it.
    case normal(reason: String)
    /// The TCP connection just ends, without a close frame (what an interrupted connection looks like), after
    /// everything sent before it.
    case abort(reason: String)

    public var reason: String {
        switch self {
        case .normal(let r), .abort(let r): return r
        }
    }
}

/// What an emulated RTMS server (`RTMSEmulator`, `RTMSServerSession`) asks its transport to do, in order.
///
/// Driver contract: carry the actions out in the order given; sends and closes on one connection must reach the
/// socket in that order. After `close(c, _)` the server reports nothing more about `c` (a later `closed(c)` is
/// ignored). Call `tick(now:)` no later than `nextDeadline`.
public enum RTMSServerAction: Sendable, Equatable {
    case send(RTMSServerConnection, RTMSServerFrame)
    case close(RTMSServerConnection, RTMSServerClose)
    /// Report an event (an NDJSON line of `rtms replay --serve --json`).
    case emit(RTMSServerEvent)

    /// A message the server makes itself.
    public static func send(_ connection: RTMSServerConnection, _ message: RTMSMessage) -> RTMSServerAction {
        .send(connection, RTMSServerFrame(message))
    }
}
