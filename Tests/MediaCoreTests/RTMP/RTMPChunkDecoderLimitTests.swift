import NIOCore
import Testing

@testable import MediaCore

/// A hostile or broken peer must not make the decoder allocate what it announces, only what it sends.
@Suite struct RTMPChunkDecoderLimitTests {
    static func setChunkSize(_ hex: String) -> ByteBuffer {
        RTMPHex.buffer("02 000000 000004 01 00000000" + hex)
    }

    @Test func chunkSize0x7FFFFFFFIsAcceptedAsTheProtocolMaximum() throws {
        var decoder = RTMPChunkDecoder()
        decoder.append(Self.setChunkSize("7fffffff"))
        let message = try #require(try decoder.nextMessage())
        #expect(try RTMPBody(decoding: message) == .setChunkSize(0x7FFF_FFFF))
        // "all sizes greater than 16777215 (0xFFFFFF) are equivalent"
        #expect(decoder.chunkSize == 0xFF_FFFF)
        // and it allocated nothing: a following 10-byte message is read normally.
        decoder.append(RTMPHex.buffer("04 000000 00000a 08 01000000 00010203040506070809"))
        #expect(try decoder.nextMessage()?.payload.readableBytes == 10)
    }

    @Test func chunkSizeAboveTheLimitThrows() throws {
        var decoder = RTMPChunkDecoder(limits: RTMPLimits(maxChunkSize: 65536))
        decoder.append(Self.setChunkSize("00010000"))
        decoder.append(Self.setChunkSize("00010001"))
        #expect(try decoder.nextMessage() != nil)
        #expect(decoder.chunkSize == 65536)
        let error = try #require(throws: MediaError.self) { try decoder.nextMessage() }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("65537"))
        #expect(decoder.chunkSize == 65536)
    }

    @Test(arguments: ["00000000", "80000000", "ffffffff", "80000080"])
    func chunkSizeZeroOrWithTheHighBitSetThrows(payload: String) throws {
        var decoder = RTMPChunkDecoder()
        decoder.append(Self.setChunkSize(payload))
        let error = try #require(throws: MediaError.self) { try decoder.nextMessage() }
        #expect(error.kind == .protocolViolation)
        #expect(decoder.chunkSize == 128)
    }

    @Test func shortSetChunkSizeThrows() throws {
        var decoder = RTMPChunkDecoder()
        decoder.append(RTMPHex.buffer("02 000000 000002 01 00000000 0100"))
        #expect(throws: MediaError.self) { try decoder.nextMessage() }
    }

    @Test func aMaximalLengthHeaderAllocatesOnlyWhatArrives() throws {
        var decoder = RTMPChunkDecoder()
        decoder.append(Self.setChunkSize("00ffffff"))
        _ = try decoder.nextMessage()
        // Announce 16777215 bytes, send 10.
        decoder.append(RTMPHex.buffer("06 000000 ffffff 09 01000000 00010203040506070809"))
        #expect(try decoder.nextMessage() == nil)
        #expect(decoder.partialMessageBytes == 10)
        #expect(decoder.partialMessageCapacity <= 64)
        // More bytes grow it in proportion, not to the announced length.
        decoder.append(RTMPTestData.payload(5000))
        #expect(try decoder.nextMessage() == nil)
        #expect(decoder.partialMessageBytes == 5010)
        #expect(decoder.partialMessageCapacity <= 16384)
    }

    @Test func messageLengthAboveTheLimitThrowsBeforeAnyDataArrives() throws {
        var decoder = RTMPChunkDecoder(limits: RTMPLimits(maxMessageLength: 1000))
        decoder.append(RTMPHex.buffer("06 000000 0003e8 09 01000000"))  // 1000: fine
        #expect(try decoder.nextMessage() == nil)
        var second = RTMPChunkDecoder(limits: RTMPLimits(maxMessageLength: 1000))
        second.append(RTMPHex.buffer("06 000000 0003e9 09 01000000"))  // 1001
        let error = try #require(throws: MediaError.self) { try second.nextMessage() }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("message length 1001"))
        #expect(error.message.contains("at byte 0"))
        // A type-1 header is checked the same way.
        var third = RTMPChunkDecoder(limits: RTMPLimits(maxMessageLength: 1000))
        third.append(RTMPHex.buffer("06 000000 000001 09 01000000 aa" + "46 000000 0003e9 09"))
        #expect(try third.nextMessage() != nil)
        #expect(throws: MediaError.self) { try third.nextMessage() }
    }

    /// A partial message on chunk stream `id`: 200 bytes announced, the first 128-byte chunk sent.
    static func partial(on chunkStreamID: UInt32) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeRTMPBasicHeader(format: 0, chunkStreamID: chunkStreamID)
        buffer.writeBytes(RTMPHex.bytes("000000 0000c8 09 01000000"))
        buffer.writeImmutableBuffer(RTMPTestData.payload(128))
        return buffer
    }

    @Test func tooManyPartialMessagesThrows() throws {
        var decoder = RTMPChunkDecoder(limits: RTMPLimits(maxChunkStreams: 64))
        for chunkStreamID in UInt32(3)..<67 {
            decoder.append(Self.partial(on: chunkStreamID))
            #expect(try decoder.nextMessage() == nil)
        }
        #expect(decoder.partialMessageBytes == 64 * 128)
        decoder.append(Self.partial(on: 67))
        let error = try #require(throws: MediaError.self) { try decoder.nextMessage() }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("limit 64"))
    }

    @Test func completedMessagesFreeTheirPartialSlot() throws {
        var decoder = RTMPChunkDecoder(limits: RTMPLimits(maxChunkStreams: 1))
        for _ in 0..<3 {
            decoder.append(Self.partial(on: 3))
            #expect(try decoder.nextMessage() == nil)
            var rest = RTMPHex.buffer("c3")
            rest.writeImmutableBuffer(RTMPTestData.payload(72))
            decoder.append(rest)
            #expect(try decoder.nextMessage()?.payload.readableBytes == 200)
            // Type 0 again for the next round: the stream restarts.
        }
        #expect(decoder.partialMessageBytes == 0)
    }

    @Test func bufferedBytesAcrossChunkStreamsAreLimited() throws {
        var decoder = RTMPChunkDecoder(limits: RTMPLimits(maxBufferedBytes: 300))
        decoder.append(Self.partial(on: 3))
        decoder.append(Self.partial(on: 4))
        #expect(try decoder.nextMessage() == nil)
        #expect(decoder.partialMessageBytes == 256)
        decoder.append(Self.partial(on: 5))
        let error = try #require(throws: MediaError.self) { try decoder.nextMessage() }
        #expect(error.kind == .protocolViolation)
        #expect(error.message.contains("300"))
    }

    @Test func manyCompleteMessagesOnManyChunkStreamsAreFine() throws {
        // The partial-message limit does not limit chunk streams that carry complete messages.
        var bytes = ByteBuffer()
        for chunkStreamID in UInt32(3)..<300 {
            bytes.writeRTMPBasicHeader(format: 0, chunkStreamID: chunkStreamID)
            bytes.writeBytes(RTMPHex.bytes("000000 000001 08 01000000 aa"))
        }
        #expect(try RTMPTestData.decode(bytes, limits: RTMPLimits(maxChunkStreams: 2)).count == 297)
    }
}
