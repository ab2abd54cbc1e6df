import Foundation
import MediaCore
import NIOCore
import Testing

/// `mediactl rtms replay RECORDING` (events): the sample meeting comes out message by message as the recording holds
/// it, in the schema `rtms listen --json` prints; damage stops the replay where it is, with its byte offset.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RTMSReplayEventsTests {
    typealias Scratch = HarnessTests.Scratch

    static let mediaTypes: [Int: String] = [14: "rtms.audio", 15: "rtms.video", 16: "rtms.share", 17: "rtms.transcript", 18: "rtms.chat"]

    /// What line a recorded message must give, checked field by field against the message itself.
    static func check(_ line: [String: Any], against message: [String: Any], connection: UInt8) {
        let msgType = message["msg_type"] as? Int ?? -1
        let type = line["type"] as? String
        #expect(line["stream"] as? String == ReplaySample.streamID)
        switch msgType {
        case 14...18:
            let content = message["content"] as? [String: Any] ?? [:]
            #expect(type == mediaTypes[msgType])
            #expect(line["user_id"] as? Int == content["user_id"] as? Int)
            #expect(line["user_name"] as? String == content["user_name"] as? String)
            #expect(line["ts"] as? Int == content["timestamp"] as? Int)
            if msgType == 17 || msgType == 18 {
                #expect(line["text"] as? String == content["data"] as? String)
                #expect(line["start_time"] as? Int == content["start_time"] as? Int)
            } else {
                #expect(line["data"] as? String == content["data"] as? String)
                let decoded = Data(base64Encoded: content["data"] as? String ?? "")
                #expect(line["bytes"] as? Int == decoded?.count)
            }
            let names: [UInt8: String] = [1: "audio", 2: "video", 4: "deskshare", 8: "transcript"]
            #expect(line["connection"] as? String == names[connection])
        case 6:
            let event = message["event"] as? [String: Any] ?? [:]
            #expect(type == "rtms.event")
            #expect(line["event_type"] as? Int == event["event_type"] as? Int)
            #expect(line["ts"] as? Int == event["timestamp"] as? Int)
            #expect(line["user_id"] as? Int == event["user_id"] as? Int)
        case 9:
            #expect(type == "rtms.session")
            #expect(line["state"] as? Int == message["state"] as? Int)
            #expect(line["session_id"] as? String == message["rtms_session_id"] as? String)
        case 8:
            #expect(type == "rtms.stream")
            #expect(line["state"] as? Int == message["state"] as? Int)
            #expect(line["reason"] as? Int == message["reason"] as? Int)
        case 2, 4:
            #expect(type == "rtms.connected")
        default:
            Issue.record("unexpected msg_type \(msgType) in the sample")
        }
    }

    @Test func everyRecordedMessageComesOutInOrder() throws {
        let (_, records) = try ReplaySample.records()
        let result = try MediaCtl.run(["rtms", "replay", "--json", "--emit-media", ReplaySample.directory], timeout: 30)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let lines = ReplaySample.jsonLines(result.stdoutText)
        // Keep-alive requests are protocol plumbing: listen prints no line for them, and neither does replay.
        let expected = records.filter { $0.msgType != 12 }
        try #require(lines.count == expected.count, "\(lines.count) lines for \(expected.count) records")
        for (line, record) in zip(lines, expected) {
            switch record.kind {
            case 1, 2: Self.check(line, against: record.json ?? [:], connection: record.connection)
            case 3: #expect(NSDictionary(dictionary: line) == NSDictionary(dictionary: record.json ?? [:]))
            case 4:
                #expect(line["type"] as? String == "rtms.note")
                #expect(line["text"] as? String == String(decoding: record.payload, as: UTF8.self))
            default: Issue.record("record kind \(record.kind)")
            }
        }
        #expect(lines.filter { $0["type"] as? String == "rtms.audio" }.count == 294)
        #expect(lines.last?["type"] as? String == "rtms.end")
    }

    @Test func withoutEmitMediaThePayloadStaysOutButTextStays() throws {
        let result = try MediaCtl.run(["rtms", "replay", "--json", ReplaySample.file], timeout: 30)
        #expect(result.exitCode == 0)
        let lines = ReplaySample.jsonLines(result.stdoutText)
        #expect(lines.allSatisfy { $0["data"] == nil })
        #expect(lines.contains { $0["text"] as? String == "Good morning, everyone." })
        #expect(lines.filter { $0["type"] as? String == "rtms.video" }.allSatisfy { ($0["bytes"] as? Int ?? 0) > 0 })
    }

    @Test func readableLinesWithoutJSON() throws {
        let result = try MediaCtl.run(["rtms", "replay", "--types", "transcript,event", ReplaySample.directory], timeout: 30)
        #expect(result.exitCode == 0)
        let lines = result.stdoutLines
        #expect(lines.count == 13)
        #expect(lines.contains { $0.hasSuffix(#"transcript  Alice Tester (16778240): "Good morning, everyone.""#) })
        #expect(lines.contains { $0.contains("sharing_start  Bob Example (16779264)") })
        #expect(!result.stdoutText.contains("{"))
    }

    @Test func filtersByTypeAndParticipant() throws {
        var result = try MediaCtl.run(["rtms", "replay", "--json", "--types", "transcript", ReplaySample.directory], timeout: 30)
        var lines = ReplaySample.jsonLines(result.stdoutText)
        #expect(lines.map { $0["text"] as? String ?? "" } == [
            "Good morning, everyone.", "Let me share my screen.", "Here is the quarterly plan.", "Thanks, that looks good.",
        ])
        result = try MediaCtl.run(["rtms", "replay", "--json", "--user", "16779264", ReplaySample.directory], timeout: 30)
        lines = ReplaySample.jsonLines(result.stdoutText)
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { line in
            line["user_id"] as? Int == 16_779_264
                || (line["participants"] as? [[String: Any]] ?? []).contains { $0["user_id"] as? Int == 16_779_264 }
        })
        #expect(Set(lines.compactMap { $0["type"] as? String }) == ["rtms.audio", "rtms.video", "rtms.share", "rtms.transcript", "rtms.event"])
        result = try MediaCtl.run(["rtms", "replay", "--types", "audio,sound", ReplaySample.directory], timeout: 30)
        #expect(result.exitCode == 64)
        #expect(result.stderr.contains("sound"))
    }

    @Test(arguments: [100, 40_000, 300_000])
    func aTruncatedCopyStopsAtTheDamage(cutAfter: Int) throws {
        let scratch = try Scratch()
        let (_, records) = try ReplaySample.records()
        let original = try Data(contentsOf: URL(fileURLWithPath: ReplaySample.file))
        let headerEnd = records[0].offset
        let cut = headerEnd + cutAfter
        // The record the cut falls in: everything before it is intact.
        let broken = try #require(records.last { $0.offset <= cut })
        try #require(broken.offset < cut)
        let copy = scratch.file("cut.mrtms")
        try original.prefix(cut).write(to: URL(fileURLWithPath: copy))

        let result = try MediaCtl.run(["rtms", "replay", "--json", copy], timeout: 30)
        #expect(result.exitCode == 65)
        let lines = ReplaySample.jsonLines(result.stdoutText)
        let damage = try #require(lines.last)
        #expect(damage["type"] as? String == "rtms.damage")
        #expect(damage["offset"] as? Int == broken.offset)
        #expect((damage["reason"] as? String ?? "").contains("incomplete record"))
        #expect(damage["file"] as? String == copy)
        let intact = records.filter { $0.offset < broken.offset && $0.msgType != 12 }
        #expect(lines.count - 1 == intact.count)
        #expect(result.stderr.contains("byte \(broken.offset)"))
    }

    @Test func aCorruptedRecordStopsTheReplayThere() throws {
        let scratch = try Scratch()
        let (_, records) = try ReplaySample.records()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: ReplaySample.file)))
        let victim = records[200]
        bytes[victim.offset + 20] ^= 0x01  // inside the payload: the checksum no longer matches
        let copy = scratch.file("flipped.mrtms")
        try Data(bytes).write(to: URL(fileURLWithPath: copy))
        let result = try MediaCtl.run(["rtms", "replay", "--json", copy], timeout: 30)
        #expect(result.exitCode == 65)
        let lines = ReplaySample.jsonLines(result.stdoutText)
        #expect(lines.last?["type"] as? String == "rtms.damage")
        #expect(lines.last?["offset"] as? Int == victim.offset)
        #expect((lines.last?["reason"] as? String ?? "").contains("checksum"))
        #expect(lines.count - 1 == records.prefix(200).filter { $0.msgType != 12 }.count)
        // Without --json the damage is said on stderr only.
        let text = try MediaCtl.run(["rtms", "replay", copy], timeout: 30)
        #expect(text.exitCode == 65)
        #expect(text.stderr.contains("recording damaged at byte \(victim.offset)"))
    }

    @Test func aWholeRecordDirectoryMergesItsStreamsAndStreamPicksOne() throws {
        let scratch = try Scratch()
        let root = scratch.file("rec")
        try FileManager.default.createDirectory(atPath: "\(root)/\(ReplaySample.streamID)", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ReplaySample.file, toPath: "\(root)/\(ReplaySample.streamID)/stream.mrtms")
        // A second stream, written with the core's writer, a second into the sample meeting.
        let other = RTMSStreamDescriptor(
            product: .meeting, id: RTMSInstanceID(.meetingUUID, "other=="), streamID: "other-stream", serverURLs: ["wss://x"])
        var file = RTMSRecordingWriter.header(descriptor: other, createdMicros: 1_735_732_800_000_000)
        for k in 0..<3 {
            let json = #"{"msg_type":17,"content":{"user_id":9,"timestamp":\#(1_735_732_801_000 + k),"data":"other \#(k)"}}"#
            try RTMSRecordingWriter.writeRecord(
                RTMSRecordingRecord(
                    kind: .textMessage, connection: .media(.transcript),
                    arrivalMicros: 1_735_732_801_000_000 + UInt64(k) * 1000, payload: ByteBuffer(string: json)),
                into: &file)
        }
        try FileManager.default.createDirectory(atPath: "\(root)/other-stream", withIntermediateDirectories: true)
        try Data(file.readableBytesView).write(to: URL(fileURLWithPath: "\(root)/other-stream/stream.mrtms"))

        var result = try MediaCtl.run(["rtms", "replay", "--json", "--types", "transcript", root], timeout: 30)
        #expect(result.exitCode == 0)
        let lines = ReplaySample.jsonLines(result.stdoutText)
        #expect(lines.map { $0["text"] as? String ?? "" } == [
            "other 0", "other 1", "other 2", "Good morning, everyone.", "Let me share my screen.",
            "Here is the quarterly plan.", "Thanks, that looks good.",
        ])
        result = try MediaCtl.run(["rtms", "replay", "--json", "--types", "transcript", "--stream", "other-stream", root], timeout: 30)
        #expect(ReplaySample.jsonLines(result.stdoutText).count == 3)
        result = try MediaCtl.run(["rtms", "replay", "--stream", "nope", root], timeout: 30)
        #expect(result.exitCode == 4)
        #expect(result.stderr.contains("other-stream"))
        result = try MediaCtl.run(["rtms", "replay", scratch.file("missing")], timeout: 30)
        #expect(result.exitCode == 66)
    }

    @Test func pacing() throws {
        // The sample spans 6.46 s from its first record to its last.
        let fast = try MediaCtl.run(["rtms", "replay", "--json", ReplaySample.directory], timeout: 30)
        #expect(fast.duration < 3, "unpaced replay took \(fast.duration) s")
        let paced = try MediaCtl.run(["rtms", "replay", "--json", "--speed", "4", ReplaySample.directory], timeout: 30)
        #expect(paced.exitCode == 0)
        #expect(paced.duration >= 1.6 && paced.duration < 4, "--speed 4 took \(paced.duration) s")
        let stop = try MediaCtl.start(["rtms", "replay", "--realtime", ReplaySample.directory])
        _ = try stop.readLine(timeout: 10)
        stop.interrupt()
        let interrupted = try stop.waitForExit(timeout: 10)
        #expect(interrupted.exitCode == 130)
        #expect(interrupted.duration < 3)
    }
}
