@testable import Bridge
import NIOCore
import Testing

/// Per-participant L16 streams summed on one timeline.
@Suite struct RTMSAudioMixerTests {
    /// 20 ms of a constant value at 16 kHz mono.
    static func block(_ value: Int16, frames: Int = 320) -> ByteBuffer {
        var buffer = ByteBuffer()
        for _ in 0..<frames { buffer.writeInteger(value, endianness: .little) }
        return buffer
    }

    static func samples(_ blocks: [(pcm: ByteBuffer, timestampMs: Int64)]) -> [Int16] {
        blocks.flatMap { block -> [Int16] in
            var pcm = block.pcm
            var out: [Int16] = []
            while let value = pcm.readInteger(endianness: .little, as: Int16.self) { out.append(value) }
            return out
        }
    }

    @Test func twoParticipantsAreSummedWhereTheyOverlap() {
        var mixer = RTMSAudioMixer(sampleRate: 16000, channels: 1, latencyMs: 100)
        var out: [(pcm: ByteBuffer, timestampMs: Int64)] = []
        let start: Int64 = 1_000_000
        // A speaks from 0 to 1 s; B from 200 ms to 600 ms; messages interleaved as they would arrive.
        for n in 0..<50 {
            let time = start + Int64(n) * 20
            out += mixer.add(Self.block(1000), userID: 1, timestampMs: time)
            if n >= 10 && n < 30 { out += mixer.add(Self.block(2000), userID: 2, timestampMs: time) }
        }
        out += mixer.flush()
        let mixed = Self.samples(out)
        #expect(mixed.count == 16000)
        #expect(out.first?.timestampMs == start)
        #expect(mixed[0..<3200].allSatisfy { $0 == 1000 })
        #expect(mixed[3200..<9600].allSatisfy { $0 == 3000 })
        #expect(mixed[9600...].allSatisfy { $0 == 1000 })
        #expect(mixer.framesDroppedLate == 0)
        // Blocks follow each other without a gap.
        var expected = start
        for block in out {
            #expect(abs(block.timestampMs - expected) <= 1)
            expected = block.timestampMs + Int64(block.pcm.readableBytes / 2) * 1000 / 16000
        }
    }

    @Test func sumsSaturateAndLateMessagesAreDropped() {
        var mixer = RTMSAudioMixer(sampleRate: 16000, channels: 1, latencyMs: 40)
        var out: [(pcm: ByteBuffer, timestampMs: Int64)] = []
        for n in 0..<10 {
            out += mixer.add(Self.block(30000), userID: 1, timestampMs: Int64(n) * 20)
            out += mixer.add(Self.block(30000), userID: 2, timestampMs: Int64(n) * 20)
        }
        // Participant 3 sends the first 20 ms after 200 ms have passed: already released.
        out += mixer.add(Self.block(5), userID: 3, timestampMs: 0)
        out += mixer.flush()
        let mixed = Self.samples(out)
        #expect(mixed.count == 3200)
        #expect(mixed.allSatisfy { $0 == Int16.max })
        #expect(mixer.framesDroppedLate == 320)
    }
}
