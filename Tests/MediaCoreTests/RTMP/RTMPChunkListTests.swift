import NIOCore
import Testing

@testable import MediaCore

@Suite struct RTMPChunkListTests {
    static let chunkSizes = [1, 128, 4096, 65536]
    static let payloadSizes = [0, 1, 127, 128, 129, 4095, 4096, 4097, 100_000]
    static let copyLimits = [0, 128, 4096, Int.max]

    /// A publish-like run on three chunk streams: type 0, 1, 2 and 3 headers, a timestamp that needs the extended
    /// field (repeated on continuation chunks) and one that wraps past 2^32, payload sizes around the chunk size.
    static func messages(payloadSize: Int) -> [RTMPMessage] {
        var messages: [RTMPMessage] = []
        let timestamps: [UInt32] = [0, 33, 66, 99, 0x00FF_FFFF, 0x0100_0020, 0xFFFF_FFF0, 0x10]
        for (index, timestamp) in timestamps.enumerated() {
            let length = index % 3 == 2 ? payloadSize + 1 : payloadSize
            messages.append(
                RTMPTestData.message(
                    .video, streamID: 1, timestamp: timestamp, chunkStreamID: 6,
                    payload: RTMPTestData.payload(length, seed: index)))
            messages.append(
                RTMPTestData.message(
                    .audio, streamID: 1, timestamp: timestamp, chunkStreamID: 4, payload: RTMPTestData.payload(9, seed: index)))
            if index % 4 == 0 {
                messages.append(
                    RTMPTestData.message(
                        .dataAMF0, streamID: 1, timestamp: timestamp, chunkStreamID: 1000,
                        payload: RTMPTestData.payload(payloadSize / 2, seed: index)))
            }
        }
        return messages
    }

    static func joined(_ list: RTMPChunkList) -> ByteBuffer {
        var bytes = ByteBuffer()
        for var piece in list.buffers { bytes.writeBuffer(&piece) }
        return bytes
    }

    @Test(arguments: chunkSizes, payloadSizes)
    func piecesInOrderAreTheBytesOfTheCopyingEncoder(chunkSize: Int, payloadSize: Int) {
        // Chunk size 1 with 100,000 bytes is 800,000 chunks per pass: the copying encoder's own tests cover it.
        if chunkSize == 1 && payloadSize > 4097 { return }
        let messages = Self.messages(payloadSize: payloadSize)
        var copying = RTMPChunkEncoder(chunkSize: chunkSize)
        var expected = ByteBuffer()
        for message in messages { copying.encode(message, into: &expected) }

        for copyLimit in Self.copyLimits {
            var slicing = RTMPChunkEncoder(chunkSize: chunkSize)
            var list = RTMPChunkList(copyLimit: copyLimit, capacity: 16)
            for message in messages { slicing.encode(message, into: &list) }
            #expect(list.readableBytes == expected.readableBytes, "copy limit \(copyLimit)")
            #expect(Self.joined(list) == expected, "copy limit \(copyLimit)")
            #expect(list.buffers.allSatisfy { $0.readableBytes > 0 }, "copy limit \(copyLimit)")
        }
    }

    @Test func messagesEncodedOneListAtATimeKeepTheHeaderCompressionOfOneStream() {
        let messages = Self.messages(payloadSize: 5000)
        var copying = RTMPChunkEncoder(chunkSize: 4096)
        var expected = ByteBuffer()
        for message in messages { copying.encode(message, into: &expected) }

        var slicing = RTMPChunkEncoder(chunkSize: 4096)
        var bytes = ByteBuffer()
        for message in messages {
            var list = RTMPChunkList()
            slicing.encode(message, into: &list)
            bytes.writeImmutableBuffer(Self.joined(list))
        }
        #expect(bytes == expected)
    }

    @Test func longPayloadPiecesShareTheirStorageAndShortOnesJoinTheHeaders() throws {
        let video = RTMPTestData.payload(10_000)
        let audio = RTMPTestData.payload(300, seed: 1)
        var encoder = RTMPChunkEncoder(chunkSize: 4096)
        var list = RTMPChunkList(copyLimit: 1000)
        encoder.encode(RTMPTestData.message(.video, timestamp: 0, chunkStreamID: 6, payload: video), into: &list)
        encoder.encode(RTMPTestData.message(.audio, timestamp: 0, chunkStreamID: 4, payload: audio), into: &list)
        encoder.encode(RTMPTestData.message(.video, timestamp: 33, chunkStreamID: 6, payload: video), into: &list)

        // header | 4096 | c6 | 4096 | c6 | 1808 | audio header + audio + type-2 video header | 4096 | c6 | 4096 | c6 | 1808
        let pieces = list.buffers
        #expect(pieces.map(\.readableBytes) == [12, 4096, 1, 4096, 1, 1808, 12 + 300 + 4, 4096, 1, 4096, 1, 1808])
        let videoStart = video.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        for (index, offset) in [(1, 0), (3, 4096), (5, 8192), (7, 0), (9, 4096), (11, 8192)] {
            let address = pieces[index].withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
            #expect(address == videoStart + UInt(offset), "piece \(index) is not a slice of the payload")
        }
        #expect(pieces[6].getSlice(at: pieces[6].readerIndex + 12, length: 300) == audio)
    }

    @Test func emptyListHasNoPieces() {
        let list = RTMPChunkList()
        #expect(list.isEmpty)
        #expect(list.buffers.isEmpty)
        #expect(list.readableBytes == 0)
    }
}
