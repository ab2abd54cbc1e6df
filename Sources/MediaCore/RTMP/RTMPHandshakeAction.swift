import NIOCore

/// What a handshake state machine asks its driver to do after it read bytes.
public enum RTMPHandshakeAction: Sendable, Equatable {
    /// Write these bytes to the peer.
    case send(ByteBuffer)
    /// The handshake is done. `leftover` holds the bytes that followed the peer's last handshake packet: the start of
    /// the chunk stream (a peer may send chunks right behind S2 or C2). Feed them to the `RTMPChunkDecoder` first.
    case completed(leftover: ByteBuffer)
}

/// Sizes of the handshake packets (section 5.2).
enum RTMPHandshakeSize {
    /// "The C1 and S1 packets are 1536 octets long" (section 5.2.3), and so are C2 and S2 (section 5.2.4).
    static let packet = 1536
    /// "Random data (1528 bytes): This field can contain any arbitrary values." (section 5.2.3)
    static let random = 1528
    /// "The version defined by this specification is 3." (section 5.2.2)
    static let version: UInt8 = 3
}
