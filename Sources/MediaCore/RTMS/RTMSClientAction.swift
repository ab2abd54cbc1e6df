/// What an `RTMSClientSession` asks its driver (the transport) to do, in order.
///
/// Driver contract: carry the actions out in the order given. `open` starts a websocket and later reports
/// `connected` or `closed`. After the session says `close(id)`, the driver reports nothing more from that socket
/// (a later `closed(id)` would be taken for the next socket with the same id). `scheduleReconnect(after:)` asks for
/// a `tick(now:)` no later than that many seconds from now; besides, the driver calls `tick(now:)` about once a
/// second. After `finished`, the session does nothing more.
public enum RTMSClientAction: Sendable, Equatable {
    /// Open a websocket to `url` for `id`.
    case open(RTMSConnectionID, url: String)
    /// Send a message on `id` (as JSON: `message.encode()`).
    case send(RTMSConnectionID, RTMSMessage)
    /// Close the websocket of `id`.
    case close(RTMSConnectionID)
    /// Report an event (NDJSON line, log line, recording marker).
    case emit(RTMSEvent)
    /// Call `tick(now:)` after this many seconds: a reconnection is due then.
    case scheduleReconnect(after: Double)
    /// The session is over.
    case finished(RTMSOutcome)
}
