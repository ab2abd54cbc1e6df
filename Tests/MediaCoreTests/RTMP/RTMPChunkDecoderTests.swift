import NIOCore
import Testing

@testable import MediaCore

@Suite struct RTMPChunkDecoderTests {
    @Test func decodesSpecExample1() throws {
        var bytes = RTMPHex.buffer("03 0003e8 000020 08 39300000")
        bytes.writeImmutableBuffer(RTMPTestData.payload(32, seed: 0))
        bytes.writeBytes(RTMPHex.bytes("83 000014"))
        bytes.writeImmutableBuffer(RTMPTestData.payload(32, seed: 1))
        bytes.writeBytes([0xC3])
        bytes.writeImmutableBuffer(RTMPTestData.payload(32, seed: 2))
        bytes.writeBytes([0xC3])
        bytes.writeImmutableBuffer(RTMPTestData.payload(32, seed: 3))
        let messages = try RTMPTestData.decode(bytes)
        #expect(messages.map(\.timestamp) == [1000, 1020, 1040, 1060])
        #expect(messages.allSatisfy { $0.streamID == 12345 && $0.typeID == 8 && $0.chunkStreamID == 3 })
        #expect(messages.map(\.payload) == (0..<4).map { RTMPTestData.payload(32, seed: $0) })
    }

    @Test func decodesSpecExample2() throws {
        let payload = RTMPTestData.payload(307)
        var bytes = RTMPHex.buffer("04 0003e8 000133 09 3a300000")
        bytes.writeImmutableBuffer(payload.getSlice(at: 0, length: 128)!)
        bytes.writeBytes([0xC4])
        bytes.writeImmutableBuffer(payload.getSlice(at: 128, length: 128)!)
        bytes.writeBytes([0xC4])
        bytes.writeImmutableBuffer(payload.getSlice(at: 256, length: 51)!)
        let messages = try RTMPTestData.decode(bytes)
        #expect(messages == [RTMPMessage(typeID: 9, streamID: 12346, timestamp: 1000, chunkStreamID: 4, payload: payload)])
    }

    @Test func type3AfterType0AddsTheType0TimestampAsDelta() throws {
        // "If a Type 3 chunk follows a Type 0 chunk, then the timestamp delta for this Type 3 chunk is the same as the
        // timestamp of the Type 0 chunk." (section 5.3.1.2.4)
        let bytes = RTMPHex.buffer("04 000014 000001 08 01000000 aa" + "c4 bb" + "c4 cc")
        let messages = try RTMPTestData.decode(bytes)
        #expect(messages.map(\.timestamp) == [20, 40, 60])
        #expect(messages.map(\.payload) == [RTMPHex.buffer("aa"), RTMPHex.buffer("bb"), RTMPHex.buffer("cc")])
    }

    @Test func readsTwoAndThreeByteBasicHeaders() throws {
        let bytes = RTMPHex.buffer(
            "00 24 000001 000001 08 01000000 aa"  // csid 100, 2-byte form
                + "01 a803 000002 000001 09 01000000 bb"  // csid 1000, 3-byte form
                + "c0 24"  // csid 100 type 3: not a continuation, a new message 1 ms later
                + "cc"  // its payload
                + "40 24 000001 000001 08 dd"  // csid 100, type 1 in the 2-byte form ("cs id - 64" 0x24 = 100)
        )
        let messages = try RTMPTestData.decode(bytes)
        #expect(messages.map(\.chunkStreamID) == [100, 1000, 100, 100])
        #expect(messages.map(\.timestamp) == [1, 2, 2, 3])
        #expect(messages.map(\.payload) == ["aa", "bb", "cc", "dd"].map { RTMPHex.buffer($0) })
    }

    @Test func setChunkSizeMidStreamChangesHowLaterChunksAreRead() throws {
        let payload = RTMPTestData.payload(300)
        var bytes = RTMPHex.buffer("02 000000 000004 01 00000000 00000100")  // chunk size 256
        bytes.writeBytes(RTMPHex.bytes("06 000000 00012c 09 01000000"))
        bytes.writeImmutableBuffer(payload.getSlice(at: 0, length: 256)!)
        bytes.writeBytes([0xC6])
        bytes.writeImmutableBuffer(payload.getSlice(at: 256, length: 44)!)

        var decoder = RTMPChunkDecoder()
        #expect(decoder.chunkSize == 128)
        decoder.append(bytes)
        let first = try #require(try decoder.nextMessage())
        #expect(first.typeID == RTMPMessageType.setChunkSize.rawValue)
        #expect(try RTMPBody(decoding: first) == .setChunkSize(256))
        #expect(decoder.chunkSize == 256)
        let second = try #require(try decoder.nextMessage())
        #expect(second.payload == payload)
        #expect(try decoder.nextMessage() == nil)
    }

