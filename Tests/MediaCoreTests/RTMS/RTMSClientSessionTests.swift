import MediaCore
import NIOCore
import Testing

@Suite("RTMS client session")
struct RTMSClientSessionTests {
    static let streamID = "03db704592624398931a588dd78200cb"
    static let meeting = RTMSInstanceID(.meetingUUID, "4nYtdqLVTVqGJ+QB62ED7Q==")
    /// The notes' worked example.
    static let signature = "ea37996274d1ccf65a8093c260daf165d739f5dcb2e19ef40a90dd101043ab63"
    static let credentials = RTMSCredentials(clientID: "testclient", clientSecret: "testsecret")
    static let descriptor = RTMSStreamDescriptor(
        product: .meeting, id: meeting, streamID: streamID, serverURLs: ["wss://sig.example/1", "wss://sig.example/2"])
    static let offered: [RTMSMessage.SignalingHandshakeResponse.MediaURL] = [
        .init("audio", "wss://media/audio"), .init("video", "wss://media/video"),
        .init("transcript", "wss://media/transcript"), .init("all", "wss://media/all"),
    ]

    private func emit(_ kind: RTMSEvent.Kind) -> RTMSClientAction { .emit(RTMSEvent(stream: Self.streamID, kind)) }

    private func signalingRequest(sequence: Int64, bufferData: Bool? = nil) -> RTMSClientAction {
        .send(
            .signaling,
            .signalingHandshakeRequest(
                .init(sequence: sequence, id: Self.meeting, streamID: Self.streamID, signature: Self.signature, bufferData: bufferData)))
    }

    private func mediaRequest(
        _ types: RTMSMediaType, sequence: Int64, parameters: RTMSMediaParameters? = nil
    ) -> RTMSClientAction {
        .send(
            .media(types),
            .dataHandshakeRequest(
                .init(
                    sequence: sequence, id: Self.meeting, streamID: Self.streamID, signature: Self.signature,
                    mediaType: types, mediaParameters: parameters)))
    }

    private func signalingResponse(
        status: Int64 = 0, reason: String = "", urls: [RTMSMessage.SignalingHandshakeResponse.MediaURL]? = offered
    ) -> RTMSMessage {
        .signalingHandshakeResponse(.init(statusCode: status, reason: reason, mediaURLs: status == 0 ? urls : nil))
    }

    private func mediaResponse(status: Int64 = 0, reason: String = "", parameters: RTMSMediaParameters? = nil) -> RTMSMessage {
        .dataHandshakeResponse(.init(statusCode: status, reason: reason, payloadEncrypted: false, mediaParameters: parameters))
    }

    private let readyAck = RTMSClientAction.send(.signaling, .clientReadyAck(.init(streamID: streamID)))
    private let subscription = RTMSClientAction.send(
        .signaling, .eventSubscription(.init(events: RTMSClientOptions.defaultEvents.map { .init($0) })))

    /// start -> signaling up -> one `all` media connection up, at the given times. Returns the session.
    private func streamingOnAll(options: RTMSClientOptions = RTMSClientOptions()) -> RTMSClientSession {
        var s = RTMSClientSession()
        _ = s.start(descriptor: Self.descriptor, credentials: Self.credentials, options: options, now: 0)
        _ = s.connected(.signaling, now: 0.1)
        _ = s.received(.signaling, signalingResponse(), now: 0.2)
        _ = s.connected(.media(.all), now: 0.3)
        _ = s.received(.media(.all), mediaResponse(), now: 0.4)
        return s
    }

