import MediaCore
import NIOCore
import Testing

@Suite("RTMS messages")
struct RTMSMessageTests {
    /// The reference examples that are valid JSON as printed.
    static let validVectors = RTMSReferenceVectors.all.filter {
        $0.name != "eventParticipantJoin" && $0.name != "eventParticipantLeave"
    }

    /// The two examples whose user ids are the placeholder `xxxxxxxxxx`, with digits put in.
    static func repaired(_ text: String) -> String {
        var count = 0
        var out = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: "xxxxxxxxxx") {
            out += rest[..<range.lowerBound]
            count += 1
            out += String(16_778_240 + count)
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    static let repairedVectors: [(name: String, text: String)] = [
        ("eventParticipantJoin", repaired(RTMSReferenceVectors.eventParticipantJoin)),
        ("eventParticipantLeave", repaired(RTMSReferenceVectors.eventParticipantLeave)),
    ]

    /// Parse each example, build it again, and compare with the example in compact form: same keys, same order,
    /// same values, byte for byte.
    @Test(arguments: validVectors + repairedVectors)
    func everyReferenceExampleRoundTrips(vector: (name: String, text: String)) throws {
        let message = try RTMSMessage.decode(ByteBuffer(string: vector.text))
        let expected = try JSONValue.parse(vector.text)
        #expect(message.msgType == Int(expected["msg_type"]!.intValue!))
        #expect(String(buffer: message.encode()) == expected.jsonString, "\(vector.name)")
        // And what was built decodes to the same message.
        #expect(try RTMSMessage.decode(message.encode()) == message)
        if case .unknown = message { Issue.record("\(vector.name) decoded as unknown") }
    }

    /// The participant join and leave examples are not JSON as printed (`"user_id": xxxxxxxxxx`): the error names
    /// the byte of the first `x`.
    @Test(arguments: [RTMSReferenceVectors.eventParticipantJoin, RTMSReferenceVectors.eventParticipantLeave])
    func placeholderExamplesAreBadJSONAtTheRightByte(text: String) throws {
        let offset = text.utf8.firstIndex(of: UInt8(ascii: "x")).map { text.utf8.distance(from: text.utf8.startIndex, to: $0) }
        #expect(offset == 134)
        let error = try #require(throws: MediaError.self) { try RTMSMessage.decode(ByteBuffer(string: text)) }
        #expect(error.kind == .malformedInput)
        #expect(error.message == "invalid JSON at byte 134: unexpected 'x', expected a value")
    }

    @Test func signalingHandshakeRequestFields() throws {
        guard case .signalingHandshakeRequest(let m) = try decode(RTMSReferenceVectors.signalingHandshakeRequest) else {
            Issue.record("wrong case")
            return
        }
        #expect(m.protocolVersion == 1)
        #expect(m.sequence == 1)
        #expect(m.id == RTMSInstanceID(.meetingUUID, "xxxxxxxxxx"))
        #expect(m.streamID == "xxxxxxxxxx")
        #expect(m.signature == "xxxxxxxxxx")
        #expect(m.bufferData == false)
        #expect(m.extra.isEmpty)
    }

    @Test func signalingHandshakeResponseFields() throws {
        guard case .signalingHandshakeResponse(let m) = try decode(RTMSReferenceVectors.signalingHandshakeResponse)
        else {
            Issue.record("wrong case")
            return
        }
        #expect(m.statusCode == 0)
        #expect(m.reason == "")
        #expect(m.mediaURLs?.map(\.key) == ["audio", "video", "transcript", "all"])
        #expect(m.mediaURL(for: "all") == "wss://127.0.0.0:443")
        #expect(m.mediaURL(for: "chat") == nil)
    }

    @Test func dataHandshakeRequestFields() throws {
        guard case .dataHandshakeRequest(let m) = try decode(RTMSReferenceVectors.dataHandshakeRequestAll) else {
            Issue.record("wrong case")
            return
        }
        #expect(m.mediaType == .all)
        let p = try #require(m.mediaParameters)
        #expect(
            p.audio
                == RTMSAudioParameters(
                    contentType: .rawAudio, sampleRate: .hz16000, channel: .mono, codec: .l16, dataOption: .audioMixed,
                    sendRate: 100))
        #expect(p.video == RTMSVideoParameters(codec: .jpg, resolution: .hd, fps: 5))
        #expect(p.deskshare == RTMSVideoParameters(codec: .jpg, resolution: .fhd, fps: 1))
        #expect(
            p.transcript
                == RTMSTranscriptParameters(contentType: .text, sourceLanguage: .english, enableLanguageIdentification: true))
        guard case .dataHandshakeRequest(let chat) = try decode(RTMSReferenceVectors.dataHandshakeRequestChat) else {
            Issue.record("wrong case")
            return
        }
        #expect(chat.mediaType == .chat)
        #expect(chat.mediaParameters == nil)
    }

    @Test func dataHandshakeResponseFields() throws {
        guard case .dataHandshakeResponse(let m) = try decode(RTMSReferenceVectors.dataHandshakeResponseAll) else {
            Issue.record("wrong case")
            return
        }
        #expect(m.statusCode == 0)
        #expect(m.payloadEncrypted == true)
        #expect(m.mediaParameters?.video?.dataOption == .videoSingleActiveSpeaker)
        #expect(m.mediaParameters?.chat == RTMSChatParameters(contentType: .text))
    }

    @Test func mediaMessagesDecodeTheirPayload() throws {
        let expectedBytes = try RTMSBase64.decode(RTMSReferenceVectors.mediaPayloadBase64)
        for (text, kind) in [
            (RTMSReferenceVectors.audioData, RTMSMediaKind.audio), (RTMSReferenceVectors.videoData, .video),
            (RTMSReferenceVectors.shareData, .share),
        ] {
            let message = try decode(text)
            let media = try #require(message.media)
            #expect(media.kind == kind)
            #expect(media.content.userID == 16_778_240)
            #expect(media.content.userName == "John Smith")
            #expect(media.content.data == expectedBytes)
            #expect(media.content.length == 1024)
            #expect(media.content.timestamp == 1_738_392_033_699)
        }
        let noUser = try #require(try decode(RTMSReferenceVectors.audioDataWithoutUserID).media)
        #expect(noUser.content.userID == nil && noUser.content.timestamp == nil)
        let channel = try #require(try decode(RTMSReferenceVectors.audioDataWithChannel).media)
        #expect(channel.content.channelID == "c8b2d3ce-b0d6-4cd1-9195-fe17a4bd5b8e")
    }

    @Test func transcriptAndChatCarryText() throws {
        let t = try #require(try decode(RTMSReferenceVectors.transcriptData).media)
        #expect(t.kind == .transcript)
        #expect(t.content.text == "Hi, hello world!")
        #expect(t.content.startTime == 1_727_384_100_000)
        #expect(t.content.endTime == 1_727_384_310_000)
        #expect(t.content.language == .english)
        let c = try #require(try decode(RTMSReferenceVectors.chatData).media)
        #expect(c.kind == .chat)
        #expect(c.content.text == "Chat message")
        #expect(c.content.timestamp == 1_727_384_349_000)
    }

    @Test func eventUpdates() throws {
        guard case .eventUpdate(let speaker) = try decode(RTMSReferenceVectors.eventActiveSpeakerChange) else {
            Issue.record("wrong case")
            return
        }
        #expect(speaker.eventType == .activeSpeakerChange)
        #expect(speaker.userID == 22_334_455)
        #expect(speaker.userName == "John Smith")
        guard case .eventUpdate(let join) = try decode(Self.repairedVectors[0].text) else {
            Issue.record("wrong case")
            return
        }
        #expect(join.eventType == .participantJoin)
        #expect(join.participants?.map(\.userName) == ["John Smith", "Alice"])
        #expect(join.participants?.map(\.userID) == [16_778_241, 16_778_242])
        guard case .eventUpdate(let videoOn) = try decode(RTMSReferenceVectors.eventParticipantVideoOn) else {
            Issue.record("wrong case")
            return
        }
        #expect(videoOn.participants?.compactMap(\.userID) == [16_778_240, 33_556_610])
    }

    @Test func stateMessages() throws {
        guard case .sessionStateUpdate(let session) = try decode(RTMSReferenceVectors.sessionStateUpdate) else {
            Issue.record("wrong case")
            return
        }
        #expect(session.state == .initialize)
        #expect(session.stopReason == .hostTriggered)
        #expect(session.sessionID == "xxxxxxxxxx")
        guard case .streamStateUpdate(let stream) = try decode(RTMSReferenceVectors.streamStateUpdate) else {
            Issue.record("wrong case")
            return
        }
        #expect(stream.state == .active)
        #expect(stream.reason == .hostTriggered)
        guard case .streamCloseResponse(let close) = try decode(RTMSReferenceVectors.streamCloseResponse) else {
            Issue.record("wrong case")
            return
        }
        #expect(close.statusCode == 0 && close.reason == "OK")
        guard case .videoSubscriptionRequest(let video) = try decode(RTMSReferenceVectors.videoSubscriptionRequest)
        else {
            Issue.record("wrong case")
            return
        }
        #expect(video.userID == 16_778_240 && video.subscribe == true && video.timestamp == 1_738_392_033_699)
    }

    @Test func keepAliveResponseEchoesTimestampAndSequence() throws {
        let request = try decode(#"{"msg_type":12,"timestamp":1727384349123,"sequence":42,"extra":"x"}"#)
        guard case .keepAliveRequest(let k) = request else {
            Issue.record("wrong case")
            return
        }
        #expect(k.extra == [JSONField("extra", "x")])
        let response = RTMSMessage.keepAliveResponse(k.response)
        #expect(String(buffer: response.encode()) == #"{"msg_type":13,"timestamp":1727384349123,"sequence":42}"#)
    }

    @Test func builtMessagesHaveExactBytes() {
        let request = RTMSMessage.signalingHandshakeRequest(
            .init(sequence: 1, id: RTMSInstanceID(.sessionID, "s/1"), streamID: "st", signature: "ab", bufferData: true))
        #expect(
            String(buffer: request.encode())
                == #"{"msg_type":1,"protocol_version":1,"sequence":1,"session_id":"s/1","rtms_stream_id":"st","signature":"ab","buffer_data":true}"#
        )
        let ack = RTMSMessage.clientReadyAck(.init(streamID: "st"))
        #expect(String(buffer: ack.encode()) == #"{"msg_type":7,"rtms_stream_id":"st"}"#)
        let subscription = RTMSMessage.eventSubscription(.init(events: [.init(.activeSpeakerChange), .init(.sharingStart, subscribe: false)]))
        #expect(
            String(buffer: subscription.encode())
                == #"{"msg_type":5,"events":[{"event_type":2,"subscribe":true},{"event_type":5,"subscribe":false}]}"#)
        let audio = RTMSMessage.audio(
            RTMSMediaContent(userID: 7, data: ByteBuffer(bytes: [0, 1, 2, 0xFF]), timestamp: 5))
        #expect(String(buffer: audio.encode()) == #"{"msg_type":14,"content":{"user_id":7,"data":"AAEC/w==","timestamp":5}}"#)
    }

    @Test func unknownFieldsAreKeptAndWrittenBack() throws {
        let text =
            #"{"msg_type":2,"protocol_version":1,"sequence":0,"status_code":0,"reason":"","media_server":{"server_urls":{"all":"wss://h"},"keys":[1]},"new":{"a":1}}"#
        let message = try decode(text)
        #expect(String(buffer: message.encode()) == text)
        let withClientAgent = #"{"msg_type":1,"protocol_version":1,"sequence":99,"meeting_uuid":"m","rtms_stream_id":"s","signature":"x","rtms_client_agent":"zoom-rtms-sdk"}"#
        #expect(String(buffer: try decode(withClientAgent).encode()) == withClientAgent)
    }

    @Test(arguments: [0, 30, 99, -1, 1000])
    func unknownMessageTypesAreKeptVerbatim(msgType: Int) throws {
        let text = #"{"msg_type":\#(msgType),"whatever":[1,{"b":null}],"z":"é"}"#
        let message = try decode(text)
        #expect(message == .unknown(msgType: msgType, raw: try JSONValue.parse(text)))
        #expect(message.msgType == msgType)
        #expect(String(buffer: message.encode()) == text)
    }

    @Test(arguments: [23, 24, 25, 26, 27])
    func metadataMessagesAreKeptVerbatim(msgType: Int) throws {
        let text = #"{"msg_type":\#(msgType),"content":{"anything":[1,2,3]}}"#
        let message = try decode(text)
        guard case .metadata(let kind, let raw) = message else {
            Issue.record("not metadata")
            return
        }
        #expect(kind.metadataMessageType == msgType)
        #expect(raw == (try JSONValue.parse(text)))
        #expect(String(buffer: message.encode()) == text)
    }

    @Test(arguments: [
        (#"[1]"#, "RTMS message is an array, expected an object"),
        (#"{"a":1}"#, "RTMS message has no msg_type"),
        (#"{"msg_type":"2"}"#, "RTMS msg_type is a string, expected an integer"),
        (#"{"msg_type":2,"status_code":"0"}"#, #"RTMS msg_type 2: "status_code" is a string, expected an integer"#),
        (#"{"msg_type":14,"content":{"data":"AA!A"}}"#, "RTMS msg_type 14 content.data: invalid base64 at offset 2: '!' is not in the alphabet"),
        (#"{"msg_type":14}"#, "RTMS msg_type 14: no content"),
        (#"{"msg_type":6,"event":{"timestamp":1}}"#, "RTMS msg_type 6 event: no event_type"),
        (#"{"msg_type":2,"media_server":{"server_urls":{"audio":1}}}"#, "RTMS msg_type 2: media_server.server_urls.audio is an integer, expected a string"),
    ] as [(String, String)])
    func malformedMessagesAreProtocolViolations(text: String, message: String) throws {
        let error = try #require(throws: MediaError.self) { try RTMSMessage.decode(ByteBuffer(string: text)) }
        #expect(error.kind == .protocolViolation)
        #expect(error.message == message)
    }

    @Test func wholeNumberDoublesAreAcceptedAsIntegers() throws {
        guard case .keepAliveRequest(let k) = try decode(#"{"msg_type":12.0,"timestamp":1.727384349123e12}"#) else {
            Issue.record("wrong case")
            return
        }
        #expect(k.timestamp == 1_727_384_349_123)
    }

    @Test func codeNamesAndUnknownCodes() {
        #expect(RTMSStopReason(rawValue: 6).name == "meeting_ended")
        #expect(RTMSStopReason(rawValue: 6).description == "meeting_ended(6)")
        #expect(RTMSStopReason(rawValue: 99).name == nil)
        #expect(RTMSStopReason(rawValue: 99).description == "unknown(99)")
        #expect(RTMSStreamState.terminated.name == "terminated")
        #expect(RTMSSessionState(rawValue: 4).name == "resumed")
        #expect(RTMSEventType(rawValue: 8).name == "participant_video_on")
        #expect(RTMSEventType(rawValue: 8).name(for: .contactCenter) == "consumer_answered")
        #expect(RTMSEventType(rawValue: 28).name(for: .contactCenter) == "conference_participant_timeout")
        #expect(RTMSEventType(rawValue: 28).name(for: .meeting) == nil)
        #expect(RTMSTranscriptLanguage(rawValue: -1).name == "none")
        #expect(RTMSTranscriptLanguage(name: "vietnamese")?.rawValue == 36)
        #expect(RTMSAudioSampleRate(hertz: 48000) == .hz48000)
        #expect(RTMSAudioSampleRate.hz8000.hertz == 8000)
        #expect(RTMSCodec.h264.name == "h264")
        #expect(RTMSMediaType(rawValue: 9).description == "audio|transcript")
        #expect(RTMSMediaType.all.singleTypes == RTMSMediaType.singles)
        #expect(RTMSMediaType(key: "deskshare") == .deskshare)
        #expect(RTMSMessageType.allCases.count == 30)
        #expect(RTMSMessageType(rawValue: 13)?.description == "KEEP_ALIVE_RESP")
    }

    private func decode(_ text: String) throws -> RTMSMessage { try RTMSMessage.decode(ByteBuffer(string: text)) }
}
