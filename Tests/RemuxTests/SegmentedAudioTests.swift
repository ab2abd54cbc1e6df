import Foundation
import NIOCore
@testable import Remux
import Testing

/// AAC encoded in segments side by side (`SegmentedAACEncoder`, the default for files) against one encoder for
/// the whole stream: the same packets in number and time, and no glitch where segments meet.
@Suite struct SegmentedAudioTests {
    /// Converts `pcm` (L16 in 20 ms messages) with `threads` AAC encoders at once; returns the output file.
    static func convert(_ pcm: Data, rate: Int, channels: Int, bitrate: Int = 96_000, threads: Int?, name: String, in directory: URL) throws -> URL {
        let output = directory.appendingPathComponent(name)
        var configuration = FLVRemuxConfiguration(outputPath: output.path)
        configuration.audioEncoderThreads = threads
        configuration.audioBitrate = bitrate
        let remuxer = try FLVRemuxer(configuration: configuration, audio: .l16(sampleRate: rate, channels: channels), video: nil)
        _ = try AudioRemuxTests.feed(remuxer, pcm, bytesPerMessage: rate / 50 * 2 * channels, millisecondsPerMessage: 20)
        _ = try remuxer.finish()
        return output
    }

    /// Signal-to-noise ratio (dB) of `other` against `reference`, in every window of `window` samples; the
    /// lowest with where it starts.
    static func worstWindow(_ reference: [Int16], _ other: [Int16], window: Int) -> (snr: Double, at: Int) {
        var worst = (snr: Double.infinity, at: 0)
        var start = 0
        while start + window <= min(reference.count, other.count) {
            var signal = 0.0
            var noise = 0.0
            for index in start..<(start + window) {
                let value = Double(reference[index])
                signal += value * value
                let difference = value - Double(other[index])
                noise += difference * difference
            }
            if signal > 0 {
                let snr = noise == 0 ? 200 : 10 * log10(signal / noise)
                if snr < worst.snr { worst = (snr, start) }
            }
            start += window
        }
        return worst
    }