    @Test func signalingMediaReadyKeepAliveStop() throws {
        var s = RTMSClientSession()
        #expect(
            s.start(descriptor: Self.descriptor, credentials: Self.credentials, options: RTMSClientOptions(), now: 0)
                == [.open(.signaling, url: "wss://sig.example/1")])
        #expect(s.connected(.signaling, now: 0.1) == [signalingRequest(sequence: 1)])
        // Everything wanted and `all` offered: one `all` connection.
        #expect(
            s.received(.signaling, signalingResponse(), now: 0.2)
                == [
                    emit(.connected(connection: .signaling, url: "wss://sig.example/1", mediaParameters: nil)),
                    .open(.media(.all), url: "wss://media/all"),
                ])
        #expect(s.connected(.media(.all), now: 0.3) == [mediaRequest(.all, sequence: 2)])
        let confirmed = RTMSMediaParameters(audio: RTMSAudioParameters(codec: .l16))
        #expect(
            s.received(.media(.all), mediaResponse(parameters: confirmed), now: 0.4)
                == [
                    emit(.connected(connection: .media(.all), url: "wss://media/all", mediaParameters: confirmed)),
                    readyAck, subscription,
                ])
        // Keep-alives are answered on the connection they came on, echoing timestamp and sequence.
        let ping = RTMSMessage.KeepAlive(timestamp: 1_727_384_349_123, sequence: 7)
        #expect(
            s.received(.media(.all), .keepAliveRequest(ping), now: 10)
                == [.send(.media(.all), .keepAliveResponse(.init(timestamp: 1_727_384_349_123, sequence: 7)))])
        #expect(
            s.received(.signaling, .keepAliveRequest(.init(timestamp: 5)), now: 10)
                == [.send(.signaling, .keepAliveResponse(.init(timestamp: 5)))])
        // Media and events are emitted.
        let content = RTMSMediaContent(userID: 1, data: ByteBuffer(bytes: [1, 2]), timestamp: 99)
        #expect(
            s.received(.media(.all), .audio(content), now: 11)
                == [emit(.media(.audio, connection: .media(.all), content: content))])
        let update = RTMSMessage.EventUpdate(eventType: .activeSpeakerChange, timestamp: 3, userID: 1, userName: "A")
        #expect(s.received(.signaling, .eventUpdate(update), now: 12) == [emit(.event(update, product: .meeting))])
        #expect(s.openConnections == [.signaling, .media(.all)])
        // Stop, asking the server to close the stream.
        #expect(
            s.stopRequested(closeStream: true, now: 20)
                == [.send(.signaling, .streamCloseRequest(.init(streamID: Self.streamID)))])
        #expect(s.tick(now: 24.9) == [])
        #expect(
            s.received(.signaling, .streamCloseResponse(.init(streamID: Self.streamID, statusCode: 0, reason: "OK")), now: 21)
                == [.close(.media(.all)), .close(.signaling), emit(.ended(.stopped)), .finished(.stopped)])
        #expect(s.isFinished)
        #expect(s.received(.media(.all), .audio(content), now: 22) == [])
        #expect(s.tick(now: 100) == [])
    }

    @Test func perTypeConnectionsForASubset() {
        var s = RTMSClientSession()
        let parameters = RTMSMediaParameters(
            audio: RTMSAudioParameters(codec: .l16, sendRate: 20), video: RTMSVideoParameters(codec: .h264, fps: 25),
            transcript: RTMSTranscriptParameters(sourceLanguage: .english))
        let options = RTMSClientOptions(mediaTypes: [.audio, .transcript], mediaParameters: parameters, events: [.activeSpeakerChange])
        _ = s.start(descriptor: Self.descriptor, credentials: Self.credentials, options: options, now: 0)
        _ = s.connected(.signaling, now: 0)
        #expect(
            s.received(.signaling, signalingResponse(), now: 0)
                == [
                    emit(.connected(connection: .signaling, url: "wss://sig.example/1", mediaParameters: nil)),
                    .open(.media(.audio), url: "wss://media/audio"),
                    .open(.media(.transcript), url: "wss://media/transcript"),
                ])
        // Each connection gets only its own parameters.
        #expect(
            s.connected(.media(.transcript), now: 0)
                == [mediaRequest(.transcript, sequence: 2, parameters: RTMSMediaParameters(transcript: parameters.transcript))])
        #expect(
            s.connected(.media(.audio), now: 0)
                == [mediaRequest(.audio, sequence: 3, parameters: RTMSMediaParameters(audio: parameters.audio))])
        let subscribeSpeaker = RTMSClientAction.send(.signaling, .eventSubscription(.init(events: [.init(.activeSpeakerChange)])))
        // A ready ack after every media handshake; the subscription only once.
        #expect(
            s.received(.media(.audio), mediaResponse(), now: 1)
                == [emit(.connected(connection: .media(.audio), url: "wss://media/audio", mediaParameters: nil)), readyAck, subscribeSpeaker])
        #expect(
            s.received(.media(.transcript), mediaResponse(), now: 1)
                == [emit(.connected(connection: .media(.transcript), url: "wss://media/transcript", mediaParameters: nil)), readyAck])
    }

    @Test func allModeCarriesASubsetOnTheAllURL() {
        var s = RTMSClientSession()
        let options = RTMSClientOptions(mediaTypes: [.audio, .transcript], connectionMode: .all)
        _ = s.start(descriptor: Self.descriptor, credentials: Self.credentials, options: options, now: 0)
        _ = s.connected(.signaling, now: 0)
        let both: RTMSMediaType = [.audio, .transcript]
        #expect(s.received(.signaling, signalingResponse(), now: 0).last == .open(.media(both), url: "wss://media/all"))
        #expect(s.connected(.media(both), now: 0) == [mediaRequest(both, sequence: 2)])
    }

    @Test func mediaPlanMatrix() {
        let perTypeOnly = RTMSMessage.SignalingHandshakeResponse(
            mediaURLs: [.init("audio", "wss://a"), .init("transcript", "wss://t")])
        let allOnly = RTMSMessage.SignalingHandshakeResponse(mediaURLs: [.init("all", "wss://all")])
        let both = RTMSMessage.SignalingHandshakeResponse(mediaURLs: Self.offered)
        func plan(_ wanted: RTMSMediaType, _ mode: RTMSConnectionMode, _ offer: RTMSMessage.SignalingHandshakeResponse) -> String {
            let p = RTMSClientSession.planMediaConnections(wanted: wanted, mode: mode, offered: offer)
            return p.connections.map { "\($0.types)@\($0.url)" }.joined(separator: " ") + " missing:\(p.missing.rawValue)"
        }
        #expect(plan(.all, .auto, both) == "all@wss://media/all missing:0")
        #expect(plan(.all, .auto, perTypeOnly) == "audio@wss://a transcript@wss://t missing:0")
        #expect(plan(.all, .perType, both) == "audio@wss://media/audio video@wss://media/video transcript@wss://media/transcript missing:0")
        #expect(plan(.all, .all, perTypeOnly) == " missing:0")
        #expect(plan([.audio, .video, .deskshare, .transcript, .chat], .auto, both) == "all@wss://media/all missing:0")
        #expect(plan([.audio, .chat], .auto, both) == "audio@wss://media/audio chat@wss://media/all missing:0")
        #expect(plan([.audio, .chat], .auto, perTypeOnly) == "audio@wss://a missing:16")
        #expect(plan([.audio, .chat], .perType, both) == "audio@wss://media/audio missing:16")
        #expect(plan([.video], .auto, allOnly) == "video@wss://all missing:0")
        #expect(plan([.video], .all, perTypeOnly) == " missing:2")
    }

    @Test func missingTypesAreReportedAndNoUsableURLFails() {
        var s = RTMSClientSession()
        _ = s.start(
            descriptor: Self.descriptor, credentials: Self.credentials,
            options: RTMSClientOptions(mediaTypes: [.audio, .chat], connectionMode: .perType), now: 0)
        _ = s.connected(.signaling, now: 0)
        let actions = s.received(.signaling, signalingResponse(), now: 0)
        #expect(
            actions
                == [
                    emit(.connected(connection: .signaling, url: "wss://sig.example/1", mediaParameters: nil)),
                    emit(.error(message: "the server offers no media URL for chat (offered: audio,video,transcript,all)", statusCode: nil, reason: nil)),
                    .open(.media(.audio), url: "wss://media/audio"),
                ])
        var t = RTMSClientSession()
        _ = t.start(
            descriptor: Self.descriptor, credentials: Self.credentials, options: RTMSClientOptions(mediaTypes: .all), now: 0)
        _ = t.connected(.signaling, now: 0)
        let failed = t.received(.signaling, signalingResponse(urls: []), now: 0)
        let error = MediaError(
            .peerRefused, "the RTMS signaling response offers no usable media URL for all in auto mode (offered: none)")
        #expect(
            failed
                == [
                    emit(.connected(connection: .signaling, url: "wss://sig.example/1", mediaParameters: nil)),
                    .close(.signaling), emit(.ended(.failed(error))), .finished(.failed(error)),
                ])
    }

    @Test func nonZeroSignalingStatusEndsWithNumberAndReason() {
        var s = RTMSClientSession()
        _ = s.start(descriptor: Self.descriptor, credentials: Self.credentials, options: RTMSClientOptions(), now: 0)
        _ = s.connected(.signaling, now: 0)
        let outcome = RTMSOutcome.refused(connection: .signaling, statusCode: 15, reason: "invalid signature")
        #expect(
            s.received(.signaling, signalingResponse(status: 15, reason: "invalid signature"), now: 0)
                == [.close(.signaling), emit(.ended(outcome)), .finished(outcome)])
        #expect(outcome.error == MediaError(.peerRefused, #"RTMS signaling handshake refused: status 15 ("invalid signature")"#))
        #expect(s.isFinished)
    }

    @Test func nonZeroMediaStatusEndsTheSession() {
        var s = RTMSClientSession()
        _ = s.start(descriptor: Self.descriptor, credentials: Self.credentials, options: RTMSClientOptions(), now: 0)
        _ = s.connected(.signaling, now: 0)
        _ = s.received(.signaling, signalingResponse(), now: 0)
        _ = s.connected(.media(.all), now: 0)
        let outcome = RTMSOutcome.refused(connection: .media(.all), statusCode: 3, reason: "")
        #expect(
            s.received(.media(.all), mediaResponse(status: 3), now: 0)
                == [.close(.media(.all)), .close(.signaling), emit(.ended(outcome)), .finished(outcome)])
        #expect(outcome.error?.message == "RTMS all handshake refused: status 3 (no reason given)")
    }

    @Test func reconnectAfterADroppedConnection() {
        var s = streamingOnAll()
        #expect(
            s.closed(.media(.all), reason: "connection reset", now: 20)
                == [
                    emit(.disconnected(connection: .media(.all), reason: "connection reset")), .close(.signaling),
                    .scheduleReconnect(after: 1),
                ])
        #expect(s.openConnections == [])
        #expect(s.received(.media(.all), .keepAliveRequest(.init(timestamp: 1)), now: 20.5) == [])
        #expect(s.tick(now: 20.9) == [])
        // The next server URL is tried.
        #expect(s.tick(now: 21) == [.open(.signaling, url: "wss://sig.example/2")])
        #expect(s.connected(.signaling, now: 21.1) == [signalingRequest(sequence: 3)])
        _ = s.received(.signaling, signalingResponse(), now: 21.2)
        #expect(s.connected(.media(.all), now: 22) == [mediaRequest(.all, sequence: 4)])
        // Media flows again: the gap is reported, and the new signaling connection gets its subscription.
        #expect(
            s.received(.media(.all), mediaResponse(), now: 23.25)
                == [
                    emit(.reconnected(gapMilliseconds: 3250, attempts: 1)),
                    emit(.connected(connection: .media(.all), url: "wss://media/all", mediaParameters: nil)), readyAck,
                    subscription,
                ])
    }

    @Test func aConnectionThatCannotBeSetUpEndsTheSessionWithoutRetrying() {
        let error = MediaError(.tls, "TLS with sig.example:443 failed: the server's certificate is not trusted")
        var s = RTMSClientSession()
        _ = s.start(descriptor: Self.descriptor, credentials: Self.credentials, options: RTMSClientOptions(), now: 0)
        #expect(
            s.failed(.signaling, error: error, now: 0.1)
                == [
                    emit(.disconnected(connection: .signaling, reason: error.message)), emit(.ended(.failed(error))),
                    .finished(.failed(error)),
                ])
        #expect(s.isFinished)
        #expect(s.tick(now: 100) == [])

        // A media connection: the others are closed, and nothing is reopened.
        var t = streamingOnAll()
        #expect(
            t.failed(.media(.all), error: error, now: 1)
                == [
                    emit(.disconnected(connection: .media(.all), reason: error.message)), .close(.signaling),
                    emit(.ended(.failed(error))), .finished(.failed(error)),
                ])
        #expect(t.tick(now: 100) == [])
        // A socket the session no longer knows changes nothing.
        #expect(t.failed(.signaling, error: error, now: 101) == [])
    }

    @Test func reconnectAfter65SecondsWithoutKeepAlive() {
        var s = streamingOnAll()
        _ = s.received(.signaling, .keepAliveRequest(.init(timestamp: 1)), now: 30)
        _ = s.received(.media(.all), .keepAliveRequest(.init(timestamp: 1)), now: 40)
        #expect(s.tick(now: 94.9) == [])
        #expect(
            s.tick(now: 95)
                == [
                    emit(.disconnected(connection: .signaling, reason: "no keep-alive for 65 s")), .close(.media(.all)),
                    .close(.signaling), .scheduleReconnect(after: 1),
                ])
        #expect(s.tick(now: 96) == [.open(.signaling, url: "wss://sig.example/2")])
        // A new connection gets its own 65 s.
        #expect(s.tick(now: 160.9) == [])
        #expect(s.tick(now: 161).first == emit(.disconnected(connection: .signaling, reason: "no keep-alive for 65 s")))
    }

    @Test func backoffGrowsAndReconnectsRunOut() {
        #expect((1...8).map { RTMSClientSession.reconnectDelay(attempt: $0) } == [1, 2, 4, 8, 16, 30, 30, 30])
        var s = RTMSClientSession()
        _ = s.start(
            descriptor: Self.descriptor, credentials: Self.credentials,
            options: RTMSClientOptions(maxReconnectAttempts: 3), now: 0)
        var now = 0.0
        for delay in [1.0, 2, 4] {
            #expect(
                s.closed(.signaling, reason: "refused", now: now)
                    == [emit(.disconnected(connection: .signaling, reason: "refused")), .scheduleReconnect(after: delay)])
            now += delay
            #expect(s.tick(now: now).count == 1)
        }
        let outcome = RTMSOutcome.reconnectsExhausted(attempts: 3, lastReason: "signaling: refused")
        #expect(
            s.closed(.signaling, reason: "refused", now: now)
                == [emit(.disconnected(connection: .signaling, reason: "refused")), emit(.ended(outcome)), .finished(outcome)])
        #expect(outcome.error?.kind == .timeout)
        #expect(outcome.error?.exitCode == 75)
    }

    @Test func streamTerminatedEndsCleanly() {
        var s = streamingOnAll()
        let update = RTMSMessage.StreamStateUpdate(state: .terminated, reason: .meetingEnded, timestamp: 5)
        #expect(
            s.received(.signaling, .streamStateUpdate(update), now: 50)
                == [
                    emit(.streamState(state: .terminated, reason: .meetingEnded, timestamp: 5)), .close(.media(.all)),
                    .close(.signaling), emit(.ended(.terminated(reason: .meetingEnded))),
                    .finished(.terminated(reason: .meetingEnded)),
                ])
        #expect(RTMSOutcome.terminated(reason: .meetingEnded).error == nil)
    }

    @Test func otherStreamAndSessionStatesAreOnlyReported() {
        var s = streamingOnAll()
        #expect(
            s.received(.signaling, .streamStateUpdate(.init(state: .interrupted, reason: nil)), now: 1)
                == [emit(.streamState(state: .interrupted, reason: nil, timestamp: nil))])
        let session = RTMSMessage.SessionStateUpdate(state: .stopped, stopReason: .hostTriggered, timestamp: 9, sessionID: "x")
        #expect(
            s.received(.signaling, .sessionStateUpdate(session), now: 1)
                == [emit(.sessionState(sessionID: "x", state: .stopped, stopReason: .hostTriggered, timestamp: 9))])
        #expect(!s.isFinished)
    }

    @Test func stopWithoutCloseStreamAndStopThatTimesOut() {
        var s = streamingOnAll()
        #expect(
            s.stopRequested(closeStream: false, now: 1)
                == [.close(.media(.all)), .close(.signaling), emit(.ended(.stopped)), .finished(.stopped)])
        var t = streamingOnAll()
        _ = t.stopRequested(closeStream: true, now: 10)
        // Media still flows and keep-alives are still answered while waiting.
        #expect(t.received(.media(.all), .keepAliveRequest(.init(timestamp: 2)), now: 12).count == 1)
        #expect(t.tick(now: 14.9) == [])
        #expect(
            t.tick(now: 15)
                == [
                    emit(.error(message: "no stream close response within 5 s", statusCode: nil, reason: nil)),
                    .close(.media(.all)), .close(.signaling), emit(.ended(.stopped)), .finished(.stopped),
                ])
        var u = streamingOnAll()
        _ = u.stopRequested(closeStream: true, now: 10)
        #expect(u.closed(.media(.all), reason: "bye", now: 11) == [])
        #expect(u.closed(.signaling, reason: "bye", now: 11) == [emit(.ended(.stopped)), .finished(.stopped)])
    }

    @Test func signatureComesFromTheWebhookWhenPresent() {
        var d = Self.descriptor
        d.signature = "from-webhook"
        var s = RTMSClientSession()
        _ = s.start(descriptor: d, credentials: Self.credentials, options: RTMSClientOptions(bufferData: false), now: 0)
        #expect(
            s.connected(.signaling, now: 0)
                == [
                    .send(
                        .signaling,
                        .signalingHandshakeRequest(
                            .init(sequence: 1, id: Self.meeting, streamID: Self.streamID, signature: "from-webhook", bufferData: false)))
                ])
        var t = RTMSClientSession()
        let error = MediaError(
            .authenticationFailed,
            "no handshake signature for stream \(Self.streamID): the webhook carries none and no client credentials were given")
        #expect(
            t.start(descriptor: Self.descriptor, credentials: nil, options: RTMSClientOptions(), now: 0)
                == [emit(.ended(.failed(error))), .finished(.failed(error))])
    }

    @Test func unknownUnexpectedAndUndecodableMessagesAreReportedNotFatal() throws {
        var s = streamingOnAll()
        let raw = try JSONValue.parse(#"{"msg_type":31,"x":1}"#)
        #expect(
            s.received(.signaling, .unknown(msgType: 31, raw: raw), now: 1)
                == [emit(.unknown(msgType: 31, connection: .signaling, raw: raw))])
        #expect(
            s.received(.media(.all), .clientReadyAck(.init(streamID: "x")), now: 1)
                == [emit(.error(message: "unexpected msg_type 7 (CLIENT_READY_ACK) on all", statusCode: nil, reason: nil))])
        #expect(
            s.receivedUndecodable(.media(.all), error: MediaError(.malformedInput, "invalid JSON at byte 3: x"), now: 1)
                == [emit(.error(message: "all: invalid JSON at byte 3: x", statusCode: nil, reason: nil))])
        // A second handshake response is unexpected, not a new setup.
        #expect(
            s.received(.media(.all), mediaResponse(), now: 1)
                == [emit(.error(message: "unexpected msg_type 4 (DATA_HAND_SHAKE_RESP) on all", statusCode: nil, reason: nil))])
        // Nothing from a connection the session does not have.
        #expect(s.received(.media(.audio), .keepAliveRequest(.init(timestamp: 1)), now: 1) == [])
        #expect(s.closed(.media(.video), reason: "?", now: 1) == [])
        #expect(!s.isFinished)
    }

    @Test func rawFramesAreDecodedOrReported() {
        var s = streamingOnAll()
        #expect(
            s.received(.media(.all), bytes: ByteBuffer(string: #"{"msg_type":12,"timestamp":9,"sequence":3}"#), now: 1)
                == [.send(.media(.all), .keepAliveResponse(.init(timestamp: 9, sequence: 3)))])
        #expect(
            s.received(.media(.all), bytes: ByteBuffer(string: #"{"msg_type":12,"#), now: 1)
                == [emit(.error(message: "all: invalid JSON at byte 15: unexpected end of input, expected a string key", statusCode: nil, reason: nil))])
    }

    @Test func individualVideoSubscription() {
        var s = RTMSClientSession()
        let options = RTMSClientOptions(mediaTypes: [.video], events: [], videoUserID: 16_778_240)
        _ = s.start(descriptor: Self.descriptor, credentials: Self.credentials, options: options, now: 1_738_392_033.699)
        _ = s.connected(.signaling, now: 1_738_392_033.699)
        _ = s.received(.signaling, signalingResponse(), now: 1_738_392_033.699)
        _ = s.connected(.media(.video), now: 1_738_392_033.699)
        #expect(
            s.received(.media(.video), mediaResponse(), now: 1_738_392_033.699)
                == [
                    emit(.connected(connection: .media(.video), url: "wss://media/video", mediaParameters: nil)), readyAck,
                    .send(
                        .signaling,
                        .videoSubscriptionRequest(.init(userID: 16_778_240, subscribe: true, timestamp: 1_738_392_033_699))),
                ])
    }

    @Test func stateQueries() {
        var s = RTMSClientSession()
        #expect(s.requestStreamState() == [])
        s = streamingOnAll()
        #expect(s.requestStreamState() == [.send(.signaling, .streamStateRequest(.init(streamID: Self.streamID)))])
        #expect(s.requestSessionState(sessionID: "x") == [.send(.signaling, .sessionStateRequest(.init(sessionID: "x")))])
        let response = RTMSMessage.StreamStateResponse(state: .terminated, streamID: Self.streamID, timestamp: 1)
        #expect(s.received(.signaling, .streamStateResponse(response), now: 2).last == .finished(.terminated(reason: nil)))
    }
}
