import MediaCore
import Testing

@Suite("RTMS keep-alive tracker")
struct RTMSKeepAliveTrackerTests {
    @Test func requestsEveryIntervalWithSequenceAndTimestamp() {
        var t = RTMSKeepAliveTracker(start: 100, interval: 10, missedLimit: 3)
        #expect(t.step(now: 109.9) == .none)
        #expect(t.step(now: 110) == .send(.init(timestamp: 110_000, sequence: 1)))
        #expect(t.step(now: 110.5) == .none)
        let matched = t.answered(.init(timestamp: 110_000, sequence: 1))
        #expect(matched)
        #expect(t.step(now: 120.25) == .send(.init(timestamp: 120_250, sequence: 2)))
        // The cadence stays: a late tick does not move the next request.
        #expect(t.nextDue == 130)
    }

    /// Notes: "After three unanswered requests the server interrupts the connection": requests at 10, 20 and 30 s
    /// without an answer end the connection at 40 s.
    @Test func threeUnansweredRequestsExpire() {
        var t = RTMSKeepAliveTracker(start: 0, interval: 10, missedLimit: 3)
        for k in 1...3 {
            #expect(t.step(now: Double(k) * 10) == .send(.init(timestamp: Int64(k) * 10_000, sequence: Int64(k))))
        }
        #expect(t.step(now: 40) == .expired(unanswered: 3))
    }

    @Test func anAnswerToALaterRequestDoesNotAnswerAnEarlierOne() {
        var t = RTMSKeepAliveTracker(start: 0, interval: 10, missedLimit: 3)
        _ = t.step(now: 10)
        _ = t.step(now: 20)
        let matched = t.answered(.init(timestamp: 20_000, sequence: 2))
        #expect(matched)
        _ = t.step(now: 30)
        _ = t.step(now: 40)
        #expect(t.outstanding.map(\.sequence) == [1, 3, 4])
        #expect(t.step(now: 50) == .expired(unanswered: 3))
    }

    @Test func answersMatchBySequenceOrTimestamp() {
        var t = RTMSKeepAliveTracker(start: 0, interval: 1, missedLimit: 3)
        _ = t.step(now: 1)
        _ = t.step(now: 2)
        // The reference's response carries only the timestamp.
        let byTimestamp = t.answered(.init(timestamp: 2_000))
        #expect(byTimestamp)
        // A sequence with the wrong timestamp answers nothing; an unknown sequence neither.
        let wrongTimestamp = t.answered(.init(timestamp: 5, sequence: 1))
        let unknownSequence = t.answered(.init(timestamp: 1_000, sequence: 9))
        #expect(!wrongTimestamp && !unknownSequence)
        let bySequence = t.answered(.init(timestamp: 1_000, sequence: 1))
        #expect(bySequence)
        #expect(t.outstanding.isEmpty)
    }

    @Test func stoppedSendsNothingAndNeverExpires() {
        var t = RTMSKeepAliveTracker(start: 0, interval: 1, missedLimit: 1)
        _ = t.step(now: 1)
        t.stop()
        #expect(t.step(now: 2) == .none)
        #expect(t.step(now: 100) == .none)
    }

    @Test func aLateCallCatchesUpWithoutABurst() {
        var t = RTMSKeepAliveTracker(start: 0, interval: 10, missedLimit: 3)
        #expect(t.step(now: 35) == .send(.init(timestamp: 35_000, sequence: 1)))
        #expect(t.step(now: 35) == .none)
        #expect(t.nextDue == 45)
    }
}
