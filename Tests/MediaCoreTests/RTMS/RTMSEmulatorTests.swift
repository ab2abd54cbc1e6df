import MediaCore
import NIOCore
import Testing

@Suite("RTMS emulated server")
struct RTMSEmulatorTests {
    typealias F = RTMSServerFixture
    let t = 1000.0

    /// Signaling on c1, one `all` media connection on c2, client ready at `t`, session s1.
    func ready(_ emu: inout RTMSEmulator, at t: Double) {
        _ = emu.opened(F.c1, path: .signaling, now: t)
        _ = emu.received(F.c1, bytes: F.signalingRequest(), now: t)
        _ = emu.opened(F.c2, path: .media(session: "s1", types: .all), now: t)
        _ = emu.received(F.c2, bytes: F.mediaRequest(.all), now: t)
        _ = emu.received(F.c1, bytes: F.clientReady, now: t)
    }

    func endEvent(_ actions: [RTMSServerAction]) -> RTMSServerEvent.Kind? {
        for case .emit(let e) in actions { if case .ended = e.kind { return e.kind } }
        return nil
    }

    @Test func aSessionFromHandshakeToTheEnd() throws {
        var emu = RTMSEmulator(script: F.script(), options: F.options())
        #expect(emu.opened(F.c1, path: .signaling, now: t).isEmpty)
        var a = emu.received(F.c1, bytes: F.signalingRequest(), now: t)
        #expect(F.summary(a) == ["emit rtms.serve.session", "send #1 2", "emit rtms.serve.connected"])
        guard case .signalingHandshakeResponse(let signaling) = try F.sent(a, on: F.c1)[0] else {
            Issue.record("no signaling handshake response")
            return
        }
        #expect(signaling.statusCode == 0)
        #expect(signaling.mediaURLs?.map(\.key) == ["audio", "video", "deskshare", "transcript", "chat", "all"])
        #expect(signaling.mediaURL(for: "audio") == "ws://127.0.0.1:9/media/s1/audio")
        #expect(signaling.mediaURL(for: "all") == "ws://127.0.0.1:9/media/s1/all")

        #expect(emu.opened(F.c2, path: .media(session: "s1", types: .all), now: t).isEmpty)
        let asked = RTMSMediaParameters(audio: .init(sampleRate: .hz48000, sendRate: 100), video: .init(codec: .jpg))
        a = emu.received(F.c2, bytes: F.mediaRequest(.all, parameters: asked), now: t)
        #expect(F.summary(a) == ["send #2 4", "emit rtms.serve.connected"])
        guard case .dataHandshakeResponse(let media) = try F.sent(a, on: F.c2)[0] else {
            Issue.record("no media handshake response")
            return
        }
        #expect(media.statusCode == 0)
        #expect(media.sequence == 2)
        // What the recording holds wins over what was asked; `all` answers for the recorded types.
        #expect(
            media.mediaParameters?.audio
                == RTMSAudioParameters(
                    contentType: .rawAudio, sampleRate: .hz16000, channel: .mono, codec: .l16, dataOption: .audioMixed,
                    sendRate: 20))
        #expect(media.mediaParameters?.transcript == RTMSMediaParameters.referenceDefaults.transcript)
        #expect(media.mediaParameters?.video == nil)

        a = emu.received(F.c1, bytes: F.clientReady, now: t)
        #expect(F.summary(a) == ["send #1 6", "send #1 9", "emit rtms.serve.playing", "send #1 6"])
        let opening = try F.sent(a, on: F.c1)
        #expect(opening[0] == .eventUpdate(.init(eventType: .firstPacketTimestamp, timestamp: F.firstPacket)))
        #expect(opening[1] == .sessionStateUpdate(.init(state: .started, timestamp: F.firstPacket, sessionID: "sess-1")))
        #expect(F.payloads(a).last == F.activeSpeaker)

