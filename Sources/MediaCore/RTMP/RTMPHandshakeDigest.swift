import Crypto

/// The digest Flash Player and Flash Media Server put into C1 and S1 (the "Flash Player 9" handshake), which some
/// servers check. It is not in RTMP Specification 1.0, whose C1 "Zero (4 bytes): This field MUST be all 0s"
/// (section 5.2.3); a packet with a digest has a non-zero version there instead, which is how a peer tells the two
/// schemes apart.
///
/// The scheme, as ffmpeg's rtmpproto.c and librtmp's handshake.h implement it:
/// - Bytes 4...7 carry a non-zero version (the player's or server's version number).
/// - A 32-byte HMAC-SHA256 digest sits inside the packet at an offset derived from four bytes of the packet itself:
///   `(b[8] + b[9] + b[10] + b[11]) % 728 + 12` (scheme "offset 8"), or `(b[772] + ... + b[775]) % 728 + 776`
///   (scheme "offset 772").
/// - The digest covers the 1536-byte packet without those 32 bytes. A client keys it with the 30 bytes "Genuine Adobe
///   Flash Player 001", a server with the 36 bytes "Genuine Adobe Flash Media Server 001".
enum RTMPHandshakeDigest {
    /// "Genuine Adobe Flash Player 001".
    static let clientKey: [UInt8] = Array("Genuine Adobe Flash Player 001".utf8)
    /// "Genuine Adobe Flash Media Server 001".
    static let serverKey: [UInt8] = Array("Genuine Adobe Flash Media Server 001".utf8)
    static let length = 32

    /// Where the four offset bytes are read; the digest follows 4 bytes later plus the derived offset.
    enum Scheme: Int, Sendable, CaseIterable {
        case offset8 = 8
        case offset772 = 772
    }

    /// The digest's position inside `packet` for `scheme`.
    static func position(in packet: [UInt8], scheme: Scheme) -> Int {
        let base = scheme.rawValue
        let sum = Int(packet[base]) + Int(packet[base + 1]) + Int(packet[base + 2]) + Int(packet[base + 3])
        return sum % 728 + base + 4
    }

    /// HMAC-SHA256 over `packet` without the 32 bytes at `position`.
    static func digest(of packet: [UInt8], skipping position: Int, key: [UInt8]) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: key))
        hmac.update(data: packet[0..<position])
        hmac.update(data: packet[(position + length)...])
        return Array(hmac.finalize())
    }

    /// Writes the digest into `packet` (1536 bytes, version bytes already set) and returns its position.
    @discardableResult
    static func imprint(_ packet: inout [UInt8], key: [UInt8], scheme: Scheme = .offset8) -> Int {
        let position = self.position(in: packet, scheme: scheme)
        let digest = self.digest(of: packet, skipping: position, key: key)
        packet.replaceSubrange(position..<(position + length), with: digest)
        return position
    }

    /// The scheme whose digest in `packet` verifies with `key`, or nil when the packet carries none.
    static func verify(_ packet: [UInt8], key: [UInt8]) -> Scheme? {
        for scheme in [Scheme.offset772, .offset8] {
            let position = self.position(in: packet, scheme: scheme)
            if self.digest(of: packet, skipping: position, key: key)[...] == packet[position..<(position + length)] {
                return scheme
            }
        }
        return nil
    }
}
