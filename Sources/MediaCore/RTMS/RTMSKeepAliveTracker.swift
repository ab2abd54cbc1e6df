/// The server side of keep-alives on one connection. Reference: "RTMS servers send a keep-alive request to both
/// the signaling and media connections every 10 seconds." and "The timestamp in the response must match the
/// request." Notes: "the request carries `timestamp` and `sequence`, and the response (13) echoes both. After three
/// unanswered requests the server interrupts the connection".
///
/// A request is due every `interval` from the start. When one is due and `missedLimit` requests are still
/// unanswered, the connection is to be interrupted instead: with the defaults, requests at 10, 20 and 30 s that get
/// no answer end the connection at 40 s.
public struct RTMSKeepAliveTracker: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Nothing to do yet.
        case none
        /// Send this request.
        case send(RTMSMessage.KeepAlive)
        /// `unanswered` requests got no answer: interrupt the connection.
        case expired(unanswered: Int)
    }

    public let interval: Double
    public let missedLimit: Int
    /// When the next request is due.
    public private(set) var nextDue: Double
    /// The last `sequence` sent; the first request carries 1.
    public private(set) var lastSequence: Int64 = 0
    /// Requests sent and not answered: sequence and timestamp.
    public private(set) var outstanding: [(sequence: Int64, timestamp: Int64)] = []
    /// Set by `stop()`: no more requests (and so no more expiry).
    public private(set) var isStopped = false

    public init(start: Double, interval: Double, missedLimit: Int) {
        self.interval = interval
        self.missedLimit = missedLimit
        self.nextDue = start + interval
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.interval == b.interval && a.missedLimit == b.missedLimit && a.nextDue == b.nextDue
            && a.lastSequence == b.lastSequence && a.isStopped == b.isStopped
            && a.outstanding.map(\.sequence) == b.outstanding.map(\.sequence)
            && a.outstanding.map(\.timestamp) == b.outstanding.map(\.timestamp)
    }

    /// What to do at `now` (seconds, Unix time: the request's `timestamp` is `now` in milliseconds).
    public mutating func step(now: Double) -> Step {
        guard now >= nextDue, !isStopped else { return .none }
        // One request per call: a driver that fell behind catches up by one interval, not with a burst.
        nextDue += interval
        if nextDue <= now { nextDue = now + interval }
        if missedLimit > 0 && outstanding.count >= missedLimit { return .expired(unanswered: outstanding.count) }
        lastSequence += 1
        let timestamp = Int64((now * 1000).rounded(.down))
        outstanding.append((lastSequence, timestamp))
        return .send(RTMSMessage.KeepAlive(timestamp: timestamp, sequence: lastSequence))
    }

    /// A response arrived: it answers the request with its `sequence`, or (without one) the request with its
    /// `timestamp`. Answers to later requests do not answer earlier ones. False when it matches nothing sent.
    @discardableResult
    public mutating func answered(_ response: RTMSMessage.KeepAlive) -> Bool {
        let index: Int?
        if let sequence = response.sequence {
            index = outstanding.firstIndex { sent in
                sent.sequence == sequence && (response.timestamp.map { $0 == sent.timestamp } ?? true)
            }
        } else if let timestamp = response.timestamp {
            index = outstanding.firstIndex { $0.timestamp == timestamp }
        } else {
            index = nil
        }
        guard let index else { return false }
        outstanding.remove(at: index)
        return true
    }

    /// No more requests on this connection (`--fault stop-keepalive-at`).
    public mutating func stop() { isStopped = true }
}
