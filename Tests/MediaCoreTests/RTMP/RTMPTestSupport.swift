import NIOCore

@testable import MediaCore

/// Hex vectors for the RTMP tests: whitespace is ignored.
enum RTMPHex {
    static func buffer(_ hex: String) -> ByteBuffer {
        ByteBuffer(bytes: self.bytes(hex))
    }

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.unicodeScalars.filter { !$0.properties.isWhitespace })
        precondition(digits.count % 2 == 0, "odd number of hex digits")
        return stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(String.UnicodeScalarView(digits[i...i + 1])), radix: 16)!
        }
    }

    static func string(_ buffer: ByteBuffer) -> String {
        buffer.readableBytesView.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}

enum RTMPTestData {
    /// `count` bytes of a recognisable pattern, different per `seed`.
    static func payload(_ count: Int, seed: Int = 0) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(count)
        buffer.writeBytes((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 7 &+ 1) })
        return buffer
    }

    /// Feeds `bytes` to `decoder` in pieces of `pieceSize` and collects every message.
    static func decode(
        _ bytes: ByteBuffer,
        pieceSize: Int,
        decoder: inout RTMPChunkDecoder
    ) throws -> [RTMPMessage] {
        var bytes = bytes
        var messages: [RTMPMessage] = []
        while bytes.readableBytes > 0 {
            let piece = bytes.readSlice(length: min(pieceSize, bytes.readableBytes))!
            decoder.append(piece)
            while let message = try decoder.nextMessage() {
                messages.append(message)
            }
        }
        return messages
    }

    static func decode(_ bytes: ByteBuffer, pieceSize: Int = .max, limits: RTMPLimits = .default) throws -> [RTMPMessage] {
        var decoder = RTMPChunkDecoder(limits: limits)
        return try self.decode(bytes, pieceSize: pieceSize, decoder: &decoder)
    }

    static func message(
        _ typeID: RTMPMessageType = .video,
        streamID: UInt32 = 1,
        timestamp: UInt32 = 0,
        chunkStreamID: UInt32 = RTMPChunkStreamID.video,
        payload: ByteBuffer
    ) -> RTMPMessage {
        RTMPMessage(
            typeID: typeID.rawValue,
            streamID: streamID,
            timestamp: timestamp,
            chunkStreamID: chunkStreamID,
            payload: payload
        )
    }

    static func encode(_ messages: [RTMPMessage], chunkSize: Int = 128) -> ByteBuffer {
        var encoder = RTMPChunkEncoder(chunkSize: chunkSize)
        var buffer = ByteBuffer()
        for message in messages {
            encoder.encode(message, into: &buffer)
        }
        return buffer
    }
}
