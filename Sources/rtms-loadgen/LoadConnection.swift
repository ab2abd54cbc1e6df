import Foundation
import HummingbirdWebSocket
import MediaCore
import NIOCore
import NIOWebSocket

/// The two kinds of load connection. Each runs a reader (handshake first, then ready acks and keep-alive
/// responses) and a sender (keep-alives, media, the end of the stream) until the client closes.
enum LoadConnection {
    static func now() -> Double { Date().timeIntervalSince1970 }

    static func signaling(
        _ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, base: String,
        registry: StreamRegistry, stats: LoadStats, settings: LoadSettings, ticker: Ticker,
        ended: @escaping @Sendable (Int) -> Void
    ) async throws {
        var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        guard let request = try await nextMessage(&messages), request.msgType == 1,
            case .signalingHandshakeRequest(let handshake) = request
        else { return }
        let stream = handshake.streamID ?? ""
        stats.streamStarted()
        let media = "\(base)/media"
        try await send(
            outbound,
            #"{"msg_type":2,"protocol_version":1,"sequence":\#(handshake.sequence ?? 0),"status_code":0,"reason":"","media_server":{"server_urls":{"audio":"\#(media)/audio","video":"\#(media)/video","all":"\#(media)/all"}}}"#)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var nextKeepAlive = now() + settings.keepAliveInterval
                var sequence = 0
                for await t in ticker.subscribe() {
                    if t >= nextKeepAlive {
                        sequence += 1
                        nextKeepAlive += settings.keepAliveInterval
                        stats.keepAlive(response: false)
                        try await send(outbound, #"{"msg_type":12,"timestamp":\#(Int64(t * 1000)),"sequence":\#(sequence)}"#)
                    }
                    if let start = registry.readyTime(stream), t >= start + settings.duration, registry.mediaDone(stream) {
                        let ms = Int64(t * 1000)
                        try await send(outbound, #"{"msg_type":8,"state":4,"reason":6,"timestamp":\#(ms)}"#)
                        registry.end(stream)
                        ended(stats.streamEnded())
                        return
                    }
                }
            }
            // Read until the client closes, then stop the sender (done or not).
            while let message = try await nextMessage(&messages) {
                switch message {
                case .clientReadyAck: registry.ready(stream, at: now())
                case .keepAliveResponse: stats.keepAlive(response: true)
                default: break
                }
            }
            group.cancelAll()
        }
    }

    static func media(
        _ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, payloads: MediaPayloads,
        registry: StreamRegistry, stats: LoadStats, settings: LoadSettings, ticker: Ticker
    ) async throws {
        var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        guard let request = try await nextMessage(&messages), case .dataHandshakeRequest(let handshake) = request else {
            return
        }
        let stream = handshake.streamID ?? ""
        let mask = handshake.mediaType ?? .all
        let audio = mask.contains(.audio) || mask.contains(.all)
        let video = mask.contains(.video) || mask.contains(.all)
        try await send(
            outbound,
            #"{"msg_type":4,"protocol_version":1,"status_code":0,"reason":"","sequence":\#(handshake.sequence ?? 0),"payload_encrypted":false,"media_params":{"audio":{"content_type":2,"sample_rate":1,"channel":1,"codec":1,"data_opt":1,"send_rate":20},"video":{"content_type":3,"codec":7,"resolution":2,"data_opt":3,"fps":30}}}"#)
        try await withThrowingTaskGroup(of: Void.self) { group in
            registry.senderStarted(stream)
            group.addTask {
                defer { registry.senderFinished(stream) }
                let ticks = ticker.subscribe()
                var t0: Double?
                var nextKeepAlive = 0.0
                var keepAliveSequence = 0
                var audioIndex = 0
                var videoIndex = 0
                for await t in ticks {
                    guard let start = t0 ?? registry.readyTime(stream) else { continue }
                    if t0 == nil {
                        t0 = max(start, t)
                        nextKeepAlive = t0! + settings.keepAliveInterval
                    }
                    let origin = t0!
                    let end = origin + settings.duration
                    if t >= nextKeepAlive {
                        keepAliveSequence += 1
                        nextKeepAlive += settings.keepAliveInterval
                        stats.keepAlive(response: false)
                        try await send(
                            outbound, #"{"msg_type":12,"timestamp":\#(Int64(t * 1000)),"sequence":\#(keepAliveSequence)}"#)
                    }
                    // Everything due by now, in schedule order.
                    while true {
                        let audioDue = audio ? origin + Double(audioIndex) * MediaPayloads.audioPeriod : .infinity
                        let videoDue = video ? origin + Double(videoIndex) * MediaPayloads.videoPeriod : .infinity
                        let due = min(audioDue, videoDue)
                        guard due < end, due <= t else { break }
                        let isVideo = videoDue < audioDue
                        let message =
                            isVideo
                            ? payloads.video(index: videoIndex, timestamp: Int64(due * 1000))
                            : payloads.audio(timestamp: Int64(due * 1000))
                        if isVideo { videoIndex += 1 } else { audioIndex += 1 }
                        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: message)))
                        stats.sent(video: isVideo, bytes: message.readableBytes, lagMilliseconds: (now() - due) * 1000)
                    }
                    let audioLeft = audio && origin + Double(audioIndex) * MediaPayloads.audioPeriod < end
                    let videoLeft = video && origin + Double(videoIndex) * MediaPayloads.videoPeriod < end
                    if !audioLeft && !videoLeft { return }
                }
            }
            while let message = try await nextMessage(&messages) {
                if case .keepAliveResponse = message { stats.keepAlive(response: true) }
            }
            group.cancelAll()
        }
    }

    private static func send(_ outbound: WebSocketOutboundWriter, _ text: String) async throws {
        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text))))
    }

    private static func nextMessage(_ iterator: inout WebSocketInboundMessageStream.AsyncIterator) async throws -> RTMSMessage? {
        while let message = try await iterator.next() {
            let buffer: ByteBuffer
            switch message {
            case .text(let text): buffer = ByteBuffer(string: text)
            case .binary(let bytes): buffer = bytes
            }
            if let decoded = try? RTMSMessage.decode(buffer) { return decoded }
        }
        return nil
    }
}
