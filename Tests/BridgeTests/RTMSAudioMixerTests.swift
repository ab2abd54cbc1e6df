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

    /// A participant whose clock jumps 3 hours ahead: the mixer must not build 3 hours of silence (345 MB of sums
    /// at 16 kHz): it releases what it holds and rebases the timeline at the jump, at the real timestamp.
    @Test func aJumpPastTheGapCapRebasesInsteadOfBuildingSilence() {
        var mixer = RTMSAudioMixer(sampleRate: 16000, channels: 1, latencyMs: 100)
        var out: [(pcm: ByteBuffer, timestampMs: Int64)] = []
        let start: Int64 = 1_000_000
        for n in 0..<10 { out += mixer.add(Self.block(1000), userID: 1, timestampMs: start + Int64(n) * 20) }
        let jump = start + 3 * 3_600_000
        for n in 0..<10 { out += mixer.add(Self.block(2000), userID: 1, timestampMs: jump + Int64(n) * 20) }
        // The other participant still at the old times: too late for the rebased mix.
        out += mixer.add(Self.block(7), userID: 2, timestampMs: start + 200)
        out += mixer.flush()
        #expect(mixer.discontinuities == 1)
        #expect(out.allSatisfy { $0.pcm.readableBytes <= 2 * 3200 })
        let mixed = Self.samples(out)
        #expect(mixed.count == 6400)
        #expect(mixed[0..<3200].allSatisfy { $0 == 1000 })
        #expect(mixed[3200...].allSatisfy { $0 == 2000 })
        #expect(out.first?.timestampMs == start)
        #expect(out.first { Self.samples([$0]).first == 2000 }?.timestampMs == jump)
        #expect(mixer.framesDroppedLate == 320)
    }

    /// A gap up to the cap is still filled with zeros, on the same timeline.
    @Test func aGapWithinTheCapIsReleasedAsSilence() {
        var mixer = RTMSAudioMixer(sampleRate: 16000, channels: 1, latencyMs: 100)
        var out: [(pcm: ByteBuffer, timestampMs: Int64)] = []
        out += mixer.add(Self.block(1000), userID: 1, timestampMs: 0)
        let gapMs = RTMSAudioMixer.maxGapMs - 20
        out += mixer.add(Self.block(1000), userID: 1, timestampMs: 20 + gapMs)
        out += mixer.flush()
        #expect(mixer.discontinuities == 0)
        let mixed = Self.samples(out)
        #expect(mixed.count == Int(40 + gapMs) * 16)
        #expect(mixed[320..<(mixed.count - 320)].allSatisfy { $0 == 0 })
        #expect(mixed.suffix(320).allSatisfy { $0 == 1000 })
    }

    /// Timestamps at the ends of Int64 neither trap nor allocate.
    @Test func extremeTimestampsDoNotOverflow() {
        var mixer = RTMSAudioMixer(sampleRate: 48000, channels: 2, latencyMs: 100)
        var out: [(pcm: ByteBuffer, timestampMs: Int64)] = []
        out += mixer.add(Self.block(1, frames: 1920), userID: 1, timestampMs: 0)
        out += mixer.add(Self.block(2, frames: 1920), userID: 1, timestampMs: Int64.max)
        out += mixer.add(Self.block(3, frames: 1920), userID: 2, timestampMs: Int64.min)
        out += mixer.flush()
        #expect(mixer.discontinuities == 1)
        #expect(mixer.framesDroppedLate == 960)
        #expect(Self.samples(out).count == 2 * 1920)
    }
}
