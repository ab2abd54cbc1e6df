import Foundation
import NIOCore
import Remux
import Testing

/// Every RTMS audio codec into AAC in FLV, checked by decoding the tone back.
@Suite struct AudioRemuxTests {
    static let start: Int64 = 1_700_000_000_000

    /// Feeds `data` in messages of `bytesPerMessage`, each `millisecondsPerMessage` later than the last.
    static func feed(_ remuxer: FLVRemuxer, _ data: Data, bytesPerMessage: Int, millisecondsPerMessage: Int64,
                     from start: Int64 = start) throws -> Int64 {
        let data = Data(data)  // a slice keeps its parent's indices
        var time = start
        var offset = 0
        while offset < data.count {
            let end = min(offset + bytesPerMessage, data.count)
            try remuxer.appendAudio(ByteBuffer(bytes: data[offset..<end]), timestampMs: time)
            offset = end
            time += millisecondsPerMessage
        }
        return time
    }

    static func checkTone(_ url: URL, rate: Int, seconds: Double) throws {
        let samples = try TestMedia.decodeAudio(url, rate: rate)
        let frequency = TestMedia.frequency(samples, rate: rate, seconds: 0.5...(seconds - 0.5))
        #expect(abs(frequency - 1000) < 10, "tone came back at \(frequency) Hz")
        #expect(TestMedia.rms(samples, rate: rate, seconds: 0.5...(seconds - 0.5)) > 1000)
    }

