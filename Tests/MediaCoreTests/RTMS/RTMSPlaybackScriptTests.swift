import MediaCore
import NIOCore
import Testing

@Suite("RTMS playback script")
struct RTMSPlaybackScriptTests {
    typealias F = RTMSServerFixture

    @Test func keepsServerMessagesWithOffsetsAndTakesTheOpeningAndEnd() {
        let script = F.script()
        #expect(script.items.map(\.msgType) == [6, 14, 14, 17, 14])
        #expect(script.items.map(\.offsetMicros) == [0, 10_000, 30_000, 40_000, 50_000])
        #expect(script.items.map(\.route) == [.signaling, .media(.audio), .media(.audio), .media(.transcript), .media(.audio)])
        // Payloads are the recorded bytes, untouched.
        #expect(String(buffer: script.items[1].payload) == F.audio1)
        #expect(script.endOffsetMicros == 90_000)
        #expect(script.firstPacketTimestamp == F.firstPacket)
        #expect(script.sessionID == "sess-1")
        #expect(script.endReason == .meetingEnded)
        #expect(script.originMicros == F.t0 + 10_000)
        #expect(script.recordedMediaParameters.audio?.sendRate == 20)
        #expect(script.recordedMediaParameters.audio?.codec == .l16)
        // 2, 4, 6/1, 9 started, the marker, 12, 8 terminated.
        #expect(script.skippedRecords == 7)
        #expect(script.mediaTypes == [.audio, .transcript])
    }

    @Test func withoutARecordedOpeningTheFirstMediaTimestampStandsIn() {
        var builder = RTMSPlaybackScriptBuilder(descriptor: nil)
        builder.add(F.record(5, .media(.audio), F.audio1))
        builder.add(F.record(25, .media(.audio), F.audio2))
        let script = builder.build()
        #expect(script.firstPacketTimestamp == 1_735_732_800_020)
        #expect(script.endReason == .meetingEnded)
        #expect(script.endOffsetMicros == 20_000)
        #expect(script.sessionID == script.descriptor.streamID)
    }

    @Test func theRecordedStopReasonAndLaterSessionStatesAreKept() {
        var builder = RTMSPlaybackScriptBuilder(descriptor: F.descriptor)
        builder.add(F.record(0, .signaling, #"{"msg_type":9,"state":2,"rtms_session_id":"x"}"#))
        builder.add(F.record(1, .media(.audio), F.audio1))
        builder.add(F.record(2, .signaling, #"{"msg_type":9,"state":3,"rtms_session_id":"x"}"#))
        builder.add(F.record(3, .signaling, #"{"msg_type":9,"state":5,"stop_reason":1,"rtms_session_id":"x"}"#))
        builder.add(F.record(4, .signaling, #"{"msg_type":8,"state":4,"reason":1}"#))
        builder.add(F.record(5, .media(.audio), F.audio2))
        let script = builder.build()
        #expect(script.items.map(\.msgType) == [14, 9])
        #expect(script.endReason == .hostTriggered)
        #expect(script.endOffsetMicros == 3_000)
    }

    @Test func unknownTypesGoWhereTheyCameInAndMetadataToItsMedia() {
        var builder = RTMSPlaybackScriptBuilder(descriptor: F.descriptor)
        builder.add(F.record(0, .media(.video), #"{"msg_type":99,"x":1}"#))
        builder.add(F.record(1, .signaling, #"{"msg_type":98}"#))
        builder.add(F.record(2, .media(.all), #"{"msg_type":26,"anything":[1,2]}"#))
        builder.add(F.record(3, .signaling, "not json"))
        let script = builder.build()
        #expect(script.items.map(\.route) == [.media(.video), .signaling, .media(.transcript)])
        #expect(script.skippedRecords == 1)
    }

    @Test func aClockThatSteppedBackDoesNotReorder() {
        var builder = RTMSPlaybackScriptBuilder(descriptor: F.descriptor)
        builder.add(F.record(10, .media(.audio), F.audio1))
        builder.add(F.record(30, .media(.audio), F.audio2))
        builder.add(F.record(20, .media(.audio), F.audio3))
        #expect(builder.build().items.map(\.offsetMicros) == [0, 20_000, 20_000])
    }

    @Test func binaryFramesStayBinary() {
        var builder = RTMSPlaybackScriptBuilder(descriptor: F.descriptor)
        builder.add(F.record(0, .media(.audio), F.audio1, kind: .binaryMessage))
        #expect(builder.build().items.first?.binaryFrame == true)
    }
}
