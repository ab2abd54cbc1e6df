import MediaCore
import NIOCore
import Testing

@Suite("RTMS signature and webhooks")
struct RTMSSignatureTests {
    /// Notes, "Signature": the worked example.
    @Test func handshakeSignatureVector() {
        let signature = RTMSSignature.sign(
            clientID: "testclient", clientSecret: "testsecret", id: "4nYtdqLVTVqGJ+QB62ED7Q==",
            streamID: "03db704592624398931a588dd78200cb")
        #expect(signature == "ea37996274d1ccf65a8093c260daf165d739f5dcb2e19ef40a90dd101043ab63")
    }

    /// Expected value computed independently: `printf %s qgg8vlvZRS6UYooatFL8Aw | openssl dgst -sha256 -hmac
    /// webhook-secret-token`.
    @Test func urlValidationVector() throws {
        let body = ByteBuffer(string: #"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#)
        let event = try RTMSWebhook.parse(body)
        #expect(event == .urlValidation(plainToken: "qgg8vlvZRS6UYooatFL8Aw"))
        let answer = RTMSWebhook.urlValidationResponse(plainToken: "qgg8vlvZRS6UYooatFL8Aw", secretToken: "webhook-secret-token")
        #expect(
            answer.jsonString
                == #"{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"e5280e81b8a81e7abbce5194ca5e5b4322afe8fe68b4c934b2361c463a9565e1"}"#)
    }

    static let signedBody = ByteBuffer(string: #"{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m=="}}"#)
    /// `printf 'v0:1700000000:<body>' | openssl dgst -sha256 -hmac webhook-secret-token`.
    static let goodSignature = "v0=0a3fa1446886ee8e9aba9cd7d91751ff00f6d2bedaf5bd96c2ae7c0c5891f983"

    @Test func signatureHeaderVector() {
        #expect(
            RTMSWebhook.signatureHeader(timestamp: "1700000000", rawBody: Self.signedBody, secretToken: "webhook-secret-token")
                == Self.goodSignature)
    }

    @Test(arguments: [1_700_000_000.0, 1_700_000_299.0, 1_699_999_701.0])
    func verifyAcceptsAGoodSignatureWithinTolerance(now: Double) {
        let verdict = RTMSWebhook.verify(
            signatureHeader: Self.goodSignature, timestampHeader: "1700000000", rawBody: Self.signedBody,
            secretToken: "webhook-secret-token", now: now)
        #expect(verdict == .valid)
        // Upper-case hex is the same signature.
        let upper = "v0=" + Self.goodSignature.dropFirst(3).uppercased()
        #expect(
            RTMSWebhook.verify(
                signatureHeader: upper, timestampHeader: "1700000000", rawBody: Self.signedBody,
                secretToken: "webhook-secret-token", now: now) == .valid)
    }

