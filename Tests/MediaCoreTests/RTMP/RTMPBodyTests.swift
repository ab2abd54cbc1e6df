import NIOCore
import Testing

@testable import MediaCore

@Suite struct RTMPBodyTests {
    static let connect = RTMPCommand(
        name: "connect",
        transactionID: 1,
        commandObject: [
            "app": "live",
            "type": "nonprivate",
            "flashVer": "FMLE/3.0 (compatible; mediactl)",
            "tcUrl": "rtmp://127.0.0.1:1935/live",
        ]
    )

    static let bodies: [RTMPBody] = [
        .setChunkSize(1),
        .setChunkSize(4096),
        .setChunkSize(0x7FFF_FFFF),
        .abort(chunkStreamID: 6),
        .acknowledgement(sequenceNumber: 0xFFFF_FFFF),
        .userControl(.streamBegin(1)),
        .userControl(.streamEOF(2)),
        .userControl(.streamDry(3)),
        .userControl(.setBufferLength(streamID: 1, milliseconds: 3000)),
        .userControl(.streamIsRecorded(4)),
        .userControl(.pingRequest(123_456)),
        .userControl(.pingResponse(123_456)),
        .userControl(.other(eventType: 31, data: RTMPHex.buffer("00000001"))),
        .userControl(.other(eventType: 0x1234, data: ByteBuffer())),
        .windowAcknowledgementSize(2_500_000),
        .setPeerBandwidth(size: 2_500_000, limit: .hard),
        .setPeerBandwidth(size: 1, limit: .soft),
        .setPeerBandwidth(size: 5_000_000, limit: .dynamic),
        .audio(RTMPHex.buffer("af01 2110")),
        .audio(ByteBuffer()),
        .video(RTMPHex.buffer("17 01 000000 00000005 6588")),
        .data(["@setDataFrame", "onMetaData", .ecmaArray(["width": 1280, "height": 720, "stereo": true])]),
        .data([]),
        .command(connect),
        .command(RTMPCommand(name: "createStream", transactionID: 4)),
        .command(RTMPCommand(name: "publish", transactionID: 5, arguments: ["key", "live"])),
        .command(
            RTMPCommand(
                name: "onStatus", transactionID: 0,
                arguments: [["level": "status", "code": "NetStream.Publish.Start", "description": "ok"]])),
        .aggregate(RTMPHex.buffer("09 000005 00000000 000000 1701000000 00000010")),
        .other(typeID: 17, payload: RTMPHex.buffer("00 02000474657374")),
        .other(typeID: 15, payload: RTMPHex.buffer("00")),
        .other(typeID: 99, payload: ByteBuffer()),
    ]

    @Test(arguments: bodies)
    func roundTripsThroughWriteAndDecode(body: RTMPBody) throws {
        let message = body.message(streamID: 1, timestamp: 40, chunkStreamID: 3)
        #expect(message.typeID == body.typeID)
        #expect(message.streamID == 1 && message.timestamp == 40 && message.chunkStreamID == 3)
        var written = ByteBuffer()
        body.write(into: &written)
        #expect(written == message.payload)
        #expect(try RTMPBody(decoding: message) == body)
        // And through the chunk stream.
        let decoded = try RTMPTestData.decode(RTMPTestData.encode([message]))
        #expect(decoded == [message])
        #expect(try RTMPBody(decoding: decoded[0]) == body)
    }

    @Test func typeIDsFollowTheSpec() {
        #expect(RTMPBody.setChunkSize(1).typeID == 1)
        #expect(RTMPBody.abort(chunkStreamID: 1).typeID == 2)
        #expect(RTMPBody.acknowledgement(sequenceNumber: 1).typeID == 3)
        #expect(RTMPBody.userControl(.streamBegin(1)).typeID == 4)
        #expect(RTMPBody.windowAcknowledgementSize(1).typeID == 5)
        #expect(RTMPBody.setPeerBandwidth(size: 1, limit: .hard).typeID == 6)
        #expect(RTMPBody.audio(ByteBuffer()).typeID == 8)
        #expect(RTMPBody.video(ByteBuffer()).typeID == 9)
        #expect(RTMPBody.data([]).typeID == 18)
        #expect(RTMPBody.command(Self.connect).typeID == 20)
        #expect(RTMPBody.aggregate(ByteBuffer()).typeID == 22)
        #expect(RTMPBody.other(typeID: 16, payload: ByteBuffer()).typeID == 16)
    }

    @Test(arguments: [
        (RTMPBody.setChunkSize(4096), "00001000"),
        (.abort(chunkStreamID: 4), "00000004"),
        (.acknowledgement(sequenceNumber: 0x0102_0304), "01020304"),
        (.windowAcknowledgementSize(2_500_000), "002625a0"),
        (.setPeerBandwidth(size: 2_500_000, limit: .dynamic), "002625a0 02"),
        (.userControl(.streamBegin(1)), "0000 00000001"),
        (.userControl(.streamEOF(1)), "0001 00000001"),
        (.userControl(.streamDry(1)), "0002 00000001"),
        (.userControl(.setBufferLength(streamID: 1, milliseconds: 3000)), "0003 00000001 00000bb8"),
        (.userControl(.streamIsRecorded(1)), "0004 00000001"),
        (.userControl(.pingRequest(0xA0B0C0D0)), "0006 a0b0c0d0"),
        (.userControl(.pingResponse(0xA0B0C0D0)), "0007 a0b0c0d0"),
        (.command(RTMPCommand(name: "createStream", transactionID: 2)),
         "02 000c 63726561746553747265616d" + "00 4000000000000000" + "05"),
    ])
    func exactPayloadBytes(body: RTMPBody, hex: String) throws {
        var bytes = ByteBuffer()
        body.write(into: &bytes)
        #expect(bytes == RTMPHex.buffer(hex))
        #expect(try RTMPBody(decoding: body.message(streamID: 0, timestamp: 0, chunkStreamID: 2)) == body)
    }

