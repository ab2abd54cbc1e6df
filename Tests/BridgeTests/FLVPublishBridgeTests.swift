import Bridge
import Foundation
import MediaCore
import NIOCore
import Remux
import Testing

/// The bridge between RTMS messages and an RTMP publisher: FLV out, bounded while nobody reads, and unblocked
/// (with an error) when the reader goes away.
@Suite struct FLVPublishBridgeTests {
    static let start: Int64 = 1_735_732_800_000

    /// 20 ms of a 1 kHz sine as 16 kHz mono L16, one RTMS audio message.
    static func audio(_ index: Int, user: Int64 = 7) -> RTMSMessage {
        var bytes = ByteBuffer()
        for n in 0..<320 {
            let t = Double(index * 320 + n) / 16000
            bytes.writeInteger(Int16(sin(2 * .pi * 1000 * t) * 12000), endianness: .little)
        }
        return .audio(RTMSMediaContent(userID: user, data: bytes, timestamp: start + Int64(index) * 20))
    }

    static let handshake = RTMSMessage.dataHandshakeResponse(
        .init(mediaParameters: RTMSMediaParameters(audio: RTMSAudioParameters(sampleRate: .hz16000, channel: .mono, codec: .l16))))

    /// Every tag of an FLV byte stream.
    static func tags(_ bytes: ByteBuffer) throws -> [FLVTag] {
        var reader = FLVReader()
        reader.append(bytes)
        var tags: [FLVTag] = []
        while let event = try reader.next() {
            if case .tag(let tag) = event { tags.append(tag) }
        }
        return tags
    }

    @Test func messagesComeOutAsFLVTheReaderPulls() async throws {
        let bridge = FLVPublishBridge(configuration: FLVRemuxConfiguration(output: .standardOutput), selection: RTMSFLVSelection())
        let reader = Task {
            var all = ByteBuffer()
            while var block = try await bridge.read() { all.writeBuffer(&block) }
            return all
        }
        try await bridge.add(Self.handshake)
        for index in 0..<250 { try await bridge.add(Self.audio(index)) }
        let result = try bridge.finish()
        let bytes = try await reader.value
        #expect(result.audioCodec == .l16(sampleRate: 16000, channels: 1))
        #expect(result.audioMessages == 250)
        #expect(bytes.getString(at: 0, length: 3) == "FLV")
        let tags = try Self.tags(bytes)
        let audio = tags.filter { $0.type == .audio }
        // 5 s of 16 kHz in 1024-sample AAC frames, the priming frame and the sequence header.
        #expect(audio.count >= 5 * 16000 / 1024 + 1)
        #expect(Int64(audio.last!.timestamp) >= 4900)
        #expect(result.summary.bytesWritten == Int64(bytes.readableBytes))
    }