    @Test(arguments: [
        (Optional<String>.none, Optional("1700000000"), "missing x-zm-signature header"),
        (goodSignature, nil, "missing x-zm-request-timestamp header"),
        (goodSignature, "soon", #"x-zm-request-timestamp is not a Unix time: "soon""#),
        ("sha256=abc", "1700000000", #"x-zm-signature is not "v0=" followed by 64 hex digits"#),
        ("v0=" + String(repeating: "g", count: 64), "1700000000", #"x-zm-signature is not "v0=" followed by 64 hex digits"#),
        ("v0=" + String(repeating: "0", count: 64), "1700000000", "x-zm-signature does not match the body"),
        (goodSignature, "1700000001", "x-zm-signature does not match the body"),
    ] as [(String?, String?, String)])
    func verifyRefusesBadHeaders(signature: String?, timestamp: String?, reason: String) {
        let verdict = RTMSWebhook.verify(
            signatureHeader: signature, timestampHeader: timestamp, rawBody: Self.signedBody,
            secretToken: "webhook-secret-token", now: 1_700_000_000)
        #expect(verdict == .invalid(reason: reason))
    }

    @Test func verifyRefusesATamperedBodyOrWrongSecret() {
        var tampered = Self.signedBody
        tampered.setInteger(UInt8(ascii: "n"), at: tampered.readerIndex + tampered.readableBytes - 6)
        #expect(
            RTMSWebhook.verify(
                signatureHeader: Self.goodSignature, timestampHeader: "1700000000", rawBody: tampered,
                secretToken: "webhook-secret-token", now: 1_700_000_000)
                == .invalid(reason: "x-zm-signature does not match the body"))
        #expect(
            RTMSWebhook.verify(
                signatureHeader: Self.goodSignature, timestampHeader: "1700000000", rawBody: Self.signedBody,
                secretToken: "other", now: 1_700_000_000) == .invalid(reason: "x-zm-signature does not match the body"))
    }

    @Test func verifyRefusesStaleAndFutureTimestamps() {
        let stale = RTMSWebhook.verify(
            signatureHeader: Self.goodSignature, timestampHeader: "1700000000", rawBody: Self.signedBody,
            secretToken: "webhook-secret-token", now: 1_700_000_301)
        #expect(stale == .invalid(reason: "x-zm-request-timestamp is 301 s old (tolerance 300 s)"))
        let future = RTMSWebhook.verify(
            signatureHeader: Self.goodSignature, timestampHeader: "1700000000", rawBody: Self.signedBody,
            secretToken: "webhook-secret-token", now: 1_699_999_000)
        #expect(future == .invalid(reason: "x-zm-request-timestamp is 1000 s in the future (tolerance 300 s)"))
        let tight = RTMSWebhook.verify(
            signatureHeader: Self.goodSignature, timestampHeader: "1700000000", rawBody: Self.signedBody,
            secretToken: "webhook-secret-token", now: 1_700_000_011, tolerance: 10)
        #expect(tight == .invalid(reason: "x-zm-request-timestamp is 11 s old (tolerance 10 s)"))
    }

    @Test func millisecondTimestampsAreUnderstood() {
        let body = ByteBuffer(string: "{}")
        let header = RTMSWebhook.signatureHeader(timestamp: "1700000000123", rawBody: body, secretToken: "k")
        #expect(
            RTMSWebhook.verify(
                signatureHeader: header, timestampHeader: "1700000000123", rawBody: body, secretToken: "k",
                now: 1_700_000_010) == .valid)
    }

    @Test func startedWebhookWithFieldsUnderPayload() throws {
        let body = ByteBuffer(
            string: #"{"event":"meeting.rtms_started","event_ts":1732313171881,"payload":{"meeting_uuid":"4nYtdqLVTVqGJ+QB62ED7Q==","operator_id":"op","rtms_stream_id":"03db704592624398931a588dd78200cb","server_urls":"wss://a.zoom.us,wss://b.zoom.us","signature":"precomputed"}}"#)
        let event = try RTMSWebhook.parse(body)
        #expect(
            event
                == .started(
                    RTMSStreamDescriptor(
                        product: .meeting, id: RTMSInstanceID(.meetingUUID, "4nYtdqLVTVqGJ+QB62ED7Q=="),
                        streamID: "03db704592624398931a588dd78200cb", serverURLs: ["wss://a.zoom.us", "wss://b.zoom.us"],
                        signature: "precomputed", eventTimestamp: 1_732_313_171_881)))
    }