    @Test func setChunkSizeBetweenTwoChunksOfAnotherStreamsMessage() throws {
        // Chunk size applies to the sender's subsequent chunks, including the rest of a message already started.
        let payload = RTMPTestData.payload(400)
        var bytes = RTMPHex.buffer("06 000000 000190 09 01000000")
        bytes.writeImmutableBuffer(payload.getSlice(at: 0, length: 128)!)
        bytes.writeBytes(RTMPHex.bytes("02 000000 000004 01 00000000 00001000"))  // chunk size 4096
        bytes.writeBytes([0xC6])
        bytes.writeImmutableBuffer(payload.getSlice(at: 128, length: 272)!)
        for pieceSize in [1, 7, Int.max] {
            let messages = try RTMPTestData.decode(bytes, pieceSize: pieceSize)
            #expect(messages.count == 2)
            #expect(messages.first?.typeID == 1)
            #expect(messages.last?.payload == payload)
        }
    }

    @Test func abortDropsThePartialMessage() throws {
        var bytes = RTMPHex.buffer("04 000000 00012c 09 01000000")  // 300 bytes announced
        bytes.writeImmutableBuffer(RTMPTestData.payload(128))  // first chunk only
        bytes.writeBytes(RTMPHex.bytes("02 000000 000004 02 00000000 00000004"))  // Abort chunk stream 4
        bytes.writeBytes(RTMPHex.bytes("04 000010 000002 09 01000000 abcd"))  // a new message on chunk stream 4

        var decoder = RTMPChunkDecoder()
        decoder.append(bytes.getSlice(at: 0, length: 12 + 128)!)
        #expect(try decoder.nextMessage() == nil)
        #expect(decoder.partialMessageBytes == 128)
        decoder.append(bytes.getSlice(at: 12 + 128, length: bytes.readableBytes - 12 - 128)!)
        let abort = try #require(try decoder.nextMessage())
        #expect(try RTMPBody(decoding: abort) == .abort(chunkStreamID: 4))
        #expect(decoder.partialMessageBytes == 0)
        let next = try #require(try decoder.nextMessage())
        #expect(next.payload == RTMPHex.buffer("abcd"))
        #expect(next.timestamp == 16)
        #expect(try decoder.nextMessage() == nil)
    }

    @Test func withoutAbortANewHeaderMidMessageIsAViolation() throws {
        var bytes = RTMPHex.buffer("04 000000 00012c 09 01000000")
        bytes.writeImmutableBuffer(RTMPTestData.payload(128))
        bytes.writeBytes(RTMPHex.bytes("04 000010 000002 09 01000000 abcd"))
        let error = try #require(throws: MediaError.self) { try RTMPTestData.decode(bytes) }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("at byte 140"))
    }

    @Test func firstChunkOfAChunkStreamMustBeType0() throws {
        for header in ["44 000000 000001 09 aa", "84 000000 aa", "c4 aa"] {
            let error = try #require(throws: MediaError.self) { try RTMPTestData.decode(RTMPHex.buffer(header)) }
            #expect(error.kind == .protocolViolation)
            #expect(error.message.contains("chunk stream 4 starts with a type-"))
        }
    }

    @Test func oneByteAtATimeGivesTheSameMessagesAsAllAtOnce() throws {
        let stream = Self.mixedStream()
        let whole = try RTMPTestData.decode(stream)
        #expect(whole.count == 10)
        for pieceSize in [1, 2, 3, 5, 11, 127, 128, 129, 1000] {
            #expect(try RTMPTestData.decode(stream, pieceSize: pieceSize) == whole, "piece size \(pieceSize)")
        }
    }