        #expect(emu.nextDeadline == t + 0.010)
        #expect(emu.tick(now: t + 0.009).isEmpty)
        a = emu.tick(now: t + 0.010)
        #expect(F.summary(a) == ["send #2 14"])
        #expect(F.payloads(a) == [F.audio1])
        a = emu.tick(now: t + 0.05)
        #expect(F.payloads(a) == [F.audio2, F.transcript, F.audio3])

        a = emu.tick(now: t + 0.09)
        #expect(F.summary(a) == ["send #1 9", "send #1 8", "close #2 normal", "close #1 normal", "emit rtms.serve.end"])
        let closing = try F.sent(a, on: F.c1)
        #expect(closing[0] == .sessionStateUpdate(.init(state: .stopped, stopReason: .meetingEnded, timestamp: F.firstPacket + 90, sessionID: "sess-1")))
        #expect(closing[1] == .streamStateUpdate(.init(state: .terminated, reason: .meetingEnded, timestamp: F.firstPacket + 90)))
        #expect(endEvent(a) == .ended(outcome: "completed", reason: .meetingEnded, sent: 5, unsent: 0))
        #expect(emu.activeSessions == 0)
        #expect(emu.sessionsEnded == 1)
        #expect(emu.itemsSent == 5)
        #expect(emu.itemsLate == 0)
        #expect(emu.closed(F.c1, reason: "late", now: t + 1).isEmpty)
    }

    /// The terminated update goes out first; the connections close a moment later, or as soon as the client has
    /// closed them, so no close overtakes the update on its way to the client.
    @Test func theConnectionsCloseAGraceAfterTheEnd() {
        var emu = RTMSEmulator(script: F.script(), options: F.options { $0.endGrace = 1 })
        ready(&emu, at: t)
        var a = emu.tick(now: t + 0.09)
        #expect(F.summary(a).suffix(2) == ["send #1 9", "send #1 8"])
        #expect(emu.nextDeadline == t + 1.09)
        #expect(emu.received(F.c1, bytes: F.clientReady, now: t + 0.1).isEmpty)
        #expect(emu.tick(now: t + 1.0).isEmpty)
        a = emu.tick(now: t + 1.09)
        #expect(F.summary(a) == ["close #2 normal", "close #1 normal", "emit rtms.serve.end"])
        // A client that closes at once ends it at once.
        var quick = RTMSEmulator(script: F.script(), options: F.options { $0.endGrace = 1 })
        ready(&quick, at: t)
        _ = quick.tick(now: t + 0.09)
        #expect(quick.closed(F.c2, reason: "bye", now: t + 0.1).isEmpty)
        #expect(F.summary(quick.closed(F.c1, reason: "bye", now: t + 0.1)) == ["emit rtms.serve.end"])
        #expect(quick.activeSessions == 0)
    }

    @Test func keepAlivesOnEveryConnectionAndThreeMissedInterruptAMediaConnection() throws {
        var emu = RTMSEmulator(script: F.script(endMs: 200_000), options: F.options())
        ready(&emu, at: t)
        #expect(F.summary(emu.tick(now: t + 1)) == ["send #2 14", "send #2 14", "send #2 17", "send #2 14"])
        for k in 1...3 {
            let now = t + Double(k) * 10
            let a = emu.tick(now: now)
            #expect(F.summary(a) == ["send #1 12", "send #2 12"])
            let request = RTMSMessage.KeepAlive(timestamp: Int64(now * 1000), sequence: Int64(k))
            #expect(try F.sent(a, on: F.c1) == [.keepAliveRequest(request)])
            #expect(try F.sent(a, on: F.c2) == [.keepAliveRequest(request)])
            // Only the signaling connection answers.
            #expect(emu.received(F.c1, bytes: F.keepAliveResponse(request), now: now).isEmpty)
        }
        var a = emu.tick(now: t + 40)
        #expect(F.summary(a) == ["send #1 12", "emit rtms.serve.keepalive_timeout", "close #2 abort"])
        #expect(a.contains(.emit(RTMSServerEvent(session: 1, .keepAliveTimeout(connection: F.c2, unanswered: 3)))))
        // Reference: "wait for 65 seconds to allow for reconnection, and, if the connection is not restored, it
        // will end the RTMS stream." (stop reason 24, keep-alive timeout).
        #expect(emu.nextDeadline == t + 50)
        _ = emu.received(F.c1, bytes: F.keepAliveResponse(.init(timestamp: Int64((t + 40) * 1000), sequence: 4)), now: t + 40)
        a = emu.tick(now: t + 105)
        #expect(F.summary(a) == ["send #1 12", "send #1 9", "send #1 8", "close #1 normal", "emit rtms.serve.end"])
        #expect(try F.sent(a, on: F.c1).last == .streamStateUpdate(.init(state: .terminated, reason: .keepAliveTimeout, timestamp: F.firstPacket + 105_000)))
        #expect(endEvent(a) == .ended(outcome: "media_not_restored", reason: .keepAliveTimeout, sent: 5, unsent: 0))
        // Four items went out about a second after their due time (the first tick came late).
        #expect(emu.itemsLate == 4)
        #expect(abs(emu.maxLag - 0.99) < 1e-6)
    }

    @Test func aSilentSignalingConnectionTakesItsMediaWithItAndTheSessionEndsUnclaimed() {
        var emu = RTMSEmulator(script: F.script(endMs: 200_000), options: F.options())
        ready(&emu, at: t)
        _ = emu.tick(now: t + 1)
        for k in 1...3 { _ = emu.tick(now: t + Double(k) * 10) }
        var a = emu.tick(now: t + 40)
        #expect(F.summary(a) == ["emit rtms.serve.keepalive_timeout", "close #1 abort", "close #2 abort"])
        #expect(emu.nextDeadline == t + 100)
        a = emu.tick(now: t + 100)
        #expect(F.summary(a) == ["emit rtms.serve.end"])
        #expect(endEvent(a) == .ended(outcome: "not_reconnected", reason: .keepAliveTimeout, sent: 5, unsent: 0))
        #expect(emu.activeSessions == 0)
    }

    @Test func aReconnectingClientContinuesItsSession() throws {
        var emu = RTMSEmulator(script: F.script(), options: F.options { $0.faults = [.dropSignalingAt(0.02)] })
        ready(&emu, at: t)
        var a = emu.tick(now: t + 0.02)
        #expect(F.summary(a) == ["emit rtms.serve.fault", "close #1 abort", "close #2 abort"])
        #expect(emu.activeSessions == 1)
        // The client reconnects: a new signaling handshake takes the interrupted session over.
        _ = emu.opened(F.c3, path: .signaling, now: t + 0.021)
        a = emu.received(F.c3, bytes: F.signalingRequest(), now: t + 0.021)
        #expect(F.summary(a) == ["emit rtms.serve.reconnect", "send #3 2", "emit rtms.serve.connected"])
        guard case .signalingHandshakeResponse(let r) = try F.sent(a, on: F.c3)[0] else { return }
        #expect(r.mediaURL(for: "all") == "ws://127.0.0.1:9/media/s1/all")
        _ = emu.opened(F.c4, path: .media(session: "s1", types: .all), now: t + 0.022)
        _ = emu.received(F.c4, bytes: F.mediaRequest(.all), now: t + 0.022)
        a = emu.received(F.c3, bytes: F.clientReady, now: t + 0.022)
        // A new signaling connection gets the opening again; playback goes on where it was.
        #expect(F.summary(a) == ["send #3 6", "send #3 9"])
        a = emu.tick(now: t + 0.05)
        #expect(F.payloads(a) == [F.audio2, F.transcript, F.audio3])
        a = emu.tick(now: t + 0.09)
        #expect(endEvent(a) == .ended(outcome: "completed", reason: .meetingEnded, sent: 4, unsent: 1))
        #expect(emu.sessionsStarted == 1)
    }

    @Test func droppedMediaComesBackOnItsOwnAndUnwantedTypesAreCounted() throws {
        var emu = RTMSEmulator(script: F.script(), options: F.options { $0.faults = [.dropMediaAt(0.015)] })
        ready(&emu, at: t)
        _ = emu.tick(now: t + 0.010)
        var a = emu.tick(now: t + 0.015)
        #expect(F.summary(a) == ["emit rtms.serve.fault", "close #2 abort"])
        #expect(emu.session(of: F.c1)?.isInterrupted == true)
        // audio2 comes while no media connection is there.
        #expect(emu.tick(now: t + 0.03).isEmpty)
        // A new audio-only connection to the same session, then a ready ack.
        _ = emu.opened(F.c3, path: .media(session: "s1", types: .audio), now: t + 0.035)
        a = emu.received(F.c3, bytes: F.mediaRequest(.audio), now: t + 0.035)
        #expect(F.summary(a) == ["send #3 4", "emit rtms.serve.connected"])
        _ = emu.received(F.c1, bytes: F.clientReady, now: t + 0.035)
        a = emu.tick(now: t + 0.05)
        #expect(F.summary(a) == ["send #3 14"])
        #expect(F.payloads(a) == [F.audio3])
        let session = try #require(emu.session(of: F.c1))
        #expect(session.isInterrupted == false)
        #expect(session.unsentItems == 1)  // audio2, while no media connection was there
        #expect(session.unrequestedItems == 1)  // the transcript, which the audio connection does not carry
    }

    @Test func stopKeepAliveFaultSilencesTheOpenConnections() {
        var emu = RTMSEmulator(script: F.script(endMs: 200_000), options: F.options { $0.faults = [.stopKeepAliveAt(5)] })
        ready(&emu, at: t)
        #expect(F.summary(emu.tick(now: t + 5)).contains("emit rtms.serve.fault"))
        #expect(emu.tick(now: t + 10).isEmpty)
        #expect(emu.tick(now: t + 60).isEmpty)
    }

    @Test func handshakeRefusals() throws {
        var emu = RTMSEmulator(script: F.script(), options: F.options())
        _ = emu.opened(F.c1, path: .signaling, now: t)
        var a = emu.received(F.c1, bytes: F.signalingRequest(signature: String(repeating: "0", count: 64)), now: t)
        #expect(F.summary(a) == ["send #1 2", "close #1 normal", "emit rtms.serve.refused"])
        guard case .signalingHandshakeResponse(let r) = try F.sent(a, on: F.c1)[0] else { return }
        #expect(r.statusCode == 15)
        #expect(r.mediaURLs == nil)
        #expect(r.reason?.contains("invalid signature") == true)
        #expect(emu.sessionsStarted == 0)

        _ = emu.opened(F.c2, path: .signaling, now: t)
        a = emu.received(F.c2, bytes: F.signalingRequest(streamID: "other"), now: t)
        guard case .signalingHandshakeResponse(let other) = try F.sent(a, on: F.c2)[0] else { return }
        #expect(other.statusCode == 13)

        _ = emu.opened(F.c3, path: .signaling, now: t)
        a = emu.received(F.c3, bytes: ByteBuffer(string: "{oops"), now: t)
        guard case .signalingHandshakeResponse(let junk) = try F.sent(a, on: F.c3)[0] else { return }
        #expect(junk.statusCode == 4)

        _ = emu.opened(F.c4, path: .media(session: "s9", types: .audio), now: t)
        a = emu.received(F.c4, bytes: F.mediaRequest(.audio), now: t)
        #expect(F.summary(a) == ["send #4 4", "close #4 normal", "emit rtms.serve.refused"])
        guard case .dataHandshakeResponse(let unknown) = try F.sent(a, on: F.c4)[0] else { return }
        #expect(unknown.statusCode == 13)
    }

    @Test func aBadMediaSignatureIsRefusedAndTheSessionStays() throws {
        var emu = RTMSEmulator(script: F.script(), options: F.options())
        _ = emu.opened(F.c1, path: .signaling, now: t)
        _ = emu.received(F.c1, bytes: F.signalingRequest(), now: t)
        _ = emu.opened(F.c2, path: .media(session: "s1", types: .all), now: t)
        let a = emu.received(F.c2, bytes: F.mediaRequest(.all, signature: "bad"), now: t)
        #expect(F.summary(a) == ["send #2 4", "close #2 normal", "emit rtms.serve.refused"])
        guard case .dataHandshakeResponse(let r) = try F.sent(a, on: F.c2)[0] else { return }
        #expect(r.statusCode == 15)
        #expect(emu.activeSessions == 1)
    }

    @Test(arguments: [RTMSServerFault.status(3), .mediaStatus(20)])
    func statusFaultsRefuseHandshakes(fault: RTMSServerFault) throws {
        var emu = RTMSEmulator(script: F.script(), options: F.options { $0.faults = [fault] })
        _ = emu.opened(F.c1, path: .signaling, now: t)
        var a = emu.received(F.c1, bytes: F.signalingRequest(), now: t)
        if case .status(let code) = fault {
            guard case .signalingHandshakeResponse(let r) = try F.sent(a, on: F.c1)[0] else { return }
            #expect(r.statusCode == code)
            #expect(r.reason == "refused by --fault status=3")
            return
        }
        _ = emu.opened(F.c2, path: .media(session: "s1", types: .audio), now: t)
        a = emu.received(F.c2, bytes: F.mediaRequest(.audio), now: t)
        guard case .dataHandshakeResponse(let r) = try F.sent(a, on: F.c2)[0] else { return }
        #expect(r.statusCode == 20)
    }

    @Test func aStreamCloseRequestEndsTheStream() throws {
        var emu = RTMSEmulator(script: F.script(), options: F.options())
        ready(&emu, at: t)
        let close = RTMSMessage.streamCloseRequest(.init(streamID: F.streamID)).encode()
        let a = emu.received(F.c1, bytes: close, now: t + 0.001)
        #expect(F.summary(a) == ["send #1 22", "send #1 9", "send #1 8", "close #2 normal", "close #1 normal", "emit rtms.serve.end"])
        let sent = try F.sent(a, on: F.c1)
        #expect(sent[0] == .streamCloseResponse(.init(streamID: F.streamID, statusCode: 0, reason: "", timestamp: F.firstPacket + 1)))
        #expect(sent[2] == .streamStateUpdate(.init(state: .terminated, reason: .receiverRequestClose, timestamp: F.firstPacket + 1)))
    }

    @Test func requestsAreAnswered() throws {
        var emu = RTMSEmulator(script: F.script(), options: F.options())
        ready(&emu, at: t)
        var a = emu.received(F.c1, bytes: RTMSMessage.sessionStateRequest(.init(sessionID: "sess-1")).encode(), now: t)
        #expect(try F.sent(a, on: F.c1) == [.sessionStateResponse(.init(sessionID: "sess-1", state: .started, timestamp: F.firstPacket))])
        a = emu.received(F.c1, bytes: RTMSMessage.streamStateRequest(.init(streamID: F.streamID)).encode(), now: t)
        #expect(try F.sent(a, on: F.c1) == [.streamStateResponse(.init(state: .active, streamID: F.streamID, timestamp: F.firstPacket))])
        a = emu.received(F.c1, bytes: RTMSMessage.videoSubscriptionRequest(.init(userID: 7)).encode(), now: t)
        #expect(try F.sent(a, on: F.c1) == [.videoSubscriptionResponse(.init(userID: 7, statusCode: 0, reason: "", timestamp: Int64(t * 1000)))])
        let subscribe = RTMSMessage.eventSubscription(.init(events: [.init(.activeSpeakerChange)])).encode()
        #expect(emu.received(F.c1, bytes: subscribe, now: t).isEmpty)
        #expect(emu.session(of: F.c1)?.eventSubscriptions == [.activeSpeakerChange: true])
    }

    @Test func loopStartsOver() {
        var emu = RTMSEmulator(script: F.script(), options: F.options { $0.loop = true })
        ready(&emu, at: t)
        _ = emu.tick(now: t + 0.05)
        var a = emu.tick(now: t + 0.09)
        #expect(F.summary(a) == ["emit rtms.serve.loop", "send #1 6"])
        a = emu.tick(now: t + 0.101)
        #expect(F.payloads(a) == [F.audio1])
    }

    @Test func playbackWaitsForAPerTypeConnectionStillHandshaking() {
        var emu = RTMSEmulator(script: F.script(), options: F.options())
        _ = emu.opened(F.c1, path: .signaling, now: t)
        _ = emu.received(F.c1, bytes: F.signalingRequest(), now: t)
        _ = emu.opened(F.c2, path: .media(session: "s1", types: .audio), now: t)
        _ = emu.received(F.c2, bytes: F.mediaRequest(.audio), now: t)
        _ = emu.opened(F.c3, path: .media(session: "s1", types: .transcript), now: t)
        _ = emu.received(F.c1, bytes: F.clientReady, now: t)
        var a = emu.tick(now: t + 0.045)
        #expect(F.payloads(a) == [F.audio1, F.audio2])
        // The transcript waits for its connection (at most `holdLimit`), and audio3 behind it.
        #expect(emu.tick(now: t + 0.06).isEmpty)
        _ = emu.received(F.c3, bytes: F.mediaRequest(.transcript), now: t + 0.07)
        a = emu.received(F.c1, bytes: F.clientReady, now: t + 0.07)
        #expect(F.summary(a) == ["send #3 17", "send #2 14"])
    }

    @Test func aConnectionWithoutAHandshakeIsClosed() {
        var emu = RTMSEmulator(script: F.script(), options: F.options())
        _ = emu.opened(F.c1, path: .signaling, now: t)
        #expect(emu.nextDeadline == t + 10)
        #expect(F.summary(emu.tick(now: t + 10)) == ["close #1 normal"])
    }

    @Test func clientsGetTheirOwnPlayback() {
        var emu = RTMSEmulator(script: F.script(), options: F.options())
        ready(&emu, at: t)
        _ = emu.opened(F.c3, path: .signaling, now: t + 0.03)
        _ = emu.received(F.c3, bytes: F.signalingRequest(), now: t + 0.03)
        _ = emu.opened(F.c4, path: .media(session: "s2", types: .all), now: t + 0.03)
        _ = emu.received(F.c4, bytes: F.mediaRequest(.all), now: t + 0.03)
        var a = emu.received(F.c3, bytes: F.clientReady, now: t + 0.03)
        #expect(F.summary(a) == ["send #3 6", "send #3 9", "emit rtms.serve.playing", "send #3 6"])
        a = emu.tick(now: t + 0.0401)
        // Client 1 is at 40 ms, client 2 at 10 ms.
        #expect(F.summary(a) == ["send #2 14", "send #2 14", "send #2 17", "send #4 14"])
        #expect(emu.sessionsStarted == 2)
    }

    @Test func shutdownEndsEverySession() {
        var emu = RTMSEmulator(script: F.script(), options: F.options())
        ready(&emu, at: t)
        let a = emu.shutdown(now: t + 0.02)
        #expect(F.summary(a) == ["send #1 9", "send #1 8", "close #2 normal", "close #1 normal", "emit rtms.serve.end"])
        #expect(emu.opened(F.c3, path: .signaling, now: t + 0.03) == [.close(F.c3, .normal(reason: "the server is stopping"))])
    }
}
