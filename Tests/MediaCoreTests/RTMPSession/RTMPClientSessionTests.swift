import NIOCore
import Testing

@testable import MediaCore

@Suite struct RTMPClientSessionTests {
    func publisher() -> RTMPClientSession {
        RTMPClientSession(
            configuration: .init(
                app: "live", tcUrl: "rtmp://127.0.0.1/live", role: .publish(name: "key"), chunkSize: 4096))
    }

    func sent(_ actions: [RTMPClientSession.Action]) throws -> [RTMPBody] {
        try actions.compactMap { action in
            if case .send(let message) = action { return try RTMPBody(decoding: message) }
            return nil
        }
    }

    func commands(_ actions: [RTMPClientSession.Action]) throws -> [RTMPCommand] {
        try sent(actions).compactMap { if case .command(let c) = $0 { return c } else { return nil } }
    }

    func server(_ body: RTMPBody, stream: UInt32 = 0) -> RTMPMessage {
        body.message(streamID: stream, timestamp: 0, chunkStreamID: 3)
    }

    func result(_ transaction: Double, _ object: AMF0Value = .null, _ arguments: [AMF0Value]) -> RTMPMessage {
        server(.command(RTMPCommand(name: "_result", transactionID: transaction, commandObject: object, arguments: arguments)))
    }

    @Test func startAnnouncesChunkSizeBeforeConnect() throws {
        var session = publisher()
        let actions = session.start()
        #expect(try sent(actions).first == .setChunkSize(4096))
        #expect(actions.contains(.setOutgoingChunkSize(4096)))
        let connect = try #require(try commands(actions).first)
        #expect(connect.name == "connect")
        #expect(connect.transactionID == 1)
        let object = try #require(connect.commandObject.objectValue)
        #expect(object["app"] == .string("live"))
        #expect(object["tcUrl"] == .string("rtmp://127.0.0.1/live"))
        #expect(object["type"] == .string("nonprivate"))
        #expect(object["flashVer"]?.stringValue?.hasPrefix("FMLE/3.0") == true)
        // Key order is the order a Flash client used: app first.
        #expect(object.properties.first?.key == "app")
    }

    @Test func publishConversation() throws {
        var session = publisher()
        _ = session.start()
        let connectInfo: AMF0Value = .object(["fmsVer": .string("FMS/3,0,1,123"), "capabilities": .number(31)])
        let info: AMF0Value = .object([
            "level": .string("status"), "code": .string("NetConnection.Connect.Success"),
            "description": .string("Connection succeeded."),
        ])
        let afterConnect = try session.receive(result(1, connectInfo, [info]))
        guard case .connected(let info) = afterConnect.first else {
            Issue.record("expected connected first, got \(afterConnect)")
            return
        }
        #expect(info.serverVersion == "FMS/3,0,1,123")
        #expect(info.capabilities == 31)
        #expect(info.code == "NetConnection.Connect.Success")
        let calls = try commands(afterConnect)
        #expect(calls.map(\.name) == ["releaseStream", "FCPublish", "createStream"])
        #expect(calls[0].arguments == [.string("key")])

        let createStreamID = calls[2].transactionID
        let afterCreate = try session.receive(result(createStreamID, .null, [.number(1)]))
        let publish = try #require(try commands(afterCreate).first)
        #expect(publish.name == "publish")
        #expect(publish.arguments == [.string("key"), .string("live")])
        guard case .send(let publishMessage) = afterCreate.first else { return }
        #expect(publishMessage.streamID == 1)

        let start = server(
            .command(
                RTMPCommand(
                    name: "onStatus", transactionID: 0,
                    arguments: [
                        .object([
                            "level": .string("status"), "code": .string("NetStream.Publish.Start"),
                            "description": .string("Start publishing"),
                        ])
                    ])), stream: 1)
        let started = try session.receive(start)
        #expect(started.count == 1)
        guard case .streamStarted(let id, let status) = started.first else {
            Issue.record("expected streamStarted, got \(started)")
            return
        }
        #expect(id == 1)
        #expect(status.code == "NetStream.Publish.Start")

        let media = session.mediaMessage(type: .video, timestamp: 40, payload: ByteBuffer(bytes: [0x17, 1]))
        #expect(media.streamID == 1)
        #expect(media.typeID == 9)
        #expect(media.chunkStreamID == RTMPChunkStreamID.video)

        let stop = try commands(session.stop())
        #expect(stop.map(\.name) == ["FCUnpublish", "deleteStream"])
        #expect(stop[1].arguments == [.number(1)])
    }