    /// Nobody reads: `add` stops returning once the queue is full, so memory stays bounded; reading lets it go on.
    @Test func aFullQueueHoldsTheWriterBack() async throws {
        let capacity = 16 << 10
        let bridge = FLVPublishBridge(
            configuration: FLVRemuxConfiguration(output: .standardOutput), selection: RTMSFLVSelection(), capacityBytes: capacity)
        let added = Counter()
        let writer = Task {
            try await bridge.add(Self.handshake)
            for index in 0..<3000 {
                try await bridge.add(Self.audio(index))
                added.increment()
            }
            return try bridge.finish()
        }
        // Wait (at most 30 s, for a loaded machine) until the writer has made no progress for 500 ms.
        var stalled = -1
        let deadline = ContinuousClock.now + .seconds(30)
        while added.value != stalled && ContinuousClock.now < deadline {
            stalled = added.value
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(added.value == stalled, "the writer went on without a reader")
        #expect(stalled < 3000)
        // About 16 KiB of AAC at 96 kbit/s is ~1.4 s of audio: 70 messages, far from the 3000 offered.
        #expect(stalled < 200, "\(stalled) messages queued for \(capacity) bytes")
        var total = 0
        while let block = try await bridge.read() { total += block.readableBytes }
        let result = try await writer.value
        #expect(result.audioMessages == 3000)
        #expect(Int64(total) == result.summary.bytesWritten)
    }

    /// The publisher is done (`stop()`) while the writer waits for room: the writer gets an error instead of
    /// waiting forever. Likewise when the writing task is cancelled.
    @Test(arguments: [false, true])
    func aWaitingWriterIsReleased(byCancelling: Bool) async throws {
        let bridge = FLVPublishBridge(
            configuration: FLVRemuxConfiguration(output: .standardOutput), selection: RTMSFLVSelection(), capacityBytes: 4096)
        let added = Counter()
        let writer = Task {
            try await bridge.add(Self.handshake)
            for index in 0..<100_000 {
                try await bridge.add(Self.audio(index))
                added.increment()
            }
        }
        _ = try await bridge.read()
        try await Task.sleep(for: .milliseconds(300))
        #expect(added.value < 1000, "the writer is not held back")
        if byCancelling { writer.cancel() } else { bridge.stop() }
        let outcome = await writer.result
        guard case .failure(let error) = outcome else {
            Issue.record("the writer finished although nobody read")
            return
        }
        #expect((error as? MediaError)?.kind == .interrupted)
    }

    /// The converter's progress carries the remuxer's summary so far: nothing while the messages are held for
    /// the video codec (`codecWaitMs`, 2 s), then a duration that grows while converting; audio alone has no
    /// picture size.
    @Test func progressWhileConverting() async throws {
        let bridge = FLVPublishBridge(configuration: FLVRemuxConfiguration(output: .standardOutput), selection: RTMSFLVSelection())
        let reader = Task { while try await bridge.read() != nil {} }
        try await bridge.add(Self.handshake)
        var durations: [Int64] = []
        for index in 0..<250 {
            try await bridge.add(Self.audio(index))
            if index % 50 == 49 { durations.append(bridge.progress.summary.durationMs) }
        }
        #expect(durations[0] == 0 && durations[1] == 0, "\(durations)")
        #expect(durations[2] > 500 && durations[3] > durations[2] + 800 && durations[4] > durations[3] + 800, "\(durations)")
        let later = durations[4]
        #expect(bridge.pictureSize == nil)
        let result = try bridge.finish()
        try await reader.value
        #expect(result.summary.durationMs >= later)
    }

    @Test func userSelectionAndVideoSource() throws {
        let converter = RTMSFLVConverter(
            configuration: FLVRemuxConfiguration(output: .sink { _ in }), selection: RTMSFLVSelection(video: .share, audioUserID: 7))
        try converter.add(Self.handshake)
        for index in 0..<50 { try converter.add(Self.audio(index, user: index % 2 == 0 ? 7 : 8)) }
        try converter.add(.video(RTMSMediaContent(data: ByteBuffer(bytes: [0, 0, 0, 1, 0x09]), timestamp: Self.start)))
        let result = try converter.finish()
        #expect(result.audioMessages == 25)
        #expect(result.messagesSkipped == 26)
        #expect(result.videoCodec == nil)
        #expect(result.summary.hasAudio && !result.summary.hasVideo)
    }

    @Test func codecsFromMediaParameters() throws {
        #expect(try RTMSFLVCodecs.audio(nil) == .l16(sampleRate: 16000, channels: 1))
        #expect(try RTMSFLVCodecs.audio(RTMSAudioParameters(sampleRate: .hz48000, channel: .stereo, codec: .l16)) == .l16(sampleRate: 48000, channels: 2))
        #expect(try RTMSFLVCodecs.audio(RTMSAudioParameters(codec: .g711)) == .g711mu)
        #expect(try RTMSFLVCodecs.audio(RTMSAudioParameters(codec: .g722)) == .g722)
        #expect(try RTMSFLVCodecs.audio(RTMSAudioParameters(channel: .stereo, codec: .opus)) == .opus(channels: 2))
        #expect(throws: MediaError.self) { try RTMSFLVCodecs.audio(RTMSAudioParameters(codec: .jpg)) }
        #expect(try RTMSFLVCodecs.video(RTMSVideoParameters(codec: .png), firstPayload: nil) == .png)
        #expect(try RTMSFLVCodecs.video(nil, firstPayload: ByteBuffer(bytes: [0xFF, 0xD8, 0xFF, 0xE0])) == .jpeg)
        #expect(try RTMSFLVCodecs.video(nil, firstPayload: ByteBuffer(bytes: [0x89, 0x50, 0x4E, 0x47])) == .png)
        #expect(try RTMSFLVCodecs.video(nil, firstPayload: ByteBuffer(bytes: [0, 0, 0, 1, 0x67])) == .h264)
        #expect(try RTMSFLVCodecs.video(nil, firstPayload: nil) == nil)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
