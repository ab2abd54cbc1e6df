/// Places RTMS audio messages on a continuous sample timeline and decides how much silence a gap needs.
///
/// Audio is encoded as one uninterrupted run of samples that starts at the first audio message; a message whose
/// timestamp lies more than the threshold after the end of the samples so far (a reconnection, a muted stretch
/// the server did not send) is preceded by that much silence, so audio after the gap stays in sync with video.
/// Messages that arrive early or with jitter below the threshold are appended as they come.
struct AudioTimeline: Sendable {
    let sampleRate: Int64
    let gapThresholdSamples: Int64
    /// Output timestamp (ms) of sample 0: the first audio message's rebased timestamp.
    private(set) var originMs: Int64? = nil

    init(sampleRate: Int, gapThresholdMs: Int) {
        self.sampleRate = Int64(sampleRate)
        gapThresholdSamples = Int64(max(gapThresholdMs, 0)) * Int64(sampleRate) / 1000
    }

    /// Silence (samples per channel) to insert before a message stamped `timestampMs`, given that
    /// `samplesSoFar` samples are already on the timeline.
    mutating func silenceBefore(messageAtMs timestampMs: Int64, samplesSoFar: Int64) -> Int64 {
        guard let originMs else {
            originMs = timestampMs
            return 0
        }
        let expected = (timestampMs - originMs) * sampleRate / 1000
        let gap = expected - samplesSoFar
        return gap > gapThresholdSamples ? gap : 0
    }

    /// Output milliseconds of a sample position (may be negative for the encoder's priming packet).
    func milliseconds(ofSample sample: Int64) -> Int64 {
        let origin = originMs ?? 0
        // Round to nearest, also for negative positions.
        let scaled = sample * 1000
        let rounded = scaled >= 0 ? (scaled + sampleRate / 2) / sampleRate : -((-scaled + sampleRate / 2) / sampleRate)
        return origin + rounded
    }
}
