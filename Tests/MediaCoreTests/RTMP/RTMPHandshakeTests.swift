import Crypto
import NIOCore
import Testing

@testable import MediaCore

@Suite struct RTMPHandshakeTests {
    static func random(_ seed: UInt8) -> [UInt8] {
        (0..<1528).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ Int(seed)) }
    }

    static func sendBytes(_ actions: [RTMPHandshakeAction]) -> ByteBuffer? {
        for case .send(let bytes) in actions { return bytes }
        return nil
    }

    static func leftover(_ actions: [RTMPHandshakeAction]) -> ByteBuffer? {
        for case .completed(let leftover) in actions { return leftover }
        return nil
    }

    @Test(arguments: [false, true], [false, true])
    func clientAndServerCompleteAgainstEachOther(clientDigest: Bool, serverDigest: Bool) throws {
        var client = RTMPClientHandshake(time: 1234, randomBytes: Self.random(1), digest: clientDigest)
        var server = RTMPServerHandshake(time: 99, randomBytes: Self.random(2), digest: serverDigest)

        var c0c1 = client.start()
        #expect(c0c1.readableBytes == 1537)
        let c1 = c0c1.getSlice(at: 1, length: 1536)!
        let serverActions = try server.receive(&c0c1)
        #expect(c0c1.readableBytes == 0)
        #expect(server.clientVersion == 3)
        #expect(server.clientUsesDigest == clientDigest)
        #expect(serverActions.count == 1)
        var s0s1s2 = try #require(Self.sendBytes(serverActions))
        #expect(s0s1s2.readableBytes == 1 + 1536 + 1536)
        #expect(s0s1s2.getInteger(at: 0, as: UInt8.self) == 3)
        let s1 = s0s1s2.getSlice(at: 1, length: 1536)!
        // "Time (4 bytes): This field MUST contain the timestamp sent by the peer in S1 (for C2) or C1 (for S2)."
        #expect(s0s1s2.getSlice(at: 1537, length: 1536) == c1)  // S2 echoes C1

        let clientActions = try client.receive(&s0s1s2)
        #expect(client.serverUsesDigest == serverDigest)
        #expect(clientActions.count == 2)
        var c2 = try #require(Self.sendBytes(clientActions))
        #expect(c2 == s1)  // C2 echoes S1
        #expect(Self.leftover(clientActions) == ByteBuffer())

        let done = try server.receive(&c2)
        #expect(done == [.completed(leftover: ByteBuffer())])
    }

    @Test func plainC1HasTimeZeroVersionAndTheRandomBytes() {
        var client = RTMPClientHandshake(time: 0x0102_0304, randomBytes: Self.random(7), digest: false)
        let bytes = client.start()
        #expect(RTMPHex.string(bytes.getSlice(at: 0, length: 9)!) == "03" + "01020304" + "00000000")
        #expect(bytes.getBytes(at: 9, length: 1528) == Self.random(7))
    }

    @Test func digestC1CarriesAVersionAndAVerifiableHMAC() throws {
        // All-zero random bytes put the digest at (0 + 0 + 0 + 0) % 728 + 12 = 12.
        var client = RTMPClientHandshake(time: 0, randomBytes: [UInt8](repeating: 0, count: 1528), digest: true)
        let c1 = try #require(client.start().getBytes(at: 1, length: 1536))
        #expect(Array(c1[4..<8]) == [9, 0, 124, 2])
        let key = SymmetricKey(data: Array("Genuine Adobe Flash Player 001".utf8))
        let expected = Array(HMAC<SHA256>.authenticationCode(for: Array(c1[0..<12]) + Array(c1[44...]), using: key))
        #expect(Array(c1[12..<44]) == expected)
        #expect(RTMPHandshakeDigest.verify(c1, key: RTMPHandshakeDigest.clientKey) == .offset8)
        #expect(RTMPHandshakeDigest.verify(c1, key: RTMPHandshakeDigest.serverKey) == nil)
    }

    @Test func digestPositionFollowsBytes8To11() {
        var packet = [UInt8](repeating: 0, count: 1536)
        packet[8] = 200
        packet[9] = 200
        packet[10] = 200
        packet[11] = 200  // 800 % 728 = 72
        #expect(RTMPHandshakeDigest.position(in: packet, scheme: .offset8) == 72 + 12)
        packet[772] = 255
        packet[773] = 255
        packet[774] = 255
        packet[775] = 255  // 1020 % 728 = 292
        #expect(RTMPHandshakeDigest.position(in: packet, scheme: .offset772) == 292 + 776)
    }

    @Test func serverDigestAtOffset772IsRecognised() {
        var s1 = [UInt8](repeating: 0, count: 4) + RTMPServerHandshake.digestServerVersion + Self.random(9)
        RTMPHandshakeDigest.imprint(&s1, key: RTMPHandshakeDigest.serverKey, scheme: .offset772)
        #expect(RTMPHandshakeDigest.verify(s1, key: RTMPHandshakeDigest.serverKey) == .offset772)
        s1[1535] ^= 0xFF  // outside the digest: the HMAC no longer matches
        #expect(RTMPHandshakeDigest.verify(s1, key: RTMPHandshakeDigest.serverKey) == nil)
    }

    @Test(arguments: [UInt8(6), 0, 4, 0x48])
    func clientRejectsAnotherServerVersion(version: UInt8) throws {
        var client = RTMPClientHandshake(randomBytes: Self.random(1))
        _ = client.start()
        var reply = ByteBuffer(bytes: [version])  // the version byte alone is enough to refuse
        let error = try #require(throws: MediaError.self) { try client.receive(&reply) }
        #expect(error.kind == .protocolViolation)
        #expect(error.message == "server answered handshake version \(version), expected 3")
    }

    @Test func leftoverAfterS2IsPreserved() throws {
        var client = RTMPClientHandshake(randomBytes: Self.random(1))
        var server = RTMPServerHandshake(randomBytes: Self.random(2))
        var c0c1 = client.start()
        var reply = try #require(Self.sendBytes(try server.receive(&c0c1)))
        // A server that pipelines its first chunks (Window Acknowledgement Size) right behind S2.
        let chunks = RTMPHex.buffer("02 000000 000004 05 00000000 004c4b40")
        reply.writeImmutableBuffer(chunks)
        let actions = try client.receive(&reply)
        #expect(Self.leftover(actions) == chunks)
        var decoder = RTMPChunkDecoder()
        decoder.append(Self.leftover(actions)!)
        #expect(try RTMPBody(decoding: try #require(try decoder.nextMessage())) == .windowAcknowledgementSize(5_000_000))
    }

    @Test func serverKeepsBytesAfterC2() throws {
        var client = RTMPClientHandshake(randomBytes: Self.random(1))
        var server = RTMPServerHandshake(randomBytes: Self.random(2))
        var c0c1 = client.start()
        var reply = try #require(Self.sendBytes(try server.receive(&c0c1)))
        var c2 = try #require(Self.sendBytes(try client.receive(&reply)))
        c2.writeBytes([0x03, 0x00])  // the start of connect
        #expect(try server.receive(&c2) == [.completed(leftover: RTMPHex.buffer("0300"))])
    }

    @Test func oneByteAtATimeGivesTheSameActions() throws {
        var client = RTMPClientHandshake(randomBytes: Self.random(1))
        var server = RTMPServerHandshake(randomBytes: Self.random(2), digest: true)
        var c0c1 = client.start()
        var serverActions: [RTMPHandshakeAction] = []
        while c0c1.readableBytes > 0 {
            var one = c0c1.readSlice(length: 1)!
            serverActions += try server.receive(&one)
        }
        var reply = try #require(Self.sendBytes(serverActions))
        var wholeClient = client
        var withChunks = reply
        withChunks.writeBytes([0xAA, 0xBB])
        let whole = try wholeClient.receive(&withChunks)
        var pieces: [RTMPHandshakeAction] = []
        while reply.readableBytes > 0 {
            var one = reply.readSlice(length: 1)!
            pieces += try client.receive(&one)
        }
        #expect(pieces.count == 2)
        #expect(Self.sendBytes(pieces) == Self.sendBytes(whole))
        #expect(Self.leftover(pieces) == ByteBuffer())
        #expect(Self.leftover(whole) == RTMPHex.buffer("aabb"))
        #expect(server.clientUsesDigest == true)
    }

    @Test func serverRejectsTextProtocols() throws {
        var server = RTMPServerHandshake(randomBytes: Self.random(2))
        var http = ByteBuffer(string: "GET / HTTP/1.1\r\n")
        let error = try #require(throws: MediaError.self) { try server.receive(&http) }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("version 71"))
    }

    @Test func serverAnswersAnUnknownLowVersionWith3() throws {
        var server = RTMPServerHandshake(randomBytes: Self.random(2))
        var c0c1 = ByteBuffer(bytes: [6] + [UInt8](repeating: 0, count: 1536))
        let reply = try #require(Self.sendBytes(try server.receive(&c0c1)))
        #expect(reply.getInteger(at: 0, as: UInt8.self) == 3)
        #expect(server.clientVersion == 6)
    }
}
