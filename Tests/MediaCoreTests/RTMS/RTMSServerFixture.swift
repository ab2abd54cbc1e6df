import MediaCore
import NIOCore

/// A small recorded stream and the client messages that talk to an emulator serving it.
enum RTMSServerFixture {
    static let meeting = RTMSInstanceID(.meetingUUID, "4nYtdqLVTVqGJ+QB62ED7Q==")
    static let streamID = "03db704592624398931a588dd78200cb"
    static let descriptor = RTMSStreamDescriptor(product: .meeting, id: meeting, streamID: streamID, serverURLs: [])
    static let credentials = RTMSCredentials(clientID: "testclient", clientSecret: "testsecret")
    /// The notes' worked example for these ids and credentials.
    static let signature = "ea37996274d1ccf65a8093c260daf165d739f5dcb2e19ef40a90dd101043ab63"
    static let baseURL = "ws://127.0.0.1:9"
    /// Arrival of the first record, Unix microseconds.
    static let t0: UInt64 = 1_735_732_800_000_000
    static let firstPacket: Int64 = 1_735_732_800_002

    static func record(_ ms: UInt64, _ connection: RTMSConnectionID?, _ json: String, kind: RTMSRecordingRecord.Kind = .textMessage)
        -> RTMSRecordingRecord
    {
        RTMSRecordingRecord(kind: kind, connection: connection, arrivalMicros: t0 + ms * 1000, payload: ByteBuffer(string: json))
    }

    static let activeSpeaker = #"{"msg_type":6,"event":{"event_type":2,"timestamp":1735732800010,"user_id":7,"user_name":"Ann"}}"#
    static let audio1 = #"{"msg_type":14,"content":{"user_id":7,"data":"AAEC","length":3,"timestamp":1735732800020}}"#
    static let audio2 = #"{"msg_type":14,"content":{"user_id":7,"data":"AwQF","length":3,"timestamp":1735732800040}}"#
    static let transcript = #"{"msg_type":17,"content":{"user_id":7,"timestamp":1735732800050,"language":9,"data":"hello"}}"#
    static let audio3 = #"{"msg_type":14,"content":{"user_id":7,"data":"BgcI","length":3,"timestamp":1735732800060}}"#

    /// Handshake responses and keep-alives (not replayed), the opening and the end (generated), and five items:
    /// an active speaker event at offset 0, audio at 10, 30 and 50 ms, a transcript at 40 ms; the end at 90 ms.
    static func records(endMs: UInt64 = 100) -> [RTMSRecordingRecord] {
        [
            record(0, .signaling, #"{"msg_type":2,"protocol_version":1,"sequence":0,"status_code":0,"reason":"","media_server":{"server_urls":{"all":"wss://x/all"}}}"#),
            record(1, .media(.all), #"{"msg_type":4,"protocol_version":1,"status_code":0,"reason":"","sequence":0,"media_params":{"audio":{"content_type":2,"sample_rate":1,"channel":1,"codec":1,"data_opt":1,"send_rate":20}}}"#),
            record(2, .signaling, #"{"msg_type":6,"event":{"event_type":1,"timestamp":1735732800002}}"#),
            record(3, .signaling, #"{"msg_type":9,"state":2,"timestamp":1735732800003,"rtms_session_id":"sess-1"}"#),
            record(4, nil, #"{"type":"rtms.reconnect","gap_ms":0}"#, kind: .marker),
            record(10, .signaling, activeSpeaker),
            record(20, .media(.all), audio1),
            record(40, .media(.all), audio2),
            record(45, .signaling, #"{"msg_type":12,"timestamp":1735732800045,"sequence":4}"#),
            record(50, .media(.all), transcript),
            record(60, .media(.all), audio3),
            record(endMs, .signaling, #"{"msg_type":8,"state":4,"reason":6,"timestamp":1735732800100}"#),
        ]
    }

    static func script(endMs: UInt64 = 100) -> RTMSPlaybackScript {
        var builder = RTMSPlaybackScriptBuilder(descriptor: descriptor)
        for r in records(endMs: endMs) { builder.add(r) }
        return builder.build()
    }

    static func options(_ change: (inout RTMSServerOptions) -> Void = { _ in }) -> RTMSServerOptions {
        // No grace after the end unless a test wants one: the closes follow the terminated update at once.
        var o = RTMSServerOptions(endGrace: 0, credentials: credentials, baseURL: baseURL)
        change(&o)
        return o
    }

    static func signalingRequest(signature: String = signature, streamID: String = streamID) -> ByteBuffer {
        RTMSMessage.signalingHandshakeRequest(
            .init(sequence: 1, id: meeting, streamID: streamID, signature: signature, bufferData: false)
        ).encode()
    }

    static func mediaRequest(_ types: RTMSMediaType, parameters: RTMSMediaParameters? = nil, signature: String = signature)
        -> ByteBuffer
    {
        RTMSMessage.dataHandshakeRequest(
            .init(sequence: 2, id: meeting, streamID: streamID, signature: signature, mediaType: types, mediaParameters: parameters)
        ).encode()
    }

    static let clientReady = RTMSMessage.clientReadyAck(.init(streamID: streamID)).encode()

    static func keepAliveResponse(_ request: RTMSMessage.KeepAlive) -> ByteBuffer {
        RTMSMessage.keepAliveResponse(request.response).encode()
    }

    /// Actions as short strings, for exact comparisons: "send #1 2", "close #2 abort", "emit rtms.serve.playing".
    static func summary(_ actions: [RTMSServerAction]) -> [String] {
        actions.map { action in
            switch action {
            case .send(let c, let frame): return "send \(c) \(frame.msgType)"
            case .close(let c, .normal): return "close \(c) normal"
            case .close(let c, .abort): return "close \(c) abort"
            case .emit(let event): return "emit \(event.type)"
            }
        }
    }

    /// The messages sent on `connection`, decoded.
    static func sent(_ actions: [RTMSServerAction], on connection: RTMSServerConnection) throws -> [RTMSMessage] {
        try actions.compactMap { action in
            guard case .send(let c, let frame) = action, c == connection else { return nil }
            return try frame.message()
        }
    }

    /// The payloads sent, as text.
    static func payloads(_ actions: [RTMSServerAction]) -> [String] {
        actions.compactMap { action in
            guard case .send(_, let frame) = action else { return nil }
            return String(buffer: frame.payload)
        }
    }

    static let c1 = RTMSServerConnection(1)
    static let c2 = RTMSServerConnection(2)
    static let c3 = RTMSServerConnection(3)
    static let c4 = RTMSServerConnection(4)
}
