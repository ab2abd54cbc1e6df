import Foundation
import NIOCore
import Remux
import Testing

/// Audio and video together: sync, waiting for streams, failure modes.
@Suite struct SessionRemuxTests {
    static let start: Int64 = 1_700_000_000_000

    /// Audio and video both covering 3 s, interleaved as they would arrive: stream spans agree within 100 ms.
    @Test(arguments: [RTMSVideoCodec.h264, .jpeg])
    func audioAndVideoStayInSync(video: RTMSVideoCodec) throws {
        let directory = try TestMedia.directory()
        let pcm = try TestMedia.sinePCM(rate: 16000, channels: 1, seconds: 3, in: directory)
        var videoMessages: [(Data, Int64)] = []
        if video == .h264 {
            let stream = try TestMedia.h264AnnexB(seconds: 3, in: directory)
            let offsets = try TestMedia.accessUnitOffsets(of: stream, in: directory)
            videoMessages = H264RemuxTests.irregularChunks(stream, unitOffsets: offsets)
        } else {
            let pictures = try TestMedia.pictures(codec: "mjpeg", size: "320x180", seconds: 3, in: directory)
            videoMessages = pictures.enumerated().map { ($0.element, Self.start + Int64($0.offset) * 200) }
        }
        var audioMessages: [(Data, Int64)] = []
        for index in 0..<(pcm.count / 640) {
            audioMessages.append((pcm.subdata(in: index * 640..<(index + 1) * 640), Self.start + Int64(index) * 20))
        }
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path),
                                     audio: .l16(sampleRate: 16000, channels: 1), video: video)
        // Merge by timestamp, video first on ties.
        var a = 0
        var v = 0
        while a < audioMessages.count || v < videoMessages.count {
            if v < videoMessages.count, a >= audioMessages.count || videoMessages[v].1 <= audioMessages[a].1 {
                try remuxer.appendVideo(ByteBuffer(bytes: videoMessages[v].0), timestampMs: videoMessages[v].1)
                v += 1
            } else {
                try remuxer.appendAudio(ByteBuffer(bytes: audioMessages[a].0), timestampMs: audioMessages[a].1)
                a += 1
            }
        }
        let summary = try remuxer.finish()
        #expect(summary.hasAudio && summary.hasVideo)
        let packets = try TestMedia.packets(output)
        let audio = try #require(TestMedia.span(packets, "audio"))
        // FLV stores no video frame durations: the last frame lasts one frame interval.
        let videoTimes = packets.filter { $0.type == "video" }.map(\.pts).sorted()
        let steps = zip(videoTimes, videoTimes.dropFirst()).map { $1 - $0 }.sorted()
        let frameInterval = steps[steps.count / 2]
        let videoSpan = (start: try #require(videoTimes.first), end: try #require(videoTimes.last) + frameInterval)
        // Audio starts 64 ms early (AAC priming), so compare where the content ends and how long each lasts.
        #expect(abs(audio.end - videoSpan.end) < 0.1, "audio \(audio), video \(videoSpan)")
        #expect(abs((audio.end - audio.start) - (videoSpan.end - videoSpan.start)) < 0.1 + 0.064)
        #expect(try TestMedia.decodeErrors(output) == "")
        try AudioRemuxTests.checkTone(output, rate: 16000, seconds: 3)
    }

    /// Video that never gets a keyframe: after `streamWaitMs` of audio the FLV goes audio-only and says so.
    @Test func audioOnlyWhenNoKeyframeComes() throws {
        let directory = try TestMedia.directory()
        let pcm = try TestMedia.sinePCM(rate: 16000, channels: 1, seconds: 8, in: directory)
        let stream = try TestMedia.h264AnnexB(seconds: 3, arguments: ["-bf", "0"], in: directory)
        let offsets = try TestMedia.accessUnitOffsets(of: stream, in: directory)
        // Everything but the first access unit (the only IDR): no keyframe ever.
        let withoutKeyframe = H264RemuxTests.irregularChunks(stream, unitOffsets: offsets).filter { $0.1 > H264RemuxTests.start }
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path),
                                     audio: .l16(sampleRate: 16000, channels: 1), video: .h264)
        var videoIndex = 0
        for index in 0..<(pcm.count / 640) {
            let time = Self.start + Int64(index) * 20
            while videoIndex < withoutKeyframe.count, withoutKeyframe[videoIndex].1 <= time {
                try remuxer.appendVideo(ByteBuffer(bytes: withoutKeyframe[videoIndex].0), timestampMs: withoutKeyframe[videoIndex].1)
                videoIndex += 1
            }
            try remuxer.appendAudio(ByteBuffer(bytes: pcm.subdata(in: index * 640..<(index + 1) * 640)), timestampMs: time)
        }
        let summary = try remuxer.finish()
        #expect(summary.hasAudio && !summary.hasVideo)
        #expect(summary.notes.contains { $0.hasPrefix("video left out") })
        #expect(summary.framesDroppedBeforeKeyframe == 89)
        let probe = try TestMedia.probe(output)
        #expect(probe.streams.count == 1)
        #expect(probe.stream("audio")?["codec_name"] as? String == "aac")
        #expect(abs(probe.duration - 8.064) < 0.1)
    }

    /// Video ready, audio declared but silent from the server: written video-only when the recording ends.
    @Test func videoOnlyWhenNoAudioCame() throws {
        let directory = try TestMedia.directory()
        let pictures = try TestMedia.pictures(codec: "mjpeg", size: "160x90", seconds: 1, in: directory)
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path), audio: .g711mu, video: .jpeg)
        for (index, picture) in pictures.enumerated() {
            try remuxer.appendVideo(ByteBuffer(bytes: picture), timestampMs: Self.start + Int64(index) * 200)
        }
        let summary = try remuxer.finish()
        #expect(!summary.hasAudio && summary.hasVideo)
        #expect(summary.notes.contains { $0.hasPrefix("audio left out") })
        #expect(try TestMedia.probe(output).streams.count == 1)
    }

    /// `sessionStartMs` puts the first media where it happened relative to the session start.
    @Test func sessionStartOffsetsTheMedia() throws {
        let directory = try TestMedia.directory()
        let pcm = try TestMedia.sinePCM(rate: 16000, channels: 1, seconds: 1, in: directory)
        let output = directory.appendingPathComponent("out.flv")
        var configuration = FLVRemuxConfiguration(outputPath: output.path)
        configuration.sessionStartMs = Self.start - 1000
        let remuxer = try FLVRemuxer(configuration: configuration, audio: .l16(sampleRate: 16000, channels: 1), video: nil)
        _ = try AudioRemuxTests.feed(remuxer, pcm, bytesPerMessage: 640, millisecondsPerMessage: 20, from: Self.start)
        _ = try remuxer.finish()
        let span = try #require(TestMedia.span(try TestMedia.packets(output), "audio"))
        #expect(abs(span.start - (1.0 - 0.064)) < 0.01, "audio starts at \(span.start)")
    }

    @Test func nothingUsableIsAnError() throws {
        let directory = try TestMedia.directory()
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path), audio: nil, video: .h264)
        try remuxer.appendVideo(ByteBuffer(bytes: [0, 0, 0, 1, 0x41, 0x9A, 0x02]), timestampMs: Self.start)
        let error = try #require(throws: RemuxError.self) { _ = try remuxer.finish() }
        #expect(error.message.contains("no usable media"))
    }

    @Test func unwritableOutputNamesTheCall() throws {
        let error = try #require(throws: RemuxError.self) {
            _ = try FLVRemuxer(configuration: .init(outputPath: "/nonexistent-dir/out.flv"), audio: .g722, video: nil)
        }
        #expect(error.message.contains("avio_open(/nonexistent-dir/out.flv)"))
        #expect(error.message.contains("No such file or directory"))
    }

    @Test func undeclaredStreamsAndBadParametersAreRefused() throws {
        let directory = try TestMedia.directory()
        let output = directory.appendingPathComponent("out.flv").path
        #expect(throws: RemuxError.self) { _ = try FLVRemuxer(configuration: .init(outputPath: output), audio: nil, video: nil) }
        #expect(throws: RemuxError.self) {
            _ = try FLVRemuxer(configuration: .init(outputPath: output), audio: .l16(sampleRate: 22050, channels: 1), video: nil)
        }
        #expect(throws: RemuxError.self) {
            _ = try FLVRemuxer(configuration: .init(outputPath: output), audio: .l16(sampleRate: 16000, channels: 3), video: nil)
        }
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output), audio: .g711a, video: nil)
        let error = try #require(throws: RemuxError.self) {
            try remuxer.appendVideo(ByteBuffer(bytes: [1, 2, 3]), timestampMs: Self.start)
        }
        #expect(error.message.contains("without video"))
    }
}
