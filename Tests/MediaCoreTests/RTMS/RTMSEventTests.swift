import MediaCore
import NIOCore
import Testing

@Suite("RTMS events as NDJSON")
struct RTMSEventTests {
    private func line(_ kind: RTMSEvent.Kind, emitMedia: Bool = false) -> String {
        RTMSEvent(stream: "st", kind).jsonObject(emitMedia: emitMedia).jsonString
    }

    @Test func mediaLinesSummariseUnlessAsked() throws {
        let content = RTMSMediaContent(userID: 16_778_240, userName: "John Smith", data: ByteBuffer(bytes: [1, 2, 3]), length: 3, timestamp: 1_738_392_033_699)
        let kind = RTMSEvent.Kind.media(.audio, connection: .media(.audio), content: content)
        #expect(
            line(kind)
                == #"{"type":"rtms.audio","stream":"st","connection":"audio","user_id":16778240,"user_name":"John Smith","ts":1738392033699,"bytes":3}"#)
        #expect(
            line(kind, emitMedia: true)
                == #"{"type":"rtms.audio","stream":"st","connection":"audio","user_id":16778240,"user_name":"John Smith","ts":1738392033699,"bytes":3,"data":"AQID"}"#)
        let share = RTMSEvent.Kind.media(.share, connection: .media(.all), content: content)
        #expect(line(share).hasPrefix(#"{"type":"rtms.share","stream":"st","connection":"all","#))
    }

    @Test func transcriptLinesCarryTheText() throws {
        guard case .transcript(let c) = try RTMSMessage.decode(ByteBuffer(string: RTMSReferenceVectors.transcriptData)) else {
            Issue.record("wrong case")
            return
        }
        #expect(
            line(.media(.transcript, connection: .media(.transcript), content: c))
                == #"{"type":"rtms.transcript","stream":"st","connection":"transcript","user_id":19778240,"user_name":"John Smith","ts":1727384349000,"bytes":16,"start_time":1727384100000,"end_time":1727384310000,"language":9,"language_name":"english","text":"Hi, hello world!"}"#)
    }

    @Test func eventLinesNameTheEventByProduct() throws {
        guard case .eventUpdate(let u) = try RTMSMessage.decode(ByteBuffer(string: RTMSReferenceVectors.eventParticipantVideoOn)) else {
            Issue.record("wrong case")
            return
        }
        #expect(
            line(.event(u, product: .meeting))
                == #"{"type":"rtms.event","stream":"st","event_type":8,"event":"participant_video_on","ts":1727384349123,"participants":[{"user_id":16778240},{"user_id":33556610}]}"#)
        #expect(line(.event(u, product: .contactCenter)).contains(#""event":"consumer_answered""#))
        let unknown = RTMSMessage.EventUpdate(eventType: RTMSEventType(rawValue: 77), timestamp: nil, eventExtra: [JSONField("k", "v")])
        #expect(line(.event(unknown, product: .meeting)) == #"{"type":"rtms.event","stream":"st","event_type":77,"k":"v"}"#)
    }

    @Test func stateReconnectErrorAndEndLines() {
        #expect(
            line(.streamState(state: .terminated, reason: .meetingEnded, timestamp: 5))
                == #"{"type":"rtms.stream","stream":"st","state":4,"state_name":"terminated","reason":6,"reason_name":"meeting_ended","ts":5}"#)
        #expect(
            line(.sessionState(sessionID: "s", state: .started, stopReason: nil, timestamp: 1))
                == #"{"type":"rtms.session","stream":"st","session_id":"s","state":2,"state_name":"started","ts":1}"#)
        #expect(line(.reconnected(gapMilliseconds: 3250, attempts: 2)) == #"{"type":"rtms.reconnect","stream":"st","gap_ms":3250,"attempts":2}"#)
        #expect(
            line(.disconnected(connection: .signaling, reason: "no keep-alive for 65 s"))
                == #"{"type":"rtms.disconnect","stream":"st","connection":"signaling","reason":"no keep-alive for 65 s"}"#)
        #expect(
            line(.error(message: "video subscription refused", statusCode: 3, reason: "no such user"))
                == #"{"type":"rtms.error","stream":"st","message":"video subscription refused","status_code":3,"reason":"no such user"}"#)
        #expect(
            line(.connected(connection: .media(.all), url: "wss://m", mediaParameters: RTMSMediaParameters(chat: RTMSChatParameters(contentType: .text))))
                == #"{"type":"rtms.connected","stream":"st","connection":"all","url":"wss://m","media_params":{"chat":{"content_type":5}}}"#)
        #expect(
            line(.ended(.refused(connection: .signaling, statusCode: 15, reason: "bad sig")))
                == #"{"type":"rtms.end","stream":"st","outcome":"refused","connection":"signaling","status_code":15,"reason":"bad sig"}"#)
        #expect(
            line(.ended(.terminated(reason: .meetingEnded)))
                == #"{"type":"rtms.end","stream":"st","outcome":"terminated","reason":6,"reason_name":"meeting_ended"}"#)
        #expect(
            line(.unknown(msgType: 40, connection: .signaling, raw: .object([JSONField("msg_type", 40)])))
                == #"{"type":"rtms.unknown","stream":"st","msg_type":40,"connection":"signaling","raw":{"msg_type":40}}"#)
    }

    @Test func fromMessageSkipsPlumbing() throws {
        #expect(RTMSEvent.from(message: .keepAliveRequest(.init(timestamp: 1)), connection: .signaling, stream: "st", product: .meeting) == nil)
        #expect(RTMSEvent.from(message: .clientReadyAck(.init(streamID: "st")), connection: .signaling, stream: "st", product: .meeting) == nil)
        let refused = RTMSEvent.from(
            message: .videoSubscriptionResponse(.init(userID: 5, statusCode: 2, reason: "nope")), connection: .signaling, stream: "st",
            product: .meeting)
        #expect(refused?.kind == .error(message: "video subscription for user 5 refused", statusCode: 2, reason: "nope"))
        let meta = try RTMSMessage.decode(ByteBuffer(string: #"{"msg_type":24,"a":1}"#))
        #expect(RTMSEvent.from(message: meta, connection: .media(.video), stream: "st", product: .meeting)?.type == "rtms.metadata")
    }
}
