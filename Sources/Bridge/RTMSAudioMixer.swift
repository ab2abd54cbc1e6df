import NIOCore

/// Mixes the per-participant audio of an RTMS stream with `data_opt` AUDIO_MULTI_STREAMS (reference: "2:
/// AUDIO_MULTI_STREAMS", one stream per participant, each message carrying its `user_id`) into one L16 stream.
///
/// Every participant's messages are laid end to end on a common sample timeline (a message whose timestamp is
/// more than `resyncMs` away from where that participant's last one ended starts again at its timestamp); the
/// samples are summed, saturating at the 16-bit limits. A stretch is released once the newest message is
/// `latencyMs` past it, so late participants still make it into the mix; what comes later than that is dropped.
/// Silence where nobody speaks is released as zeros, so the output has no gaps.
///
/// Silence is only built up to `maxGapMs`: a message that starts further than that past the end of what is held
/// (a long stretch where nobody sent anything, or a participant whose clock jumped hours ahead) is a
/// discontinuity: what is held is released, and the timeline is rebased to start at that message, at its own
/// timestamp. The mixer never allocates the gap; the remuxer fills it with silence as it fills any audio gap,
/// frame by frame. A participant still sending at the old times then comes too late (`framesDroppedLate`).
///
/// Pure: bytes in, bytes out. Signed 16-bit little-endian interleaved PCM throughout.
struct RTMSAudioMixer {
    /// The longest silence (ms) the mixer builds up between what it holds and a later message; at 48 kHz stereo
    /// 10 s of sums are 3.8 MB. Further is a discontinuity (see above).
    static let maxGapMs: Int64 = 10_000

    let sampleRate: Int
    let channels: Int
    let latencyMs: Int64
    let resyncMs: Int64

    /// Timestamp (ms) of sample 0 of the timeline.
    private var originMs: Int64?
    /// Sums for the samples from `startFrame` on (one element per sample, frames × channels).
    private var sums: [Int32] = []
    /// The first frame (per channel) not yet released.
    private var startFrame: Int64 = 0
    /// Per participant: the frame where their next message would start.
    private var cursors: [Int64: Int64] = [:]
    /// Frames of messages that came after their place had been released.
    private(set) var framesDroppedLate: Int64 = 0
    /// Messages that started more than `maxGapMs` past what was held, where the timeline was rebased.
    private(set) var discontinuities = 0

    init(sampleRate: Int, channels: Int, latencyMs: Int64 = 300, resyncMs: Int64 = 60) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.latencyMs = latencyMs
        self.resyncMs = resyncMs
    }

    /// One participant's message at its timestamp; returns the mixed blocks now complete, each with the timestamp
    /// (ms) of its first sample.
    mutating func add(_ payload: ByteBuffer, userID: Int64, timestampMs: Int64) -> [(pcm: ByteBuffer, timestampMs: Int64)] {
        let origin = originMs ?? timestampMs
        originMs = origin
        let frames = payload.readableBytes / (2 * channels)
        let atTimestamp = frame(ofMs: Self.clampedDifference(timestampMs, origin))
        var start = cursors[userID] ?? atTimestamp
        if abs(start - atTimestamp) > frame(ofMs: resyncMs) { start = atTimestamp }
        cursors[userID] = start + Int64(frames)
        var released: [(pcm: ByteBuffer, timestampMs: Int64)] = []
        // Checked before `sums` grows to reach `start`.
        let heldEnd = startFrame + Int64(sums.count / channels)
        if start - heldEnd > frame(ofMs: Self.maxGapMs) {
            released = release(upTo: heldEnd)
            startFrame = start
            discontinuities += 1
        }
        var skip = 0
        if start < startFrame {
            skip = Int(min(startFrame - start, Int64(frames)))
            framesDroppedLate += Int64(skip)
        }
        let end = start + Int64(frames)
        if end > startFrame {
            let needed = Int(end - startFrame) * channels
            if sums.count < needed { sums.append(contentsOf: repeatElement(0, count: needed - sums.count)) }
            payload.withUnsafeReadableBytes { bytes in
                let first = Int(start + Int64(skip) - startFrame) * channels
                for index in (skip * channels)..<(frames * channels) {
                    let sample = Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))
                    sums[first + index - skip * channels] += Int32(sample)
                }
            }
        }
        let newest = cursors.values.max() ?? end
        return released + release(upTo: newest - frame(ofMs: latencyMs))
    }

    /// Everything still held.
    mutating func flush() -> [(pcm: ByteBuffer, timestampMs: Int64)] {
        release(upTo: startFrame + Int64(sums.count / channels))
    }

    private func frame(ofMs ms: Int64) -> Int64 { ms * Int64(sampleRate) / 1000 }

    /// Farthest a timestamp is taken from the first one (about 35 years): keeps the frame arithmetic of a
    /// hostile timestamp (Int64.max) from overflowing; the remuxer refuses anything past FLV's 32-bit ms anyway.
    private static let maxOffsetMs: Int64 = 1 << 40

    private static func clampedDifference(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        if overflow { return a < b ? -maxOffsetMs : maxOffsetMs }
        return min(max(difference, -maxOffsetMs), maxOffsetMs)
    }

    private mutating func release(upTo frame: Int64) -> [(pcm: ByteBuffer, timestampMs: Int64)] {
        guard let originMs, frame > startFrame else { return [] }
        let count = Int(frame - startFrame)
        if sums.count < count * channels { sums.append(contentsOf: repeatElement(0, count: count * channels - sums.count)) }
        var out = ByteBuffer()
        out.reserveCapacity(count * channels * 2)
        for index in 0..<(count * channels) {
            out.writeInteger(Int16(clamping: sums[index]), endianness: .little)
        }
        sums.removeFirst(count * channels)
        let timestamp = originMs + startFrame * 1000 / Int64(sampleRate)
        startFrame = frame
        return [(out, timestamp)]
    }
}
