import NIOCore
import Testing

@testable import MediaCore

@Suite struct RTMPChunkEncoderTests {
    @Test func setChunkSizeOnChunkStream2IsAType0HeaderWithOneByteBasicHeader() {
        let message = RTMPBody.setChunkSize(4096).message(
            streamID: 0, timestamp: 0, chunkStreamID: RTMPChunkStreamID.protocolControl)
        let bytes = RTMPTestData.encode([message])
        // fmt 0 | csid 2, timestamp 0, length 4, type 1, stream id 0 (little-endian), payload 4096.
        #expect(RTMPHex.string(bytes) == "02" + "000000" + "000004" + "01" + "00000000" + "00001000")
    }

    @Test(arguments: [
        (UInt32(2), "02"),
        (UInt32(63), "3f"),
        (UInt32(64), "0000"),  // 2-byte form: second byte + 64
        (UInt32(319), "00ff"),
        (UInt32(320), "010001"),  // 3-byte form: third byte * 256 + second byte + 64 = 1 * 256 + 0 + 64
        (UInt32(365), "012d01"),  // the spec's example: "ID 365 would be represented by a 1 in cs id, and a 16-bit 301"
        (UInt32(65599), "01ffff"),
    ])
    func basicHeaderUsesTheSmallestForm(chunkStreamID: UInt32, basicHeader: String) {
        let message = RTMPTestData.message(.audio, streamID: 1, timestamp: 5, chunkStreamID: chunkStreamID, payload: RTMPHex.buffer("af01"))
        let bytes = RTMPTestData.encode([message])
        #expect(RTMPHex.string(bytes) == basicHeader + "000005" + "000002" + "08" + "01000000" + "af01")
    }

    @Test func continuationChunksCarryTheChunkStreamIDInEveryBasicHeaderForm() throws {
        for (chunkStreamID, continuation) in [(UInt32(10), "ca"), (UInt32(100), "c024"), (UInt32(1000), "c1a803")] {
            let message = RTMPTestData.message(chunkStreamID: chunkStreamID, payload: RTMPTestData.payload(130))
            let bytes = RTMPTestData.encode([message])
            let basicLength = continuation.count / 2
            // Second chunk starts after the basic header, 11-byte message header and 128 bytes of data.
            let second = try #require(bytes.getSlice(at: basicLength + 11 + 128, length: basicLength))
            #expect(RTMPHex.string(second) == continuation)
            #expect(bytes.readableBytes == basicLength + 11 + 130 + basicLength)
        }
    }

    /// RTMP Specification 1.0 section 5.3.2.1, Example 1: four audio messages of 32 bytes, 20 ms apart, on chunk
    /// stream 3 give chunks of type 0 (44 bytes), type 2 (36), type 3 (33) and type 3 (33).
    @Test func specExample1AudioUsesType0Type2Type3Type3() {
        let messages = (0..<4).map { i in
            RTMPTestData.message(
                .audio, streamID: 12345, timestamp: UInt32(1000 + 20 * i), chunkStreamID: 3,
                payload: RTMPTestData.payload(32, seed: i))
        }
        let bytes = RTMPTestData.encode(messages)
        var expected = RTMPHex.buffer("03 0003e8 000020 08 39300000")
        expected.writeImmutableBuffer(messages[0].payload)
        expected.writeBytes(RTMPHex.bytes("83 000014"))
        expected.writeImmutableBuffer(messages[1].payload)
        expected.writeBytes([0xC3])
        expected.writeImmutableBuffer(messages[2].payload)
        expected.writeBytes([0xC3])
        expected.writeImmutableBuffer(messages[3].payload)
        #expect(bytes == expected)
        #expect(bytes.readableBytes == 44 + 36 + 33 + 33)
    }

    /// Section 5.3.2.2, Example 2: a 307-byte video message with chunk size 128 gives chunks of 140, 129 and 52 bytes.
    @Test func specExample2VideoIsSplitIntoType0Type3Type3() {
        let payload = RTMPTestData.payload(307)
        let message = RTMPTestData.message(.video, streamID: 12346, timestamp: 1000, chunkStreamID: 4, payload: payload)
        let bytes = RTMPTestData.encode([message])
        var expected = RTMPHex.buffer("04 0003e8 000133 09 3a300000")
        expected.writeImmutableBuffer(payload.getSlice(at: 0, length: 128)!)
        expected.writeBytes([0xC4])
        expected.writeImmutableBuffer(payload.getSlice(at: 128, length: 128)!)
        expected.writeBytes([0xC4])
        expected.writeImmutableBuffer(payload.getSlice(at: 256, length: 51)!)
        #expect(bytes == expected)
        #expect(bytes.readableBytes == 140 + 129 + 52)
    }

