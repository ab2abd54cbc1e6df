import NIOCore
import Testing

@testable import MediaCore

@Suite struct RTMPChunkRoundTripTests {
    static let chunkSizes = [1, 128, 4096, 65536]
    static let payloadSizes = [0, 1, 127, 128, 129, 4096, 100_000]
    static let chunkStreamIDs: [UInt32] = [3, 4, 6, 100, 1000]

    /// Messages on five chunk streams (1-, 2- and 3-byte basic headers), their chunks interleaved round-robin as a
    /// multiplexer would send them, after a Set Chunk Size announcing `chunkSize`.
    @Test(arguments: chunkSizes, payloadSizes)
    func interleavedChunkStreamsRoundTrip(chunkSize: Int, payloadSize: Int) throws {
        var stream = ByteBuffer()
        var encoder = RTMPChunkEncoder()
        let setChunkSize = RTMPBody.setChunkSize(UInt32(chunkSize)).message(streamID: 0, timestamp: 0, chunkStreamID: 2)
        encoder.encode(setChunkSize, into: &stream)
        encoder.setChunkSize(chunkSize)

        var sent: [UInt32: [RTMPMessage]] = [:]
        var chunks: [UInt32: [ByteBuffer]] = [:]
        // Three messages per chunk stream; one when that would be more than 10,000 chunks each (chunk size 1 with
        // 100,000 bytes: 500,000 chunks already).
        let messagesPerStream = payloadSize / chunkSize > 10_000 ? 1 : 3
        for (index, chunkStreamID) in Self.chunkStreamIDs.enumerated() {
            for n in 0..<messagesPerStream {
                // Lengths vary by one byte between chunk streams so type 1 and type 2/3 headers both occur.
                let length = n == 1 ? payloadSize : payloadSize + (index % 2)
                let message = RTMPTestData.message(
                    index % 2 == 0 ? .video : .audio, streamID: UInt32(1 + index % 2),
                    timestamp: UInt32(1000 * index + 40 * n), chunkStreamID: chunkStreamID,
                    payload: RTMPTestData.payload(length, seed: index * 3 + n))
                sent[chunkStreamID, default: []].append(message)
                var encoded = ByteBuffer()
                encoder.encode(message, into: &encoded)
                chunks[chunkStreamID, default: []].append(contentsOf: Self.split(encoded, of: message, chunkSize: chunkSize))
            }
        }
        // Round-robin, one chunk per chunk stream at a time.
        var cursor = Dictionary(uniqueKeysWithValues: Self.chunkStreamIDs.map { ($0, 0) })
        var more = true
        while more {
            more = false
            for chunkStreamID in Self.chunkStreamIDs where cursor[chunkStreamID]! < chunks[chunkStreamID]!.count {
                stream.writeImmutableBuffer(chunks[chunkStreamID]![cursor[chunkStreamID]!])
                cursor[chunkStreamID]! += 1
                more = true
            }
        }

        let pieceSizes = payloadSize <= 4096 ? [Int.max, 1] : [Int.max, 4093]
        for pieceSize in pieceSizes {
            var decoder = RTMPChunkDecoder()
            let received = try RTMPTestData.decode(stream, pieceSize: pieceSize, decoder: &decoder)
            #expect(received.first == setChunkSize)
            #expect(decoder.chunkSize == chunkSize)
            #expect(decoder.bytesReceived == UInt64(stream.readableBytes))
            #expect(decoder.partialMessageBytes == 0)
            let byStream = Dictionary(grouping: received.dropFirst(), by: \.chunkStreamID)
            #expect(byStream == sent, "piece size \(pieceSize)")
        }
    }

    /// Splits one encoded message into its chunks (no extended timestamps in this suite).
    static func split(_ encoded: ByteBuffer, of message: RTMPMessage, chunkSize: Int) -> [ByteBuffer] {
        let length = message.payload.readableBytes
        let count = length == 0 ? 1 : (length + chunkSize - 1) / chunkSize
        let basic = ByteBuffer.rtmpBasicHeaderLength(chunkStreamID: message.chunkStreamID)
        let firstHeader = encoded.readableBytes - length - (count - 1) * basic
        var encoded = encoded
        var result = [encoded.readSlice(length: firstHeader + min(chunkSize, length))!]
        var remaining = length - min(chunkSize, length)
        while remaining > 0 {
            let data = min(chunkSize, remaining)
            result.append(encoded.readSlice(length: basic + data)!)
            remaining -= data
        }
        precondition(encoded.readableBytes == 0)
        return result
    }

    @Test func oneSharedEncoderAndTheDecoderAgreeOnAPublishLikeSequence() throws {
        // A publisher's shape: control messages, commands, metadata, then audio every 23 ms and video every 33 ms
        // with changing sizes, past the 24-bit timestamp boundary.
        var encoder = RTMPChunkEncoder()
        var stream = ByteBuffer()
        var messages: [RTMPMessage] = [RTMPBody.setChunkSize(60_000).message(streamID: 0, timestamp: 0, chunkStreamID: 2)]
        encoder.encode(messages[0], into: &stream)
        encoder.setChunkSize(60_000)
        let start: UInt32 = 0xFF_FF00
        for frame in 0..<60 {
            let audio = RTMPTestData.message(
                .audio, streamID: 1, timestamp: start &+ UInt32(frame * 23), chunkStreamID: RTMPChunkStreamID.audio,
                payload: RTMPTestData.payload(372, seed: frame))
            let video = RTMPTestData.message(
                .video, streamID: 1, timestamp: start &+ UInt32(frame * 33), chunkStreamID: RTMPChunkStreamID.video,
                payload: RTMPTestData.payload(frame % 30 == 0 ? 90_000 : 3_000 + frame * 17, seed: frame))
            for message in [audio, video] {
                messages.append(message)
                encoder.encode(message, into: &stream)
            }
        }
        #expect(try RTMPTestData.decode(stream) == messages)
        #expect(try RTMPTestData.decode(stream, pieceSize: 1500) == messages)
    }
}
