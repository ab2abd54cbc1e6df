import Foundation
import MediaCore
import NIOCore

/// One RTMS client of the load run, on one event loop: signaling handshake, one media connection on the `all` URL
/// asking for `mediaType`, client ready ack, keep-alive answers on both connections, until the stream terminates.
/// Only the signaling connection decides the outcome: it carries the terminated update (a media connection closed
/// first is not a failure by itself). Media lateness is measured against the recording's own clock: a message whose `timestamp` is t ms after the
/// first one's should arrive t ms (divided by the speed) after it.
/// Confined to its event loop: every callback runs there.
final class LoadSession: @unchecked Sendable {
    struct Setup: Sendable {
        var host: String
        var port: Int
        var meeting: RTMSInstanceID
        var streamID: String
        var signature: String
        var mediaType: RTMSMediaType
        var speed: Double
    }

    private let setup: Setup
    private let loop: any EventLoop
    private let stats: LoadStats
    private var signaling: WebSocketClientConnection?
    private var media: WebSocketClientConnection?
    private var finished = false
    private var first: (arrival: Double, timestamp: Int64)?

    init(setup: Setup, loop: any EventLoop, stats: LoadStats) {
        self.setup = setup
        self.loop = loop
        self.stats = stats
    }

    func start() {
        stats.sessionStarted()
        WebSocketClientConnection.connect(
            host: setup.host, port: setup.port, path: RTMSServerPath.signalingPath, on: loop,
            onMessage: { [self] in signalingMessage($0) }, onClose: { [self] in lost("signaling closed") }
        ).whenComplete { [self] result in
            switch result {
            case .success(let connection):
                signaling = connection
                let request = RTMSMessage.signalingHandshakeRequest(
                    .init(sequence: 1, id: setup.meeting, streamID: setup.streamID, signature: setup.signature))
                connection.send(request.encode())
            case .failure(let error):
                fail("signaling connect: \(type(of: error))")
            }
        }
    }

    private func signalingMessage(_ bytes: ByteBuffer) {
        guard let json = try? JSONValue.parse(bytes), let msgType = json["msg_type"]?.intValue else { return }
        switch msgType {
        case 2:
            guard json["status_code"]?.intValue == 0, let url = json["media_server"]?["server_urls"]?["all"]?.stringValue,
                let path = URL(string: url)?.path
            else { return fail("signaling refused") }
            WebSocketClientConnection.connect(
                host: setup.host, port: setup.port, path: path, on: loop,
                onMessage: { [self] in mediaMessage($0) }, onClose: {}
            ).whenComplete { [self] result in
                switch result {
                case .success(let connection):
                    media = connection
                    let request = RTMSMessage.dataHandshakeRequest(
                        .init(
                            sequence: 2, id: setup.meeting, streamID: setup.streamID, signature: setup.signature,
                            mediaType: setup.mediaType))
                    connection.send(request.encode())
                case .failure(let error):
                    fail("media connect: \(type(of: error))")
                }
            }
        case 12:
            answerKeepAlive(json, on: signaling)
        case 8 where json["state"]?.intValue == 4:
            finished = true
            stats.sessionEnded()
            // Media still on its way on the other connection is counted: close a moment later.
            loop.scheduleTask(in: .seconds(1)) { [self] in
                signaling?.close()
                media?.close()
            }
        default:
            break
        }
    }

    private func mediaMessage(_ bytes: ByteBuffer) {
        let now = Date().timeIntervalSince1970
        if let msgType = MessageScan.msgType(bytes), msgType == 14 || msgType == 17 {
            guard let timestamp = MessageScan.lastTimestamp(bytes) else { return }
            if first == nil { first = (now, timestamp) }
            let expected = Double(timestamp - first!.timestamp) / 1000 / setup.speed
            let late = (now - first!.arrival - expected) * 1000
            stats.media(audio: msgType == 14, bytes: bytes.readableBytes, latenessMilliseconds: late)
            return
        }
        guard let json = try? JSONValue.parse(bytes), let msgType = json["msg_type"]?.intValue else { return }
        switch msgType {
        case 4:
            guard json["status_code"]?.intValue == 0 else { return fail("media refused") }
            stats.sessionReady()
            signaling?.send(RTMSMessage.clientReadyAck(.init(streamID: setup.streamID)).encode())
        case 12:
            answerKeepAlive(json, on: media)
        default:
            break
        }
    }

    private func answerKeepAlive(_ json: JSONValue, on connection: WebSocketClientConnection?) {
        let response = RTMSMessage.keepAliveResponse(
            .init(timestamp: json["timestamp"]?.intValue, sequence: json["sequence"]?.intValue))
        connection?.send(response.encode())
        stats.keepAlive()
    }

    private func lost(_ why: String) {
        guard !finished else { return }
        fail(why)
    }

    private func fail(_ why: String) {
        guard !finished else { return }
        finished = true
        stats.sessionFailed(why)
        signaling?.close()
        media?.close()
    }
}