    /// `seconds` long: over two segment boundaries; `segmentMultiple`: exactly two segments long, so the last
    /// segment holds no new samples (only the run-in that encodes the tail). At the bitrates where segments are
    /// the default (at least 4 bits per sample and channel).
    @Test(arguments: [(16000, 1, 96_000, false), (16000, 1, 64_000, false), (16000, 1, 96_000, true), (8000, 1, 48_000, false)])
    func segmentsJoinWithoutAGlitch(rate: Int, channels: Int, bitrate: Int, segmentMultiple: Bool) throws {
        let directory = try TestMedia.directory()
        let segment = SegmentedAACEncoder.segmentSeconds
        // 8 s segments hold whole frames of 1024 samples: 125 frames (exactly 8 s) at 16 kHz, 63 (8.06 s) at 8 kHz.
        let segmentSamples = (segment * rate + 1023) / 1024 * 1024
        let seconds = segmentMultiple ? Double(2 * segmentSamples) / Double(rate) : Double(2 * segment) + 4.5
        // 997 Hz, not 1000: a 1 kHz tone at these rates repeats every 8 or 16 samples, so every 1024, and a whole
        // frame shifted at a seam would decode the same. 997 Hz moves 0.8 of a period per frame at 16 kHz.
        let pcm = try TestMedia.sinePCM(rate: rate, channels: channels, seconds: seconds, frequency: 997, in: directory)
        #expect(pcm.count == Int((seconds * Double(rate)).rounded()) * 2 * channels)

        let whole = try Self.convert(pcm, rate: rate, channels: channels, bitrate: bitrate, threads: 1, name: "whole.flv", in: directory)
        let segmented = try Self.convert(pcm, rate: rate, channels: channels, bitrate: bitrate, threads: 3, name: "segmented.flv", in: directory)
        let again = try Self.convert(pcm, rate: rate, channels: channels, bitrate: bitrate, threads: 2, name: "again.flv", in: directory)

        // The same packets in number and time: one continuous stream, priming packet and short last frame included.
        let wholePackets = try TestMedia.packets(whole)
        let segmentedPackets = try TestMedia.packets(segmented)
        #expect(wholePackets.count == (Int((seconds * Double(rate)).rounded()) + 1023) / 1024 + 1)
        #expect(segmentedPackets.count == wholePackets.count)
        #expect(segmentedPackets.map(\.pts) == wholePackets.map(\.pts))
        #expect(segmentedPackets.map(\.duration) == wholePackets.map(\.duration))
        // Each segment depends on its samples only: every run gives the same bytes, whatever the worker count.
        #expect(try Data(contentsOf: segmented) == Data(contentsOf: again))

        // Against the source: FLV keeps the encoder's 1024 priming samples, so decoded sample i + 1024 is source
        // sample i (positions below count from 0.5 s). A frame lost, doubled or misplaced where segments meet puts some window near 0 dB; coding
        // differences between the two encodings are far smaller than that.
        let source = pcm.withUnsafeBytes { raw in
            (0..<(raw.count / 2 / channels)).map { Int16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2 * channels, as: Int16.self)) }
        }
        let wholeAudio = try TestMedia.decodeAudio(whole, rate: rate)
        let segmentedAudio = try TestMedia.decodeAudio(segmented, rate: rate)
        #expect(segmentedAudio.count == wholeAudio.count)
        // From 0.5 s on: the encoder's own start (both ways the same, the first segment is one encoder) is coarser.
        let settled = rate / 2
        let reference = Array(source.dropFirst(settled))
        let wholeWorst = Self.worstWindow(reference, Array(wholeAudio.dropFirst(1024 + settled)), window: 256)
        let segmentedWorst = Self.worstWindow(reference, Array(segmentedAudio.dropFirst(1024 + settled)), window: 256)
        #expect(wholeWorst.snr > 20, "one encoder: \(wholeWorst.snr) dB at sample \(wholeWorst.at)")
        #expect(
            segmentedWorst.snr > wholeWorst.snr - 6,
            "segments: \(segmentedWorst.snr) dB at sample \(segmentedWorst.at); one encoder: \(wholeWorst.snr) dB at \(wholeWorst.at)")
        try AudioRemuxTests.checkTone(segmented, rate: rate, seconds: seconds)
        #expect(try TestMedia.decodeErrors(segmented) == "")
    }

    /// Segments by default only for a file at a bitrate where they sound the same; live output never.
    @Test func segmentsAreTheDefaultOnlyWhereTheySoundTheSame() {
        let file = FLVRemuxConfiguration(outputPath: "/dev/null")
        let cores = min(System.coreCount, FLVRemuxer.maximumDefaultAudioThreads)
        #expect(FLVRemuxer.audioEncoderThreads(file, sampleRate: 16000, channels: 1) == cores)  // 96 kbit/s: 6 bits
        var tight = file
        tight.audioBitrate = 32_000
        #expect(FLVRemuxer.audioEncoderThreads(tight, sampleRate: 16000, channels: 1) == 1)  // 2 bits
        #expect(FLVRemuxer.audioEncoderThreads(file, sampleRate: 48000, channels: 2) == 1)  // 1 bit
        var chosen = tight
        chosen.audioEncoderThreads = 3
        #expect(FLVRemuxer.audioEncoderThreads(chosen, sampleRate: 48000, channels: 2) == 3)
        var sink = FLVRemuxConfiguration(output: .sink { _ in })
        #expect(FLVRemuxer.audioEncoderThreads(sink, sampleRate: 16000, channels: 1) == 1)
        sink.audioEncoderThreads = 4
        #expect(FLVRemuxer.audioEncoderThreads(sink, sampleRate: 16000, channels: 1) == 1)
    }

    /// Shorter than one segment: the only segment is the last, encoded exactly as by one encoder.
    @Test func shortStreamIsTheSameBytes() throws {
        let directory = try TestMedia.directory()
        let pcm = try TestMedia.sinePCM(rate: 16000, channels: 1, seconds: 2, in: directory)
        let whole = try Self.convert(pcm, rate: 16000, channels: 1, threads: 1, name: "whole.flv", in: directory)
        let segmented = try Self.convert(pcm, rate: 16000, channels: 1, threads: 2, name: "segmented.flv", in: directory)
        #expect(try Data(contentsOf: segmented) == Data(contentsOf: whole))
        #expect(try TestMedia.packets(whole).count == (2 * 16000 + 1023) / 1024 + 1)
    }

    /// Audio packets come out a few segments late; the muxer still writes audio and video interleaved in time,
    /// and they stay in sync.
    @Test func videoAndSegmentedAudioStayInterleaved() throws {
        let directory = try TestMedia.directory()
        let seconds = 2.0 * Double(SegmentedAACEncoder.segmentSeconds) + 6
        let pcm = try TestMedia.sinePCM(rate: 16000, channels: 1, seconds: seconds, in: directory)
        let h264 = try TestMedia.h264AnnexB(seconds: seconds, arguments: ["-r", "25", "-bf", "0"], size: "320x240", in: directory)
        let units = try TestMedia.accessUnitOffsets(of: h264, in: directory)
        let output = directory.appendingPathComponent("av.flv")
        var configuration = FLVRemuxConfiguration(outputPath: output.path)
        configuration.audioEncoderThreads = 2
        let remuxer = try FLVRemuxer(configuration: configuration, audio: .l16(sampleRate: 16000, channels: 1), video: .h264)
        // In arrival order: each 40 ms video frame, then the two 20 ms audio messages of its time.
        let start = AudioRemuxTests.start
        let audioBytes = 16000 / 50 * 2
        for (index, offset) in units.enumerated() {
            let end = index + 1 < units.count ? units[index + 1] : h264.count
            let time = start + Int64(index) * 40
            try remuxer.appendVideo(ByteBuffer(bytes: h264[offset..<end]), timestampMs: time)
            for half in 0..<2 {
                let from = (index * 2 + half) * audioBytes
                guard from < pcm.count else { continue }
                try remuxer.appendAudio(ByteBuffer(bytes: pcm[from..<min(from + audioBytes, pcm.count)]), timestampMs: time + Int64(half) * 20)
            }
        }
        let summary = try remuxer.finish()
        #expect(summary.hasAudio && summary.hasVideo)

        let packets = try TestMedia.packets(output)
        let audio = packets.filter { $0.type == "audio" }
        let video = packets.filter { $0.type == "video" }
        #expect(video.count == units.count)
        #expect(audio.count == (Int(seconds * 16000) + 1023) / 1024 + 1)
        // File order follows time across both streams (no stretch of one stream written ahead of the other).
        var latest = -Double.infinity
        var behind = 0.0
        for packet in packets {
            behind = max(behind, latest - packet.dts)
            latest = max(latest, packet.dts)
        }
        #expect(behind < 0.1, "a packet is written \(behind) s behind one before it")
        let audioSpan = try #require(TestMedia.span(packets, "audio"))
        let videoSpan = try #require(TestMedia.span(packets, "video"))
        #expect(abs(audioSpan.end - videoSpan.end) < 0.2, "audio ends at \(audioSpan.end) s, video at \(videoSpan.end) s")
        try AudioRemuxTests.checkTone(output, rate: 16000, seconds: seconds)
    }
}