    /// The connect command of section 7.2.1.1: "Command Name | String | Name of the command. Set to "connect"."
    /// "Transaction ID | Number | Always set to 1." "Command Object | Object | Command information object which has
    /// the name-value pairs." Each AMF0 value written out by hand.
    @Test func connectCommandBytes() throws {
        let expected =
            "02 0007 636f6e6e656374"  // string "connect"
            + "00 3ff0000000000000"  // number 1.0
            + "03"  // object
            + "0003 617070" + "02 0004 6c697665"  // app: "live"
            + "0004 74797065" + "02 000a 6e6f6e70726976617465"  // type: "nonprivate"
            + "0008 666c617368566572"  // flashVer:
            + "02 001f 464d4c452f332e302028636f6d70617469626c653b206d6564696163746c29"  // "FMLE/3.0 (compatible; mediactl)"
            + "0005 746355726c"  // tcUrl:
            + "02 001a 72746d703a2f2f3132372e302e302e313a313933352f6c697665"  // "rtmp://127.0.0.1:1935/live"
            + "000009"  // object end
        let message = RTMPBody.command(Self.connect).message(
            streamID: 0, timestamp: 0, chunkStreamID: RTMPChunkStreamID.command)
        #expect(message.payload == RTMPHex.buffer(expected))
        #expect(message.payload.readableBytes == 134)
        #expect(message.typeID == 20)

        // On the wire with the default chunk size: a type-0 header on chunk stream 3, 128 bytes, a type-3 header, 6.
        let chunks = RTMPTestData.encode([message])
        var wire = RTMPHex.buffer("03 000000 000086 14 00000000")
        wire.writeImmutableBuffer(message.payload.getSlice(at: 0, length: 128)!)
        wire.writeBytes([0xC3])
        wire.writeImmutableBuffer(message.payload.getSlice(at: 128, length: 6)!)
        #expect(chunks == wire)

        let decoded = try RTMPBody(decoding: try #require(try RTMPTestData.decode(chunks).first))
        guard case .command(let command) = decoded else {
            Issue.record("decoded \(decoded), expected a command")
            return
        }
        #expect(command.name == "connect")
        #expect(command.transactionID == 1)
        #expect(command.commandObject.objectValue?.keys == ["app", "type", "flashVer", "tcUrl"])
        #expect(command.commandObject.objectValue?["tcUrl"] == "rtmp://127.0.0.1:1935/live")
        #expect(command.arguments.isEmpty)
    }

    @Test func commandWithoutCommandObjectReadsAsNull() throws {
        let message = RTMPMessage(
            typeID: 20, streamID: 0, timestamp: 0, chunkStreamID: 3,
            payload: RTMPHex.buffer("02 0008 6f6e4257446f6e65 00 0000000000000000"))
        #expect(try RTMPBody(decoding: message) == .command(RTMPCommand(name: "onBWDone", transactionID: 0)))
    }

    @Test(arguments: [
        (UInt8(1), "00000000"),  // chunk size 0
        (1, "80000000"),  // high bit
        (1, "000010"),  // short
        (2, "000004"),
        (3, ""),
        (4, "00"),  // no event type
        (4, "0000 000001"),  // stream begin with 3 bytes
        (4, "0003 00000001 0000"),  // set buffer length without the length
        (5, "0000"),
        (6, "002625a0"),  // no limit type
        (6, "002625a0 03"),  // unknown limit type
        (18, "02 00"),  // truncated AMF0 string
        (20, ""),  // no command name
        (20, "00 3ff0000000000000"),  // a number where the name belongs
        (20, "02 0007 636f6e6e656374"),  // no transaction id
        (20, "02 0007 636f6e6e656374 02 0001 31"),  // transaction id as a string
    ])
    func malformedPayloadsAreProtocolViolations(typeID: UInt8, hex: String) throws {
        let message = RTMPMessage(typeID: typeID, streamID: 0, timestamp: 0, chunkStreamID: 2, payload: RTMPHex.buffer(hex))
        let error = try #require(throws: MediaError.self) { try RTMPBody(decoding: message) }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.hasPrefix("RTMP"))
    }

    @Test func mediaBodiesShareTheirBytes() {
        let payload = RTMPTestData.payload(10_000)
        let message = RTMPBody.video(payload).message(streamID: 1, timestamp: 0, chunkStreamID: RTMPChunkStreamID.video)
        #expect(message.payload == payload)
        payload.withUnsafeReadableBytes { original in
            message.payload.withUnsafeReadableBytes { carried in
                #expect(original.baseAddress == carried.baseAddress)
            }
        }
    }
}