    @Test func newLengthUsesType1AndNewDeltaUsesType2() {
        let messages = [
            RTMPTestData.message(.video, streamID: 1, timestamp: 0, chunkStreamID: 6, payload: RTMPHex.buffer("17")),
            RTMPTestData.message(.video, streamID: 1, timestamp: 33, chunkStreamID: 6, payload: RTMPHex.buffer("2701")),
            RTMPTestData.message(.video, streamID: 1, timestamp: 66, chunkStreamID: 6, payload: RTMPHex.buffer("2702")),
            RTMPTestData.message(.video, streamID: 1, timestamp: 100, chunkStreamID: 6, payload: RTMPHex.buffer("2703")),
            RTMPTestData.message(.audio, streamID: 1, timestamp: 100, chunkStreamID: 6, payload: RTMPHex.buffer("af01")),
        ]
        let bytes = RTMPTestData.encode(messages)
        let expected =
            "06 000000 000001 09 01000000 17"  // type 0
            + "46 000021 000002 09 2701"  // type 1: delta 33, new length
            + "c6 2702"  // type 3: same length, type and delta (33) as set by the type 1
            + "86 000022 2703"  // type 2: delta 34
            + "46 000000 000002 08 af01"  // type 1: new type id, delta 0
        #expect(bytes == RTMPHex.buffer(expected))
    }

    @Test func type0AfterType0IsFollowedByType2NotType3() {
        // A type 3 right after a type 0 would ask the peer to add the type 0's timestamp as delta (section 5.3.1.2.4),
        // which not every decoder does: the encoder states the delta with a type 2 instead.
        let messages = [
            RTMPTestData.message(.audio, streamID: 1, timestamp: 20, chunkStreamID: 4, payload: RTMPHex.buffer("aa")),
            RTMPTestData.message(.audio, streamID: 1, timestamp: 40, chunkStreamID: 4, payload: RTMPHex.buffer("bb")),
        ]
        #expect(RTMPTestData.encode(messages) == RTMPHex.buffer("04 000014 000001 08 01000000 aa" + "84 000014 bb"))
    }

    @Test func backwardTimestampAndNewStreamIDUseType0() {
        let messages = [
            RTMPTestData.message(.audio, streamID: 1, timestamp: 1000, chunkStreamID: 4, payload: RTMPHex.buffer("aa")),
            RTMPTestData.message(.audio, streamID: 1, timestamp: 999, chunkStreamID: 4, payload: RTMPHex.buffer("bb")),
            RTMPTestData.message(.audio, streamID: 2, timestamp: 999, chunkStreamID: 4, payload: RTMPHex.buffer("cc")),
        ]
        let expected =
            "04 0003e8 000001 08 01000000 aa"
            + "04 0003e7 000001 08 01000000 bb"
            + "04 0003e7 000001 08 02000000 cc"
        #expect(RTMPTestData.encode(messages) == RTMPHex.buffer(expected))
    }

    @Test func timestampWrapPast2To32IsAForwardDelta() {
        let messages = [
            RTMPTestData.message(.audio, streamID: 1, timestamp: 0xFFFF_FFF0, chunkStreamID: 4, payload: RTMPHex.buffer("aa")),
            RTMPTestData.message(.audio, streamID: 1, timestamp: 0x10, chunkStreamID: 4, payload: RTMPHex.buffer("bb")),
        ]
        let expected =
            "04 ffffff 000001 08 01000000 fffffff0 aa"  // type 0 with extended timestamp
            + "84 000020 bb"  // type 2, delta 0x20 across the wrap, no extended field
        #expect(RTMPTestData.encode(messages) == RTMPHex.buffer(expected))
    }

    @Test func extendedTimestampIsRepeatedOnType3ContinuationChunks() {
        let payload = RTMPTestData.payload(300)
        let message = RTMPTestData.message(.video, streamID: 1, timestamp: 0x0100_0000, chunkStreamID: 6, payload: payload)
        let bytes = RTMPTestData.encode([message])
        var expected = RTMPHex.buffer("06 ffffff 00012c 09 01000000 01000000")
        expected.writeImmutableBuffer(payload.getSlice(at: 0, length: 128)!)
        expected.writeBytes(RTMPHex.bytes("c6 01000000"))
        expected.writeImmutableBuffer(payload.getSlice(at: 128, length: 128)!)
        expected.writeBytes(RTMPHex.bytes("c6 01000000"))
        expected.writeImmutableBuffer(payload.getSlice(at: 256, length: 44)!)
        #expect(bytes == expected)
    }