    @Test(arguments: [(8000, 1), (16000, 1), (32000, 1), (48000, 1), (16000, 2), (48000, 2)])
    func l16ToAAC(rate: Int, channels: Int) throws {
        let directory = try TestMedia.directory()
        let pcm = try TestMedia.sinePCM(rate: rate, channels: channels, seconds: 3, in: directory)
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path),
                                     audio: .l16(sampleRate: rate, channels: channels), video: nil)
        // 20 ms messages, as RTMS sends them.
        _ = try Self.feed(remuxer, pcm, bytesPerMessage: rate / 50 * 2 * channels, millisecondsPerMessage: 20)
        let summary = try remuxer.finish()

        let probe = try TestMedia.probe(output)
        #expect(probe.streams.count == 1)
        let audio = try #require(probe.stream("audio"))
        #expect(audio["codec_name"] as? String == "aac")
        #expect(audio["sample_rate"] as? String == "\(rate)")
        #expect(audio["channels"] as? Int == channels)
        // FLV has no edit list: the AAC encoder's 1024 priming samples stay in the file, before the content.
        let priming = 1024.0 / Double(rate)
        #expect(abs(probe.duration - 3.0 - priming) < 0.05, "duration \(probe.duration)")
        #expect(summary.hasAudio && !summary.hasVideo)
        #expect(abs(Double(summary.durationMs) / 1000 - 3.0 - priming) < 0.05, "summary duration \(summary.durationMs)")
        #expect(summary.silenceInsertedMs == 0)
        #expect(summary.timestampsCorrected == 0)
        #expect(summary.audioPackets == (rate * 3 + 1023) / 1024 + 1)  // + the encoder's priming packet
        let fileSize = try FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int
        #expect(summary.bytesWritten == Int64(fileSize ?? -1))
        try Self.checkTone(output, rate: rate, seconds: 3)
        #expect(try TestMedia.decodeErrors(output) == "")
    }

    @Test(arguments: [("mulaw", "pcm_mulaw", RTMSAudioCodec.g711mu), ("alaw", "pcm_alaw", RTMSAudioCodec.g711a)])
    func g711ToAAC(format: String, codec: String, rtms: RTMSAudioCodec) throws {
        let directory = try TestMedia.directory()
        let encoded = try TestMedia.sineEncoded(format: format, codec: codec, rate: 8000, seconds: 3, in: directory)
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path), audio: rtms, video: nil)
        _ = try Self.feed(remuxer, encoded, bytesPerMessage: 160, millisecondsPerMessage: 20)
        let summary = try remuxer.finish()
        let audio = try #require(try TestMedia.probe(output).stream("audio"))
        #expect(audio["codec_name"] as? String == "aac")
        #expect(audio["sample_rate"] as? String == "8000")
        #expect(summary.undecodableMessages == 0)
        try Self.checkTone(output, rate: 8000, seconds: 3)
    }

    @Test func g722ToAAC() throws {
        let directory = try TestMedia.directory()
        let encoded = try TestMedia.sineEncoded(format: "g722", codec: "g722", rate: 16000, seconds: 3, in: directory)
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path), audio: .g722, video: nil)
        // G.722 at 64 kbit/s: 160 bytes per 20 ms.
        _ = try Self.feed(remuxer, encoded, bytesPerMessage: 160, millisecondsPerMessage: 20)
        let summary = try remuxer.finish()
        let probe = try TestMedia.probe(output)
        let audio = try #require(probe.stream("audio"))
        #expect(audio["codec_name"] as? String == "aac")
        #expect(audio["sample_rate"] as? String == "16000")
        #expect(abs(probe.duration - 3.0) < 0.1, "duration \(probe.duration)")
        #expect(summary.undecodableMessages == 0)
        try Self.checkTone(output, rate: 16000, seconds: 3)
    }

    @Test(arguments: [1, 2])
    func opusToAAC(channels: Int) throws {
        let directory = try TestMedia.directory()
        let packets = try TestMedia.sineOpusPackets(channels: channels, seconds: 3, in: directory)
        #expect(packets.count >= 150)  // libopus adds one for its pre-skip
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path), audio: .opus(channels: channels), video: nil)
        for (index, packet) in packets.enumerated() {
            try remuxer.appendAudio(ByteBuffer(bytes: packet), timestampMs: Self.start + Int64(index) * 20)
        }
        let summary = try remuxer.finish()
        let probe = try TestMedia.probe(output)
        let audio = try #require(probe.stream("audio"))
        #expect(audio["codec_name"] as? String == "aac")
        #expect(audio["sample_rate"] as? String == "48000")
        #expect(audio["channels"] as? Int == channels)
        #expect(abs(probe.duration - 3.0) < 0.1, "duration \(probe.duration)")
        #expect(summary.undecodableMessages == 0)
        try Self.checkTone(output, rate: 48000, seconds: 3)
    }

    /// A 2 s hole in the timestamps (a reconnection) comes back as 2 s of silence: duration preserved.
    @Test func gapIsFilledWithSilence() throws {
        let directory = try TestMedia.directory()
        let pcm = try TestMedia.sinePCM(rate: 16000, channels: 1, seconds: 3, in: directory)
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path),
                                     audio: .l16(sampleRate: 16000, channels: 1), video: nil)
        let half = pcm.count / 2
        let resume = try Self.feed(remuxer, pcm.prefix(half), bytesPerMessage: 640, millisecondsPerMessage: 20)
        _ = try Self.feed(remuxer, pcm.suffix(from: half), bytesPerMessage: 640, millisecondsPerMessage: 20, from: resume + 2000)
        let summary = try remuxer.finish()

        #expect(summary.silenceInsertedMs == 2000)
        #expect(abs(try TestMedia.probe(output).duration - 5.0) < 0.1)
        let samples = try TestMedia.decodeAudio(output, rate: 16000)
        // Decoded: priming (64 ms) + 5 s, rounded up to whole AAC frames (64 ms).
        #expect(Double(samples.count) / 16000 >= 5.0 && Double(samples.count) / 16000 <= 5.0 + 0.128)
        // Tone, then silence from 1.5 s to 3.5 s, then tone again (AAC priming shifts by 64 ms at most).
        #expect(TestMedia.rms(samples, rate: 16000, seconds: 1.7...3.3) < 50)
        #expect(abs(TestMedia.frequency(samples, rate: 16000, seconds: 0.2...1.3) - 1000) < 10)
        #expect(abs(TestMedia.frequency(samples, rate: 16000, seconds: 3.7...4.8) - 1000) < 10)
    }

    /// Jitter below the threshold is not a gap: no silence, duration unchanged.
    @Test func jitterBelowThresholdIsNotAGap() throws {
        let directory = try TestMedia.directory()
        let pcm = try TestMedia.sinePCM(rate: 16000, channels: 1, seconds: 3, in: directory)
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path),
                                     audio: .l16(sampleRate: 16000, channels: 1), video: nil)
        var offset = 0
        var index: Int64 = 0
        while offset < pcm.count {
            let jitter: Int64 = [0, 35, -15, 60, 10][Int(index % 5)]
            try remuxer.appendAudio(ByteBuffer(bytes: pcm[offset..<min(offset + 640, pcm.count)]),
                                    timestampMs: Self.start + index * 20 + jitter)
            offset += 640
            index += 1
        }
        let summary = try remuxer.finish()
        #expect(summary.silenceInsertedMs == 0)
        #expect(abs(try TestMedia.probe(output).duration - 3.0) < 0.1)
    }

    /// The FLV can go to a closure instead of a file (for an RTMP pusher); the bytes are the same FLV.
    @Test func sinkReceivesTheFLV() throws {
        let directory = try TestMedia.directory()
        let pcm = try TestMedia.sinePCM(rate: 16000, channels: 1, seconds: 2, in: directory)
        let collected = Collected()
        let remuxer = try FLVRemuxer(configuration: .init(output: .sink { chunk in collected.append(chunk) }),
                                     audio: .l16(sampleRate: 16000, channels: 1), video: nil)
        _ = try Self.feed(remuxer, pcm, bytesPerMessage: 640, millisecondsPerMessage: 20)
        let summary = try remuxer.finish()
        let bytes = collected.bytes
        #expect(bytes.prefix(3) == Data("FLV".utf8))
        #expect(Int64(bytes.count) == summary.bytesWritten)
        let output = directory.appendingPathComponent("sink.flv")
        try bytes.write(to: output)
        #expect(try TestMedia.probe(output).stream("audio")?["codec_name"] as? String == "aac")
        try Self.checkTone(output, rate: 16000, seconds: 2)
    }

    @Test func sinkErrorStopsTheRemuxer() throws {
        struct Refused: Error {}
        let remuxer = try FLVRemuxer(configuration: .init(output: .sink { _ in throw Refused() }),
                                     audio: .l16(sampleRate: 16000, channels: 1), video: nil)
        let silence = ByteBuffer(repeating: 0, count: 640)
        #expect(throws: Refused.self) {
            for index in 0..<100 {
                try remuxer.appendAudio(silence, timestampMs: Self.start + Int64(index) * 20)
            }
            _ = try remuxer.finish()
        }
        #expect(throws: RemuxError.self) { try remuxer.appendAudio(silence, timestampMs: Self.start + 5000) }
    }
}

/// Chunks from the sink closure (called synchronously from the remuxer's thread).
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: ByteBuffer) {
        lock.withLock { data.append(contentsOf: chunk.readableBytesView) }
    }

    var bytes: Data { lock.withLock { data } }
}