    /// Messages on several chunk streams with every header type, extended timestamps and a chunk size change.
    static func mixedStream() -> ByteBuffer {
        var encoder = RTMPChunkEncoder()
        var buffer = ByteBuffer()
        let messages: [RTMPMessage] = [
            RTMPTestData.message(.commandAMF0, streamID: 0, timestamp: 0, chunkStreamID: 3, payload: RTMPTestData.payload(200)),
            RTMPTestData.message(.audio, streamID: 1, timestamp: 0xFF_FFF0, chunkStreamID: 4, payload: RTMPTestData.payload(10)),
            RTMPTestData.message(.audio, streamID: 1, timestamp: 0xFF_FFFF, chunkStreamID: 4, payload: RTMPTestData.payload(10, seed: 1)),
            RTMPTestData.message(.video, streamID: 1, timestamp: 0x0100_0000, chunkStreamID: 6, payload: RTMPTestData.payload(500)),
            RTMPTestData.message(.video, streamID: 1, timestamp: 0x0100_0021, chunkStreamID: 6, payload: RTMPTestData.payload(300, seed: 2)),
            RTMPTestData.message(.audio, streamID: 1, timestamp: 0x0100_0010, chunkStreamID: 4, payload: RTMPTestData.payload(10, seed: 3)),
            RTMPTestData.message(.dataAMF0, streamID: 1, timestamp: 0, chunkStreamID: 400, payload: RTMPTestData.payload(0)),
        ]
        for message in messages {
            encoder.encode(message, into: &buffer)
        }
        encoder.encode(RTMPBody.setChunkSize(1000).message(streamID: 0, timestamp: 0, chunkStreamID: 2), into: &buffer)
        encoder.setChunkSize(1000)
        encoder.encode(
            RTMPTestData.message(.video, streamID: 1, timestamp: 0x0100_0042, chunkStreamID: 6, payload: RTMPTestData.payload(2500, seed: 4)),
            into: &buffer)
        encoder.encode(
            RTMPTestData.message(.video, streamID: 1, timestamp: 0x0100_0063, chunkStreamID: 6, payload: RTMPTestData.payload(2500, seed: 5)),
            into: &buffer)
        return buffer
    }

    @Test func bytesReceivedCountsEveryAppendedByte() throws {
        var decoder = RTMPChunkDecoder()
        decoder.append(RTMPHex.buffer("04 000000 000003 08"))
        #expect(decoder.bytesReceived == 8)
        #expect(try decoder.nextMessage() == nil)
        decoder.append(RTMPHex.buffer("01000000 aabbcc 04"))
        #expect(decoder.bytesReceived == 16)
        #expect(try decoder.nextMessage()?.payload == RTMPHex.buffer("aabbcc"))
        #expect(try decoder.nextMessage() == nil)
    }

    @Test func timestampsWrapPast0xFFFFFFAndPast2To32() throws {
        let timestamps: [UInt32] = [
            0xFF_FFF0, 0xFF_FFFE, 0xFF_FFFF, 0x0100_0010, 0x0200_0000, 0xFFFF_FFF0, 0xFFFF_FFFF, 0x5, 0x30, 0x40,
            0x10,  // backward: type 0
            0xFFFF_FF00,  // more than 2^31 ahead: treated as backward, type 0
            0x0000_0100,  // wraps forward again
        ]
        for payloadSize in [10, 300] {
            let messages = timestamps.enumerated().map { i, timestamp in
                RTMPTestData.message(
                    .video, streamID: 1, timestamp: timestamp, chunkStreamID: 6,
                    payload: RTMPTestData.payload(payloadSize, seed: i))
            }
            let bytes = RTMPTestData.encode(messages)
            #expect(try RTMPTestData.decode(bytes) == messages)
            #expect(try RTMPTestData.decode(bytes, pieceSize: 1) == messages)
        }
    }

    @Test func largeDeltasUseTheExtendedFieldOnType3NewMessages() throws {
        // Same length, type and a repeated delta above 0xFFFFFF: the third message is a type-3 chunk whose extended
        // field carries the delta.
        let messages = [UInt32(0), 0x0200_0000, 0x0400_0000].map { timestamp in
            RTMPTestData.message(.audio, streamID: 1, timestamp: timestamp, chunkStreamID: 4, payload: RTMPHex.buffer("aa"))
        }
        let bytes = RTMPTestData.encode(messages)
        #expect(
            bytes == RTMPHex.buffer("04 000000 000001 08 01000000 aa" + "84 ffffff 02000000 aa" + "c4 02000000 aa"))
        #expect(try RTMPTestData.decode(bytes) == messages)
    }
}