    @Test func startedWebhookWithFieldsUnderPayloadObject() throws {
        let body = ByteBuffer(
            string: #"{"event":"session.rtms_started","event_ts":5,"payload":{"account_id":"a","object":{"session_id":"sess","rtms_stream_id":"st","server_urls":"wss://s"}}}"#)
        guard case .started(let d) = try RTMSWebhook.parse(body) else {
            Issue.record("not started")
            return
        }
        #expect(d.product == .session)
        #expect(d.id == RTMSInstanceID(.sessionID, "sess"))
        #expect(d.serverURLs == ["wss://s"])
        #expect(d.signature == nil)
    }

    @Test func contactCenterAndWebinar() throws {
        let cc = ByteBuffer(
            string: #"{"event":"contact_center.voice_rtms_started","payload":{"engagement_id":"e1","rtms_stream_id":"st","server_urls":"wss://c"}}"#)
        guard case .started(let d) = try RTMSWebhook.parse(cc) else {
            Issue.record("not started")
            return
        }
        #expect(d.product == .contactCenter && d.id == RTMSInstanceID(.engagementID, "e1"))
        let webinar = ByteBuffer(
            string: #"{"event":"webinar.rtms_started","payload":{"meeting_uuid":"w","rtms_stream_id":"st","server_urls":"wss://w"}}"#)
        guard case .started(let w) = try RTMSWebhook.parse(webinar) else {
            Issue.record("not started")
            return
        }
        #expect(w.product == .webinar && w.id.kind == .meetingUUID)
    }

    @Test func stoppedInterruptedLimitedAndOther() throws {
        let stopped = try RTMSWebhook.parse(
            ByteBuffer(string: #"{"event":"meeting.rtms_stopped","event_ts":9,"payload":{"object":{"meeting_uuid":"m","rtms_stream_id":"st","stop_reason":6}}}"#))
        guard case .stopped(let n) = stopped else {
            Issue.record("not stopped")
            return
        }
        #expect(n.event == "meeting.rtms_stopped")
        #expect(n.product == .meeting && n.streamID == "st" && n.id == RTMSInstanceID(.meetingUUID, "m"))
        #expect(n.stopReason == .meetingEnded && n.eventTimestamp == 9)
        guard case .interrupted(let i) = try RTMSWebhook.parse(ByteBuffer(string: #"{"event":"meeting.rtms_interrupted","payload":{"rtms_stream_id":"st"}}"#))
        else {
            Issue.record("not interrupted")
            return
        }
        #expect(i.streamID == "st")
        guard case .concurrencyLimited = try RTMSWebhook.parse(ByteBuffer(string: #"{"event":"meeting.rtms_concurrency_limited","payload":{}}"#))
        else {
            Issue.record("not limited")
            return
        }
        let other = try RTMSWebhook.parse(ByteBuffer(string: #"{"event":"meeting.started","payload":{}}"#))
        #expect(other == .other(event: "meeting.started", body: try JSONValue.parse(#"{"event":"meeting.started","payload":{}}"#)))
    }

    @Test(arguments: [
        (#"nope"#, "invalid JSON at byte 1: unexpected 'o' in literal null"),
        (#"{"payload":{}}"#, #"webhook body has no "event" name"#),
        (#"{"event":"endpoint.url_validation","payload":{}}"#, "endpoint.url_validation webhook has no payload.plainToken"),
        (#"{"event":"meeting.rtms_started","payload":{"rtms_stream_id":"s"}}"#, "meeting.rtms_started webhook: no meeting_uuid, session_id or engagement_id"),
        (#"{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m"}}"#, "meeting.rtms_started webhook: no rtms_stream_id"),
    ] as [(String, String)])
    func badWebhookBodies(text: String, message: String) throws {
        let error = try #require(throws: MediaError.self) { try RTMSWebhook.parse(ByteBuffer(string: text)) }
        #expect(error.kind == .malformedInput)
        #expect(error.message == message)
    }

    @Test func generatedBodiesParseBack() throws {
        let d = RTMSStreamDescriptor(
            product: .session, id: RTMSInstanceID(.sessionID, "s"), streamID: "st", serverURLs: ["ws://127.0.0.1:9/a", "ws://127.0.0.1:9/b"])
        var expected = d
        expected.eventTimestamp = 77
        #expect(try RTMSWebhook.parse(RTMSWebhook.startedBody(for: d, eventTimestamp: 77).jsonBytes) == .started(expected))
        guard case .stopped(let n) = try RTMSWebhook.parse(RTMSWebhook.stoppedBody(for: d, eventTimestamp: 78, stopReason: .meetingEnded).jsonBytes)
        else {
            Issue.record("not stopped")
            return
        }
        #expect(n.event == "session.rtms_stopped" && n.stopReason == .meetingEnded && n.streamID == "st")
    }

    @Test func descriptorJSONRoundTripLeavesTheSignatureOut() throws {
        let d = RTMSStreamDescriptor(
            product: .webinar, id: RTMSInstanceID(.meetingUUID, "u"), streamID: "st", serverURLs: ["wss://a", "wss://b"],
            signature: "secret-derived", eventTimestamp: 3)
        let json = d.jsonObject()
        #expect(json.jsonString == #"{"product":"webinar","meeting_uuid":"u","rtms_stream_id":"st","server_urls":"wss://a,wss://b","event_ts":3}"#)
        var withoutSignature = d
        withoutSignature.signature = nil
        #expect(try RTMSStreamDescriptor(json: json) == withoutSignature)
        #expect(try RTMSStreamDescriptor(json: d.jsonObject(includeSignature: true)) == d)
        #expect(RTMSStreamDescriptor.splitServerURLs(" wss://a , ,wss://b ") == ["wss://a", "wss://b"])
    }
}