    @Test func timestampOf0xFFFFFFExactlyNeedsTheExtendedField() {
        let message = RTMPTestData.message(.audio, streamID: 0, timestamp: 0xFF_FFFF, chunkStreamID: 4, payload: RTMPHex.buffer("aa"))
        #expect(RTMPTestData.encode([message]) == RTMPHex.buffer("04 ffffff 000001 08 00000000 00ffffff aa"))
        let below = RTMPTestData.message(.audio, streamID: 0, timestamp: 0xFF_FFFE, chunkStreamID: 4, payload: RTMPHex.buffer("aa"))
        #expect(RTMPTestData.encode([below]) == RTMPHex.buffer("04 fffffe 000001 08 00000000 aa"))
    }

    @Test func extendedDeltaOnType2IsRepeatedOnItsContinuationChunks() {
        let first = RTMPTestData.message(.video, streamID: 1, timestamp: 0, chunkStreamID: 6, payload: RTMPTestData.payload(130))
        let second = RTMPTestData.message(
            .video, streamID: 1, timestamp: 0x0200_0000, chunkStreamID: 6, payload: RTMPTestData.payload(130, seed: 1))
        let third = RTMPTestData.message(
            .video, streamID: 1, timestamp: 0x0200_0010, chunkStreamID: 6, payload: RTMPTestData.payload(130, seed: 2))
        let bytes = RTMPTestData.encode([first, second, third])
        var expected = RTMPHex.buffer("06 000000 000082 09 01000000")
        expected.writeImmutableBuffer(first.payload.getSlice(at: 0, length: 128)!)
        expected.writeBytes([0xC6])
        expected.writeImmutableBuffer(first.payload.getSlice(at: 128, length: 2)!)
        expected.writeBytes(RTMPHex.bytes("86 ffffff 02000000"))
        expected.writeImmutableBuffer(second.payload.getSlice(at: 0, length: 128)!)
        expected.writeBytes(RTMPHex.bytes("c6 02000000"))
        expected.writeImmutableBuffer(second.payload.getSlice(at: 128, length: 2)!)
        // Delta 0x10 fits again: a type 2 without the extended field, and plain type-3 continuations.
        expected.writeBytes(RTMPHex.bytes("86 000010"))
        expected.writeImmutableBuffer(third.payload.getSlice(at: 0, length: 128)!)
        expected.writeBytes([0xC6])
        expected.writeImmutableBuffer(third.payload.getSlice(at: 128, length: 2)!)
        #expect(bytes == expected)
    }

    @Test func emptyPayloadIsOneChunkWithJustAHeader() {
        let message = RTMPTestData.message(.dataAMF0, streamID: 1, timestamp: 7, chunkStreamID: 5, payload: ByteBuffer())
        #expect(RTMPTestData.encode([message]) == RTMPHex.buffer("05 000007 000000 12 01000000"))
    }

    @Test func setChunkSizeAppliesToTheMessagesAfterIt() {
        var encoder = RTMPChunkEncoder()
        #expect(encoder.chunkSize == 128)
        var buffer = ByteBuffer()
        encoder.encode(RTMPBody.setChunkSize(200).message(streamID: 0, timestamp: 0, chunkStreamID: 2), into: &buffer)
        encoder.setChunkSize(200)
        #expect(encoder.chunkSize == 200)
        let payload = RTMPTestData.payload(300)
        encoder.encode(RTMPTestData.message(chunkStreamID: 6, payload: payload), into: &buffer)
        var expected = RTMPHex.buffer("02 000000 000004 01 00000000 000000c8" + "06 000000 00012c 09 01000000")
        expected.writeImmutableBuffer(payload.getSlice(at: 0, length: 200)!)
        expected.writeBytes([0xC6])
        expected.writeImmutableBuffer(payload.getSlice(at: 200, length: 100)!)
        #expect(buffer == expected)
    }

    @Test func chunkSizesAbove16MiBActLike0xFFFFFF() {
        var encoder = RTMPChunkEncoder(chunkSize: 0x7FFF_FFFF)
        var buffer = ByteBuffer()
        let payload = RTMPTestData.payload(70_000)
        encoder.encode(RTMPTestData.message(chunkStreamID: 6, payload: payload), into: &buffer)
        #expect(buffer.readableBytes == 12 + 70_000)
    }

    @Test func encodeAppendsToWhatTheBufferHolds() {
        var buffer = RTMPHex.buffer("ffee")
        buffer.moveReaderIndex(forwardBy: 1)
        var encoder = RTMPChunkEncoder()
        encoder.encode(RTMPTestData.message(.audio, streamID: 0, chunkStreamID: 4, payload: RTMPHex.buffer("01")), into: &buffer)
        #expect(buffer == RTMPHex.buffer("ee 04 000000 000001 08 00000000 01"))
    }
}
