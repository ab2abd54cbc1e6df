import NIOCore

/// The server side of the RTMP handshake, for test servers: reads C0 and C1, sends S0, S1 and S2, reads C2
/// (section 5.2).
///
/// "The server MUST wait until C0 has been received before sending S0 and S1, and MAY wait until after C1 as well.
/// The server MUST wait until C1 has been received before sending S2. The server MUST wait until C2 has been received
/// before sending any other data." (section 5.2.1) This one waits for C1 and sends S0, S1 and S2 together.
///
/// S2 echoes C1. With `digest: true` S1 carries a server version and a Flash Media Server digest (see
/// `RTMPHandshakeDigest`); otherwise it is the plain packet of section 5.2.3.
public struct RTMPServerHandshake: Sendable {
    private enum State: Sendable {
        case awaitingC0C1
        case awaitingC2
        case completed
    }

    /// The version field of S1 with a digest (a Flash Media Server 4.5 style version number).
    static let digestServerVersion: [UInt8] = [4, 5, 0, 1]

    private var state: State = .awaitingC0C1
    private let s1: [UInt8]
    private var received = ByteBuffer()

    /// The version byte of C0; nil until it arrived.
    public private(set) var clientVersion: UInt8?
    /// Whether C1 carried a valid Flash Player digest; nil until C1 arrived.
    public private(set) var clientUsesDigest: Bool?

    /// - Parameters:
    ///   - time: S1's time field (section 5.2.3).
    ///   - randomBytes: exactly 1528 bytes for S1's random field.
    ///   - digest: whether to imprint the Flash Media Server digest into S1.
    public init(time: UInt32 = 0, randomBytes: [UInt8], digest: Bool = false) {
        precondition(
            randomBytes.count == RTMPHandshakeSize.random,
            "RTMP handshake needs \(RTMPHandshakeSize.random) random bytes, got \(randomBytes.count)"
        )
        var s1 = [UInt8]()
        s1.reserveCapacity(RTMPHandshakeSize.packet)
        s1.append(contentsOf: [UInt8(truncatingIfNeeded: time >> 24), UInt8(truncatingIfNeeded: time >> 16),
                               UInt8(truncatingIfNeeded: time >> 8), UInt8(truncatingIfNeeded: time)])
        s1.append(contentsOf: digest ? Self.digestServerVersion : [0, 0, 0, 0])
        s1.append(contentsOf: randomBytes)
        if digest {
            RTMPHandshakeDigest.imprint(&s1, key: RTMPHandshakeDigest.serverKey)
        }
        self.s1 = s1
    }

    /// Reads client bytes (all readable bytes of `bytes` are consumed): `.send(S0 + S1 + S2)` once C1 is complete,
    /// `.completed(leftover:)` once C2 is.
    ///
    /// "Values 0-2 are deprecated values used by earlier proprietary products; 4-31 are reserved for future
    /// implementations; and 32-255 are not allowed (to allow distinguishing RTMP from text-based protocols, which always
    /// start with a printable character). A server that does not recognize the client's requested version SHOULD
    /// respond with 3." (section 5.2.2) So C0 values 0-31 are answered with 3 and 32-255 throw.
    public mutating func receive(_ bytes: inout ByteBuffer) throws -> [RTMPHandshakeAction] {
        precondition(self.state != .completed, "RTMPServerHandshake.receive(_:) after completion")
        self.received.writeBuffer(&bytes)
        var actions: [RTMPHandshakeAction] = []

        if self.state == .awaitingC0C1 {
            if self.clientVersion == nil, let version = self.received.getInteger(at: self.received.readerIndex, as: UInt8.self) {
                guard version < 32 else {
                    throw MediaError(
                        .protocolViolation,
                        "client sent handshake version \(version) at byte 0: 32-255 are not allowed in C0 (not RTMP)"
                    )
                }
                self.clientVersion = version
            }
            guard self.received.readableBytes >= 1 + RTMPHandshakeSize.packet else { return actions }
            self.received.moveReaderIndex(forwardBy: 1)
            let c1 = self.received.readBytes(length: RTMPHandshakeSize.packet)!
            self.clientUsesDigest = RTMPHandshakeDigest.verify(c1, key: RTMPHandshakeDigest.clientKey) != nil
            var reply = ByteBuffer()
            reply.reserveCapacity(1 + 2 * RTMPHandshakeSize.packet)
            reply.writeInteger(RTMPHandshakeSize.version)
            reply.writeBytes(self.s1)
            reply.writeBytes(c1)
            actions.append(.send(reply))
            self.state = .awaitingC2
        }

        if self.state == .awaitingC2 {
            guard self.received.readableBytes >= RTMPHandshakeSize.packet else { return actions }
            self.received.moveReaderIndex(forwardBy: RTMPHandshakeSize.packet)
            let leftover = self.received.readSlice(length: self.received.readableBytes)!
            self.received = ByteBuffer()
            self.state = .completed
            actions.append(.completed(leftover: leftover))
        }
        return actions
    }
}
