import Foundation
import MediaCore
import NIOCore

/// The media messages a load stream sends, built once: 16 kHz mono L16 audio every 20 ms (640 bytes) and
/// H.264-sized video frames at 30 fps (a key frame of `keyFrameBytes` every `gop` frames, `frameBytes`
/// otherwise). Each message is the JSON text up to the timestamp value, so sending one costs a copy and a number.
struct MediaPayloads: Sendable {
    static let audioPeriod = 0.020
    static let videoPeriod = 1.0 / 30

    let audio: ByteBuffer
    let videoKey: ByteBuffer
    let videoDelta: ByteBuffer
    let gop: Int

    init(frameBytes: Int, keyFrameBytes: Int, gop: Int) {
        audio = Self.prefix(msgType: 14, data: Self.pcm(count: 320))
        videoKey = Self.prefix(msgType: 15, data: Self.annexB(size: keyFrameBytes, nalType: 0x65, seed: 1))
        videoDelta = Self.prefix(msgType: 15, data: Self.annexB(size: frameBytes, nalType: 0x41, seed: 2))
        self.gop = gop
    }

    /// The message for audio packet `index` at `timestamp` (Unix ms).
    func audio(timestamp: Int64) -> ByteBuffer { Self.finish(audio, timestamp) }

    func video(index: Int, timestamp: Int64) -> ByteBuffer {
        Self.finish(index % gop == 0 ? videoKey : videoDelta, timestamp)
    }

    private static func finish(_ prefix: ByteBuffer, _ timestamp: Int64) -> ByteBuffer {
        var out = prefix
        out.writeString(String(timestamp))
        out.writeString("}}")
        return out
    }

    private static func prefix(msgType: Int, data: [UInt8]) -> ByteBuffer {
        var b = ByteBufferAllocator().buffer(capacity: data.count * 4 / 3 + 200)
        b.writeString("{\"msg_type\":\(msgType),\"content\":{\"user_id\":16778240,\"user_name\":\"Load Tester\",\"data\":\"")
        var raw = ByteBufferAllocator().buffer(capacity: data.count)
        raw.writeBytes(data)
        b.writeString(RTMSBase64.encode(raw))
        b.writeString("\",\"timestamp\":")
        return b
    }

    /// A 440 Hz tone, signed 16-bit little-endian.
    private static func pcm(count: Int) -> [UInt8] {
        var out: [UInt8] = []
        for i in 0..<count {
            let v = Int16(8000 * sin(2 * Double.pi * 440 * Double(i) / 16000))
            out.append(UInt8(truncatingIfNeeded: v))
            out.append(UInt8(truncatingIfNeeded: v >> 8))
        }
        return out
    }

    /// A start code, a NAL header and pseudo-random bytes (no zero bytes, so no start code inside).
    private static func annexB(size: Int, nalType: UInt8, seed: UInt64) -> [UInt8] {
        var out: [UInt8] = [0, 0, 0, 1, nalType]
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        while out.count < size {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            out.append(UInt8(truncatingIfNeeded: state % 255) + 1)
        }
        return out
    }
}