    @Test func refusedConnectIsReportedWithItsDescription() throws {
        var session = publisher()
        _ = session.start()
        let error = server(
            .command(
                RTMPCommand(
                    name: "_error", transactionID: 1,
                    arguments: [
                        .object([
                            "level": .string("error"), "code": .string("NetConnection.Connect.Rejected"),
                            "description": .string("[ AccessManager.Reject ] : [ code=403 need auth; authmod=adobe ] : "),
                        ])
                    ])))
        let actions = try session.receive(error)
        guard case .connectRejected(let status) = actions.first else {
            Issue.record("expected connectRejected, got \(actions)")
            return
        }
        #expect(status.details.contains("authmod=adobe"))
    }

    @Test func publishErrorStatusFails() throws {
        var session = publisher()
        _ = session.start()
        _ = try session.receive(result(1, .null, [.null]))
        _ = try session.receive(result(4, .null, [.number(1)]))
        let bad = server(
            .command(
                RTMPCommand(
                    name: "onStatus", transactionID: 0,
                    arguments: [
                        .object([
                            "level": .string("error"), "code": .string("NetStream.Publish.BadName"),
                            "description": .string("Already publishing"),
                        ])
                    ])), stream: 1)
        let actions = try session.receive(bad)
        guard case .failed(let error) = actions.first else {
            Issue.record("expected failed, got \(actions)")
            return
        }
        #expect(error.kind == .peerRefused)
        #expect(error.message.contains("NetStream.Publish.BadName"))
        #expect(error.message.contains("Already publishing"))
    }

    @Test func answersPingsAndAcknowledgesWindows() throws {
        var session = publisher()
        _ = session.start()
        let pong = try sent(session.receive(server(.userControl(.pingRequest(1234)))))
        #expect(pong == [.userControl(.pingResponse(1234))])
        #expect(try sent(session.receive(server(.windowAcknowledgementSize(1000)))).isEmpty)
        #expect(session.bytesRead(999).isEmpty)
        #expect(try sent(session.bytesRead(1000)) == [.acknowledgement(sequenceNumber: 1000)])
        #expect(session.bytesRead(1500).isEmpty)
        #expect(try sent(session.bytesRead(2001)) == [.acknowledgement(sequenceNumber: 2001)])
        // Set Peer Bandwidth is answered with our Window Acknowledgement Size, once per size.
        let bandwidth = try sent(session.receive(server(.setPeerBandwidth(size: 5_000_000, limit: .dynamic))))
        #expect(bandwidth == [.windowAcknowledgementSize(5_000_000)])
        #expect(try sent(session.receive(server(.setPeerBandwidth(size: 5_000_000, limit: .dynamic)))).isEmpty)
        #expect(session.serverInfo.windowAcknowledgementSize == 1000)
        #expect(session.serverInfo.peerBandwidth == 5_000_000)
    }

    @Test func playerGetsMetadataAndMedia() throws {
        var session = RTMPClientSession(
            configuration: .init(app: "live", tcUrl: "rtmp://h/live", role: .play(name: "key")))
        _ = session.start()
        let afterConnect = try commands(session.receive(result(1, .null, [.null])))
        #expect(afterConnect.map(\.name) == ["createStream"])
        let afterCreate = try session.receive(result(afterConnect[0].transactionID, .null, [.number(1)]))
        let bodies = try sent(afterCreate)
        #expect(bodies.first == .userControl(.setBufferLength(streamID: 1, milliseconds: 1000)))
        #expect(try commands(afterCreate).first?.name == "play")

        let metadata = server(.data([.string("onMetaData"), .ecmaArray(["width": .number(320)])]), stream: 1)
        #expect(try session.receive(metadata) == [.metadata(["width": .number(320)])])
        let video = RTMPMessage(typeID: 9, streamID: 1, timestamp: 0, chunkStreamID: 6, payload: ByteBuffer(bytes: [0x17, 0]))
        #expect(try session.receive(video) == [.media(video)])
    }

    @Test func aggregateMessagesAreSplitWithRebasedTimestamps() throws {
        var payload = ByteBuffer()
        for (index, time) in [UInt32(100), 140].enumerated() {
            let body: [UInt8] = [0xAF, 0x01, UInt8(index)]
            payload.writeInteger(UInt8(8))
            payload.writeBytes([0, 0, UInt8(body.count)])
            payload.writeBytes([UInt8(time >> 16 & 0xFF), UInt8(time >> 8 & 0xFF), UInt8(time & 0xFF), 0])
            payload.writeBytes([0, 0, 0])
            payload.writeBytes(body)
            payload.writeInteger(UInt32(11 + body.count))
        }
        let aggregate = RTMPMessage(typeID: 22, streamID: 1, timestamp: 5000, chunkStreamID: 4, payload: payload)
        let parts = try RTMPClientSession.splitAggregate(payload, message: aggregate)
        #expect(parts.map(\.timestamp) == [5000, 5040])
        #expect(parts.map(\.typeID) == [8, 8])
        #expect(parts[1].payload == ByteBuffer(bytes: [0xAF, 0x01, 1]))
    }
}
