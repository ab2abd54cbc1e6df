import MediaCore
import NIOCore
import Testing

@Suite("Transponder control protocol")
struct TransponderControlProtocolTests {
    static let requests: [TransponderRequest] = [
        .status, .stop, .mute, .unmute, .sound(path: "/tmp/a b.wav", loop: true), .sound(path: "/x.wav", loop: false),
        .soundOff,
    ]

    @Test(arguments: requests)
    func requestsRoundTrip(request: TransponderRequest) throws {
        #expect(try TransponderRequest(line: request.jsonValue.jsonBytes) == request)
    }

    @Test func requestWireForm() {
        #expect(TransponderRequest.sound(path: "/t.wav", loop: true).jsonValue.jsonString == #"{"command":"sound","path":"/t.wav","loop":true}"#)
        #expect(TransponderRequest.soundOff.jsonValue.jsonString == #"{"command":"sound_off"}"#)
    }

    @Test(arguments: [
        ("", "control request: invalid JSON at byte 0"),
        ("[]", "expected an object"),
        (#"{"command":"reboot"}"#, "unknown command 'reboot'"),
        (#"{"command":7}"#, "\"command\" is an integer"),
        (#"{}"#, "\"command\" is missing"),
        (#"{"command":"sound"}"#, "\"path\" is missing"),
        (#"{"command":"sound","path":"rel.wav"}"#, "must be absolute"),
        (#"{"command":"sound","path":"/a.wav","loop":"yes"}"#, "\"loop\" is a string"),
    ])
    func badRequestsAreProtocolViolations(line: String, expected: String) throws {
        let error = try #require(throws: MediaError.self) { try TransponderRequest(line: ByteBuffer(string: line)) }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test func responsesRoundTripWithTheirKind() throws {
        var snapshot = TransponderSnapshot(state: .reconnecting, uptime: 3.5)
        snapshot.muted = true
        snapshot.soundFile = "/srv/tone.wav"
        snapshot.soundLoop = true
        snapshot.bytesSent = 99
        snapshot.reconnects = 2
        snapshot.bufferDepthMilliseconds = 120
        snapshot.bitrateKbps = 1000.5
        snapshot.width = 1280
        snapshot.height = 720
        let ok = TransponderResponse.ok(snapshot)
        #expect(try TransponderResponse(line: ok.jsonValue.jsonBytes) == ok)
        for kind in MediaError.Kind.allCases {
            let failure = TransponderResponse.failure(MediaError(kind, "unsupported: \(kind)"))
            #expect(try TransponderResponse(line: failure.jsonValue.jsonBytes) == failure)
        }
        let unknown = try TransponderResponse(line: ByteBuffer(string: #"{"ok":false,"error":{"code":"new_kind","message":"m"}}"#))
        #expect(unknown == .failure(MediaError(.failure, "m")))
        #expect(throws: MediaError.self) { try TransponderResponse(line: ByteBuffer(string: #"{"ok":true}"#)) }
        #expect(throws: MediaError.self) {
            try TransponderResponse(line: ByteBuffer(string: #"{"ok":true,"transponder":{"state":"dancing"}}"#))
        }
    }
}

@Suite("Transponder line framing")
struct TransponderLineFramerTests {
    @Test func byteAtATimeEqualsAllAtOnce() throws {
        let stream = "{\"command\":\"status\"}\n{\"a\":1}\r\n\npartial"
        var whole = TransponderLineFramer()
        try whole.append(ByteBuffer(string: stream))
        var single = TransponderLineFramer()
        for byte in stream.utf8 { try single.append(ByteBuffer(bytes: [byte])) }
        for framer in [whole, single] {
            var framer = framer
            #expect(framer.nextLine().map { String(buffer: $0) } == "{\"command\":\"status\"}")
            #expect(framer.nextLine().map { String(buffer: $0) } == "{\"a\":1}")
            #expect(framer.nextLine().map { String(buffer: $0) } == "")
            #expect(framer.nextLine() == nil)
            #expect(framer.pendingBytes == 7)
        }
    }

    @Test func aLineAtTheLimitPassesOneByteMoreDoesNot() throws {
        var framer = TransponderLineFramer(maxLineBytes: 16)
        try framer.append(ByteBuffer(string: String(repeating: "x", count: 16) + "\n"))
        #expect(framer.nextLine()?.readableBytes == 16)
        var tooLong = TransponderLineFramer(maxLineBytes: 16)
        let error = try #require(throws: MediaError.self) {
            try tooLong.append(ByteBuffer(string: String(repeating: "x", count: 17) + "\n"))
        }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("longer than 16 bytes"))
    }

    @Test func endlessBytesWithoutANewlineAreRefusedBeforeTheyAreKept() throws {
        var framer = TransponderLineFramer(maxLineBytes: 1024)
        let block = ByteBuffer(repeating: UInt8(ascii: "a"), count: 300)
        var refused = false
        for _ in 0..<100 {
            do {
                try framer.append(block)
            } catch {
                refused = true
                break
            }
            #expect(framer.pendingBytes <= 1024)
        }
        #expect(refused)
        #expect(framer.pendingBytes == 900)
    }
}
