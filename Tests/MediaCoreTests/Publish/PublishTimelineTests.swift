import Testing

@testable import MediaCore

@Suite struct PublishTimelineTests {
    @Test func startsAtZeroAndFollowsTheSource() {
        var timeline = PublishTimeline()
        #expect(timeline.outputTime(forSource: 5000) == 0)
        #expect(timeline.outputTime(forSource: 5040) == 40)
        #expect(timeline.outputTime(forSource: 5080) == 80)
    }

    @Test func loopPassesContinue() {
        var timeline = PublishTimeline()
        for t in stride(from: 0, through: 1000, by: 40) { _ = timeline.outputTime(forSource: UInt32(t)) }
        timeline.startNextPass()
        #expect(timeline.outputTime(forSource: 0) == 1040)
        #expect(timeline.outputTime(forSource: 40) == 1080)
    }

    @Test func unwrapsThe32BitSourceClock() {
        var timeline = PublishTimeline()
        #expect(timeline.outputTime(forSource: UInt32.max - 20) == 0)
        #expect(timeline.outputTime(forSource: 19) == 40)
    }

    @Test func neverGoesBack() {
        var timeline = PublishTimeline()
        _ = timeline.outputTime(forSource: 100)
        _ = timeline.outputTime(forSource: 200)
        #expect(timeline.outputTime(forSource: 150) == 100)
    }
}
