import NIOCore

/// The client side of the RTMP handshake: sends C0 and C1, reads S0 and S1, answers C2, reads S2 (section 5.2).
///
/// "The handshake begins with the client sending the C0 and C1 chunks. The client MUST wait until S1 has been received
/// before sending C2. The client MUST wait until S2 has been received before sending any other data." (section 5.2.1)
///
/// With `digest: true` (the default) C1 carries a Flash Player version and an HMAC-SHA256 digest (see
/// `RTMPHandshakeDigest`), as ffmpeg and Flash Player send it; some servers refuse a client without it. With
/// `digest: false` C1 is the specification's plain packet with a zero version field. Either way C2 echoes S1, and S1
/// is accepted with or without a server digest.
///
/// The core has no clock or random source: the caller supplies C1's time and its 1528 random bytes.
public struct RTMPClientHandshake: Sendable {
    private enum State: Sendable {
        case idle
        case awaitingS0S1
        case awaitingS2
        case completed
    }

    /// The version field of C1 with a digest: Flash Player 9.0.124.2, as ffmpeg sends it.
    static let digestClientVersion: [UInt8] = [9, 0, 124, 2]

    private var state: State = .idle
    private let c1: [UInt8]
    private var received = ByteBuffer()

    /// Whether the server's S1 carried a valid Flash Media Server digest; nil until S1 arrived.
    public private(set) var serverUsesDigest: Bool?

    /// - Parameters:
    ///   - time: C1's time field. "This field contains a timestamp, which SHOULD be used as the epoch for all future
    ///     chunks sent from this endpoint. This may be 0, or some arbitrary value." (section 5.2.3)
    ///   - randomBytes: exactly 1528 bytes. "this data SHOULD send something sufficiently random. But there is no need
    ///     for cryptographically-secure randomness, or even dynamic values." (section 5.2.3)
    ///   - digest: whether to imprint the Flash Player digest into C1.
    public init(time: UInt32 = 0, randomBytes: [UInt8], digest: Bool = true) {
        precondition(
            randomBytes.count == RTMPHandshakeSize.random,
            "RTMP handshake needs \(RTMPHandshakeSize.random) random bytes, got \(randomBytes.count)"
        )
        var c1 = [UInt8]()
        c1.reserveCapacity(RTMPHandshakeSize.packet)
        c1.append(contentsOf: [UInt8(truncatingIfNeeded: time >> 24), UInt8(truncatingIfNeeded: time >> 16),
                               UInt8(truncatingIfNeeded: time >> 8), UInt8(truncatingIfNeeded: time)])
        // "Zero (4 bytes): This field MUST be all 0s." (section 5.2.3) -- unless the digest scheme puts a version here.
        c1.append(contentsOf: digest ? Self.digestClientVersion : [0, 0, 0, 0])
        c1.append(contentsOf: randomBytes)
        if digest {
            RTMPHandshakeDigest.imprint(&c1, key: RTMPHandshakeDigest.clientKey)
        }
        self.c1 = c1
    }

    /// C0 and C1: the first bytes the client sends.
    ///
    /// "In C0, this field identifies the RTMP version requested by the client. [...] The version defined by this
    /// specification is 3." (section 5.2.2)
    public mutating func start() -> ByteBuffer {
        precondition(self.state == .idle, "RTMPClientHandshake.start() called twice")
        self.state = .awaitingS0S1
        var buffer = ByteBuffer()
        buffer.reserveCapacity(1 + RTMPHandshakeSize.packet)
        buffer.writeInteger(RTMPHandshakeSize.version)
        buffer.writeBytes(self.c1)
        return buffer
    }

    /// Reads server bytes (all readable bytes of `bytes` are consumed) and returns what to do: `.send(C2)` once S1 is
    /// complete, `.completed(leftover:)` once S2 is. Both can come from one call.
    ///
    /// Throws `MediaError(.protocolViolation, ...)` when S0 asks for another version than 3.
    public mutating func receive(_ bytes: inout ByteBuffer) throws -> [RTMPHandshakeAction] {
        precondition(self.state != .idle, "RTMPClientHandshake.receive(_:) before start()")
        precondition(self.state != .completed, "RTMPClientHandshake.receive(_:) after completion")
        self.received.writeBuffer(&bytes)
        var actions: [RTMPHandshakeAction] = []

        if self.state == .awaitingS0S1 {
            // "In S0, this field identifies the RTMP version selected by the server." (section 5.2.2)
            if let version = self.received.getInteger(at: self.received.readerIndex, as: UInt8.self),
                version != RTMPHandshakeSize.version
            {
                throw MediaError(.protocolViolation, "server answered handshake version \(version), expected 3")
            }
            guard self.received.readableBytes >= 1 + RTMPHandshakeSize.packet else { return actions }
            self.received.moveReaderIndex(forwardBy: 1)
            let s1 = self.received.readBytes(length: RTMPHandshakeSize.packet)!
            self.serverUsesDigest = RTMPHandshakeDigest.verify(s1, key: RTMPHandshakeDigest.serverKey) != nil
            // "The C2 and S2 packets are 1536 octets long, and nearly an echo of S1 and C1 (respectively)"
            // (section 5.2.4). C2 repeats S1 unchanged, as servers that check C2 against S1 expect.
            actions.append(.send(ByteBuffer(bytes: s1)))
            self.state = .awaitingS2
        }

        if self.state == .awaitingS2 {
            guard self.received.readableBytes >= RTMPHandshakeSize.packet else { return actions }
            // S2 should echo C1 but servers with the digest scheme send their own: it is not checked.
            self.received.moveReaderIndex(forwardBy: RTMPHandshakeSize.packet)
            let leftover = self.received.readSlice(length: self.received.readableBytes)!
            self.received = ByteBuffer()
            self.state = .completed
            actions.append(.completed(leftover: leftover))
        }
        return actions
    }
}
