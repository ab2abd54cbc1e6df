@testable import Remux
import Testing

/// The pure timing rules: monotonic DTS, audio gap filling, B-frame presentation order, Annex B scanning.
@Suite struct TimingTests {
    @Test func monotonicTimestampsMoveEqualAndBackwardOnes() {
        var order = MonotonicTimestamps()
        let output = [0, 33, 33, 20, 100, 100, 101].map { order.next($0) }
        #expect(output == [0, 33, 34, 35, 100, 101, 102])
        #expect(order.corrections == 4)
    }

    @Test func audioTimelineFillsOnlyGapsAboveTheThreshold() {
        var timeline = AudioTimeline(sampleRate: 16000, gapThresholdMs: 100)
        #expect(timeline.silenceBefore(messageAtMs: 500, samplesSoFar: 0) == 0)  // first message sets the origin
        #expect(timeline.originMs == 500)
        // 20 ms (320 samples) per message, on time.
        #expect(timeline.silenceBefore(messageAtMs: 520, samplesSoFar: 320) == 0)
        // 90 ms late: jitter, below the threshold.
        #expect(timeline.silenceBefore(messageAtMs: 630, samplesSoFar: 640) == 0)
        // 960 samples (60 ms) so far: a message 100 ms after their end is exactly the threshold, not a gap;
        // one ms later is.
        #expect(timeline.silenceBefore(messageAtMs: 660, samplesSoFar: 960) == 0)
        #expect(timeline.silenceBefore(messageAtMs: 661, samplesSoFar: 960) == 1616)
        // Early messages add nothing.
        #expect(timeline.silenceBefore(messageAtMs: 400, samplesSoFar: 2_576) == 0)
    }

    @Test(arguments: [(16000, Int64(-1024), Int64(436)), (48000, 1024, 521), (8000, 0, 500), (48000, -1024, 479)])
    func audioTimelineConvertsSamplesToMilliseconds(rate: Int, sample: Int64, milliseconds: Int64) {
        var timeline = AudioTimeline(sampleRate: rate, gapThresholdMs: 100)
        _ = timeline.silenceBefore(messageAtMs: 500, samplesSoFar: 0)
        #expect(timeline.milliseconds(ofSample: sample) == milliseconds)
    }

    /// Decoding-order POCs (doubled, as x264 writes them): I P B B with plain B-frames (delay 1), and x264's
    /// B-pyramid I P B b b (delay 2).
    @Test(arguments: [
        ([0, 6, 2, 4, 12, 8, 10, 18, 14, 16, 24, 20, 22, 30, 26, 28, 36, 32, 34] as [Int32], 1),
        ([0, 16, 8, 4, 12, 32, 24, 20, 28, 48, 40, 36, 44, 64, 56, 52, 60, 80, 72, 68, 76] as [Int32], 2),
    ])
    func reordererGivesBFramesTheirDisplayTimes(decodeOrderPOC: [Int32], delay: Int) {
        var reorderer = PresentationReorderer<Int>()
        var outputs: [PresentationReorderer<Int>.Output] = []
        for (index, poc) in decodeOrderPOC.enumerated() {
            outputs += reorderer.push(index, dtsMs: Int64(index) * 10, pictureOrder: poc, startsSequence: index == 0)
        }
        outputs += reorderer.finish()
        #expect(outputs.map(\.payload) == Array(0..<decodeOrderPOC.count))  // still decoding order
        #expect(reorderer.reorderDelay == delay)
        // Display order (by POC) has increasing pts, one decoding interval apart, starting `delay` pictures in.
        let byDisplay = outputs.sorted { decodeOrderPOC[$0.payload] < decodeOrderPOC[$1.payload] }
        #expect(byDisplay.map(\.ptsMs) == (0..<decodeOrderPOC.count).map { Int64($0 + delay) * 10 })
        #expect(outputs.allSatisfy { $0.ptsMs >= $0.dtsMs })
        #expect(reorderer.latePictures == 0)
    }

    @Test func reordererWithoutBFramesAddsNoDelay() {
        var reorderer = PresentationReorderer<Int>()
        var outputs: [PresentationReorderer<Int>.Output] = []
        for index in 0..<40 {
            outputs += reorderer.push(index, dtsMs: Int64(index) * 33, pictureOrder: Int32((index % 20) * 2),
                                      startsSequence: index % 20 == 0)
        }
        // The first learning window is held back; after it, every picture comes out at once.
        #expect(outputs.count == 40)
        #expect(reorderer.reorderDelay == 0)
        #expect(outputs.allSatisfy { $0.ptsMs == $0.dtsMs })
        #expect(reorderer.push(40, dtsMs: 40 * 33, pictureOrder: 0, startsSequence: true).count == 1)
    }

    @Test func reordererRaisesItsDelayWhenAPictureComesLate() {
        var reorderer = PresentationReorderer<Int>()
        var outputs: [PresentationReorderer<Int>.Output] = []
        // 16 pictures in order (delay 0), then a B-frame pattern.
        let pocs: [Int32] = Array(0..<16).map { Int32($0 * 2) } + [36, 32, 34, 40, 38]
        for (index, poc) in pocs.enumerated() {
            outputs += reorderer.push(index, dtsMs: Int64(index) * 10, pictureOrder: poc, startsSequence: index == 0)
        }
        outputs += reorderer.finish()
        #expect(outputs.count == pocs.count)
        #expect(reorderer.latePictures >= 1)
        #expect(outputs.allSatisfy { $0.ptsMs >= $0.dtsMs })
        #expect(Set(outputs.map(\.ptsMs)).count == outputs.count)
    }

    @Test func annexBScannerFindsNALUnitsWithBothStartCodes() {
        let bytes: [UInt8] = [0, 0, 0, 1, 0x67, 0x42, 0x00, 0x1F, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80,
                              0, 0, 0, 1, 0x65, 0x88, 0x84, 0x00, 0x00, 0x03, 0x01, 0, 0, 1, 0x06, 0x05]
        var units: [(UInt8, Int)] = []
        bytes.withUnsafeBytes { raw in
            AnnexBScanner.forEachNALUnit(in: raw) { units.append(($0.type, $0.range.count)) }
        }
        #expect(units.map(\.0) == [7, 8, 5, 6])
        #expect(units.map(\.1) == [4, 4, 7, 2])
        bytes.withUnsafeBytes { raw in
            let inspection = AnnexBScanner.inspectAccessUnit(raw)
            #expect(inspection.hasIDR && inspection.hasSPS && inspection.hasPPS)
            #expect(inspection.parameterSets == [0, 0, 0, 1, 0x67, 0x42, 0x00, 0x1F, 0, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80])
        }
    }
}
