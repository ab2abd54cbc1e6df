import Foundation
import MediaCore
import NIOCore
import Testing

@testable import MediaTransport

@Suite struct RTMSWebhookEndpointTests {
    @Test(arguments: [
        ("8080", "127.0.0.1", 8080, nil as String?),
        ("0", "127.0.0.1", 0, nil),
        ("8080/zoom", "127.0.0.1", 8080, "/zoom"),
        ("0.0.0.0:443/hooks/rtms", "0.0.0.0", 443, "/hooks/rtms"),
        ("localhost:9000/", "localhost", 9000, nil),
        ("[::1]:8080/z", "::1", 8080, "/z"),
    ])
    func parses(text: String, host: String, port: Int, path: String?) throws {
        let endpoint = try RTMSWebhookEndpoint(parsing: text)
        #expect(endpoint == RTMSWebhookEndpoint(host: host, port: port, path: path))
    }

    @Test(arguments: ["", "http", "host:", ":80", "70000", "[::1]8080", "a:b:c"])
    func refuses(text: String) {
        #expect(throws: MediaError.self) { try RTMSWebhookEndpoint(parsing: text) }
    }
}

@Suite struct RTMSRecorderTests {
    @Test func directoryNamesAreSafeAndDistinct() {
        #expect(RTMSRecorder.directoryName(for: "03db704592624398931a588dd78200cb") == "03db704592624398931a588dd78200cb")
        let slashy = RTMSRecorder.directoryName(for: "../a/b")
        #expect(!slashy.contains("/") && slashy.hasPrefix(".._a_b-") && slashy.count == "../a/b".count + 9)
        #expect(RTMSRecorder.directoryName(for: "a/b") != RTMSRecorder.directoryName(for: "a_b"))
        #expect(RTMSRecorder.directoryName(for: "..").hasPrefix("stream-"))
        #expect(RTMSRecorder.directoryName(for: "").hasPrefix("stream-"))
        #expect(RTMSRecorder.directoryName(for: String(repeating: "x", count: 300)).count == 109)
    }

    @Test func writesARecordingTheCoreReadsBackAndNeverOverwrites() throws {
        let directory = NSTemporaryDirectory() + "/rtms-recorder-\(UUID().uuidString)/deeper"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let descriptor = RTMSStreamDescriptor(
            product: .meeting, id: RTMSInstanceID(.meetingUUID, "m=="), streamID: "s1",
            serverURLs: ["ws://127.0.0.1:1/signaling"], signature: "deadbeef-signature")
        let recorder = try RTMSRecorder(directory: directory, descriptor: descriptor, createdMicros: 1)
        #expect(recorder.path.hasSuffix("/s1/stream.mrtms"))
        try recorder.message(ByteBuffer(string: #"{"msg_type":12,"timestamp":1,"sequence":1}"#), binary: false,
                             connection: .signaling, arrivalMicros: 5)
        try recorder.message(ByteBuffer(string: #"{"msg_type":14}"#), binary: true, connection: .media(.audio), arrivalMicros: 6)
        try recorder.marker(RTMSEvent(stream: "s1", .ended(.stopped)), arrivalMicros: 7)
        try recorder.close()
        try recorder.close()

        let second = try RTMSRecorder(directory: directory, descriptor: descriptor, createdMicros: 2)
        #expect(second.path.hasSuffix("/s1/stream-2.mrtms"))
        try second.close()

        let data = try Data(contentsOf: URL(fileURLWithPath: recorder.path))
        #expect(data.range(of: Data("deadbeef-signature".utf8)) == nil)
        var reader = RTMSRecordingReader()
        reader.append(ByteBuffer(bytes: data))
        reader.inputEnded()
        var records: [RTMSRecordingRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(reader.damage == nil)
        #expect(reader.header?.descriptor?.streamID == "s1")
        #expect(records.map(\.kind) == [.textMessage, .binaryMessage, .marker])
        #expect(records.map(\.arrivalMicros) == [5, 6, 7])
        #expect(records[1].connection == .media(.audio))
        #expect(String(buffer: records[0].payload) == #"{"msg_type":12,"timestamp":1,"sequence":1}"#)
    }

    @Test func aFailedWriteIsAnIOError() throws {
        let directory = NSTemporaryDirectory() + "/rtms-recorder-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // A file where the stream's directory should be.
        #expect(FileManager.default.createFile(atPath: directory + "/s1", contents: Data()))
        let descriptor = RTMSStreamDescriptor(
            product: .meeting, id: RTMSInstanceID(.meetingUUID, "m"), streamID: "s1", serverURLs: ["ws://x"])
        #expect {
            _ = try RTMSRecorder(directory: directory, descriptor: descriptor, createdMicros: 1)
        } throws: { ($0 as? MediaError)?.kind == .io }
    }
}
