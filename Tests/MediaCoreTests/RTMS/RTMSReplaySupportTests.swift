import MediaCore
import NIOCore
import Testing

@Suite("RTMS replay: faults, paths, filters, lines, webhooks")
struct RTMSReplaySupportTests {
    typealias F = RTMSServerFixture

    @Test func faultsParse() throws {
        #expect(
            try RTMSServerFault.parse("drop-media-at=5, stop-keepalive-at=2.5,status=15")
                == [.dropMediaAt(5), .stopKeepAliveAt(2.5), .status(15)])
        #expect(try RTMSServerFault.parse("drop-signaling-at=0,media-status=3") == [.dropSignalingAt(0), .mediaStatus(3)])
        #expect(RTMSServerFault.dropMediaAt(5).description == "drop-media-at=5")
        #expect(RTMSServerFault.stopKeepAliveAt(2.5).description == "stop-keepalive-at=2.5")
        for bad in ["status=0", "drop-media-at=-1", "drop-media-at=soon", "explode=1", "status"] {
            #expect(throws: MediaError.self) { try RTMSServerFault.parse(bad) }
        }
    }

    @Test func paths() {
        #expect(RTMSServerPath(path: "/signaling") == .signaling)
        #expect(RTMSServerPath(path: "/signaling?x=1") == .signaling)
        #expect(RTMSServerPath(path: "/media/s3/audio") == .media(session: "s3", types: .audio))
        #expect(RTMSServerPath(path: "/media/s3/all") == .media(session: "s3", types: .all))
        #expect(RTMSServerPath(path: "/media/s3/sound") == nil)
        #expect(RTMSServerPath(path: "/media//audio") == nil)
        #expect(RTMSServerPath(path: "/media/s3/audio/x") == nil)
        #expect(RTMSServerPath(path: "/") == nil)
        #expect(RTMSServerPath.media(session: "s3", types: .deskshare).url(base: "wss://h:1") == "wss://h:1/media/s3/deskshare")
    }

    @Test func filterByTypeAndUser() throws {
        let audio = JSONValue.object([JSONField("type", "rtms.audio"), JSONField("user_id", 7)])
        let join = JSONValue.object([
            JSONField("type", "rtms.event"),
            JSONField("participants", [.object([JSONField("user_id", 8)]), .object([JSONField("user_id", 7)])]),
        ])
        let session = JSONValue.object([JSONField("type", "rtms.session")])
        let types = try RTMSReplayFilter.parseTypes("audio, deskshare")
        #expect(types == ["audio", "share"])
        let byType = RTMSReplayFilter(types: types)
        #expect(byType.accepts(audio) && !byType.accepts(join) && !byType.accepts(session))
        let byUser = RTMSReplayFilter(userID: 7)
        #expect(byUser.accepts(audio) && byUser.accepts(join) && !byUser.accepts(session))
        #expect(!RTMSReplayFilter(userID: 9).accepts(join))
        #expect(throws: MediaError.self) { try RTMSReplayFilter.parseTypes("audio,video2") }
    }

    @Test func recordsBecomeTheLinesListenPrints() throws {
        let product = RTMSProduct.meeting
        let audio = F.record(0, .media(.audio), F.audio1)
        let line = try #require(RTMSReplayLine.from(audio, stream: "s", product: product))
        let event = RTMSEvent.from(message: try audio.message(), connection: .media(.audio), stream: "s", product: product)!
        #expect(line == .event(event))
        #expect(
            line.jsonObject(emitMedia: false).jsonString
                == #"{"type":"rtms.audio","stream":"s","connection":"audio","user_id":7,"ts":1735732800020,"bytes":3}"#)
        #expect(line.jsonObject(emitMedia: true)["data"] == "AAEC")
        // Keep-alives stand for no line; markers are printed as written; notes and junk get their own lines.
        #expect(RTMSReplayLine.from(F.record(0, .signaling, #"{"msg_type":12,"timestamp":1}"#), stream: "s", product: product) == nil)
        let marker = F.record(0, nil, #"{"type":"rtms.reconnect","gap_ms":5}"#, kind: .marker)
        #expect(RTMSReplayLine.from(marker, stream: "s", product: product)?.jsonObject(emitMedia: false).jsonString == #"{"type":"rtms.reconnect","gap_ms":5}"#)
        let note = F.record(0, nil, "hello", kind: .note)
        #expect(RTMSReplayLine.from(note, stream: "s", product: product)?.jsonObject(emitMedia: false).jsonString == #"{"type":"rtms.note","stream":"s","text":"hello"}"#)
        let junk = F.record(0, .signaling, "{nope")
        #expect(RTMSReplayLine.from(junk, stream: "s", product: product)?.jsonObject(emitMedia: false)["type"] == "rtms.error")
        #expect(RTMSReplayLine.from(F.record(0, nil, "x", kind: .init(rawValue: 9)), stream: "s", product: product) == nil)
    }

    @Test func urlValidationAnswersAreChecked() {
        let secret = "webhooksecret"
        let good = RTMSWebhook.urlValidationResponse(plainToken: "abc", secretToken: secret).jsonBytes
        #expect(RTMSWebhook.checkURLValidationResponse(status: 200, body: good, plainToken: "abc", secretToken: secret) == .valid)
        #expect(RTMSWebhook.checkURLValidationResponse(status: 500, body: good, plainToken: "abc", secretToken: secret) != .valid)
        #expect(RTMSWebhook.checkURLValidationResponse(status: 200, body: good, plainToken: "abd", secretToken: secret) != .valid)
        #expect(RTMSWebhook.checkURLValidationResponse(status: 200, body: good, plainToken: "abc", secretToken: "other") != .valid)
        #expect(RTMSWebhook.checkURLValidationResponse(status: 200, body: ByteBuffer(string: "ok"), plainToken: "abc", secretToken: secret) != .valid)
        let body = RTMSWebhook.urlValidationBody(plainToken: "abc", eventTimestamp: 5)
        #expect(body.jsonString == #"{"event":"endpoint.url_validation","payload":{"plainToken":"abc"},"event_ts":5}"#)
        // What the emulator sends parses as what an app receives.
        #expect((try? RTMSWebhook.parse(body.jsonBytes)) == .urlValidation(plainToken: "abc"))
    }

    @Test func mediaParametersAnswerTheRequestedTypes() {
        let recorded = RTMSMediaParameters(video: .init(codec: .h264, fps: 15))
        let answer = RTMSServerHandshake.mediaParameters(
            requested: .init(video: .init(codec: .jpg, resolution: .sd, fps: 5)), types: .video, recorded: recorded,
            recordedTypes: .video)
        #expect(answer == RTMSMediaParameters(video: .init(contentType: .rawVideo, codec: .h264, resolution: .sd, dataOption: .videoSingleActiveSpeaker, fps: 15)))
        // Nothing recorded, nothing asked: the reference's defaults.
        let defaults = RTMSServerHandshake.mediaParameters(requested: nil, types: .deskshare, recorded: .init(), recordedTypes: [])
        #expect(defaults == RTMSMediaParameters(deskshare: .init(contentType: .rawVideo, codec: .jpg, resolution: .fhd, fps: 1)))
        // `all` with nothing recorded answers for all five types.
        let all = RTMSServerHandshake.mediaParameters(requested: nil, types: .all, recorded: .init(), recordedTypes: [])
        #expect(all == RTMSMediaParameters.referenceDefaults)
    }
}
