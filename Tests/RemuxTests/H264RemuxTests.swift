import Foundation
import NIOCore
import Remux
import Testing

/// H.264 Annex B chunks remuxed into FLV.
@Suite struct H264RemuxTests {
    static let start: Int64 = 1_700_000_000_000

    /// Splits every access unit into 1 to 4 irregular pieces (never one whole unit per message on purpose), each
    /// stamped with its unit's time at 30 fps.
    static func irregularChunks(_ data: Data, unitOffsets: [Int], seed: UInt64 = 7) -> [(Data, Int64)] {
        var generator = SeededGenerator(seed: seed)
        var chunks: [(Data, Int64)] = []
        for (index, offset) in unitOffsets.enumerated() {
            let end = index + 1 < unitOffsets.count ? unitOffsets[index + 1] : data.count
            let time = start + Int64(index) * 1000 / 30
            var cuts = (0..<Int.random(in: 0...3, using: &generator)).map { _ in Int.random(in: offset..<end, using: &generator) }
            cuts = Array(Set(cuts + [offset, end])).sorted()
            for (from, to) in zip(cuts, cuts.dropFirst()) where to > from {
                chunks.append((data.subdata(in: from..<to), time))
            }
        }
        return chunks
    }

    func remux(_ chunks: [(Data, Int64)], to output: URL) throws -> FLVRemuxSummary {
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path), audio: nil, video: .h264)
        for (chunk, time) in chunks { try remuxer.appendVideo(ByteBuffer(bytes: chunk), timestampMs: time) }
        return try remuxer.finish()
    }

    static func checkPlayable(_ output: URL, frames: Int, width: Int = 640, height: Int = 360,
                              timestampsAsIs: Bool = false) throws {
        let probe = try TestMedia.probe(output)
        #expect(probe.streams.count == 1)
        let video = try #require(probe.stream("video"))
        #expect(video["codec_name"] as? String == "h264")
        #expect(video["width"] as? Int == width)
        #expect(video["height"] as? Int == height)
        let errors = try TestMedia.decodeErrors(output, timestampsAsIs: timestampsAsIs)
        #expect(errors == "", "\(errors.prefix(600))")
        let decoded = try TestMedia.decodedFramePTS(output)
        #expect(decoded.count == frames)
        // In display order the presentation times only go up: B-frames got their presentation times right.
        #expect(zip(decoded, decoded.dropFirst()).allSatisfy { $0 < $1 }, "pts \(decoded.prefix(12))")
        let packets = try TestMedia.packets(output)
        #expect(packets.first?.isKey == true)
        #expect(zip(packets, packets.dropFirst()).allSatisfy { $0.dts < $1.dts })
    }

    /// x264 defaults (High profile, B-frames) and a stream without B-frames with a keyframe every second.
    @Test(arguments: [[], ["-bf", "0", "-g", "30"], ["-profile:v", "baseline"]])
    func irregularChunksBecomeAllFrames(encoderArguments: [String]) throws {
        let directory = try TestMedia.directory()
        let stream = try TestMedia.h264AnnexB(seconds: 3, arguments: encoderArguments, in: directory)
        let offsets = try TestMedia.accessUnitOffsets(of: stream, in: directory)
        #expect(offsets.count == 90)
        let chunks = Self.irregularChunks(stream, unitOffsets: offsets)
        #expect(chunks.count > 120)
        let output = directory.appendingPathComponent("out.flv")
        let summary = try remux(chunks, to: output)
        #expect(summary.videoPackets == 90)
        #expect(summary.framesDroppedBeforeKeyframe == 0)
        #expect(summary.timestampsCorrected == 0)
        #expect(summary.picturesReordered == 0)
        #expect(summary.width == 640 && summary.height == 360)
        try Self.checkPlayable(output, frames: 90)
        #expect(abs(try TestMedia.probe(output).duration - 3.0) < 0.1)
    }

    /// Chunks cut anywhere (several units in one message, units across messages), stamped by where they start.
    @Test func arbitraryChunksStillGiveEveryFrame() throws {
        let directory = try TestMedia.directory()
        let stream = try TestMedia.h264AnnexB(seconds: 3, arguments: ["-bf", "0"], in: directory)
        var generator = SeededGenerator(seed: 99)
        var chunks: [(Data, Int64)] = []
        var offset = 0
        var time = Self.start
        while offset < stream.count {
            let end = min(offset + Int.random(in: 1...9000, using: &generator), stream.count)
            chunks.append((stream.subdata(in: offset..<end), time))
            offset = end
            time += 33
        }
        let output = directory.appendingPathComponent("out.flv")
        let summary = try remux(chunks, to: output)
        #expect(summary.videoPackets == 90)
        let errors = try TestMedia.decodeErrors(output, timestampsAsIs: true)
        #expect(errors == "", "\(errors.prefix(600))")
        #expect(try TestMedia.decodedFramePTS(output).count == 90)
    }

    /// A recording that starts mid-GOP: everything before the first IDR is dropped and counted.
    @Test func nothingBeforeTheFirstKeyframe() throws {
        let directory = try TestMedia.directory()
        let stream = try TestMedia.h264AnnexB(seconds: 3, arguments: ["-bf", "0", "-g", "30", "-sc_threshold", "0"], in: directory)
        let offsets = try TestMedia.accessUnitOffsets(of: stream, in: directory)
        // Start at unit 10: units 10...29 are P frames, 30 is the next IDR.
        let chunks = Self.irregularChunks(stream, unitOffsets: offsets).filter { $0.1 >= Self.start + 10 * 1000 / 30 }
        let output = directory.appendingPathComponent("out.flv")
        let summary = try remux(chunks, to: output)
        #expect(summary.framesDroppedBeforeKeyframe == 20)
        #expect(summary.videoPackets == 60)
        try Self.checkPlayable(output, frames: 60)
        #expect(try TestMedia.packets(output).filter(\.isKey).count == 2)
    }

    /// Equal and backward timestamps are moved to previous + 1 ms and counted.
    @Test func repeatedTimestampsAreMadeIncreasing() throws {
        let directory = try TestMedia.directory()
        let stream = try TestMedia.h264AnnexB(seconds: 1, arguments: ["-bf", "0"], in: directory)
        let offsets = try TestMedia.accessUnitOffsets(of: stream, in: directory)
        var chunks = Self.irregularChunks(stream, unitOffsets: offsets)
        // Units 10 and 11 get unit 9's time (300 ms), unit 12 goes back from 400 to 300 ms.
        for index in chunks.indices {
            let unit = (Double(chunks[index].1 - Self.start) * 30 / 1000).rounded()
            if unit == 10 || unit == 11 { chunks[index].1 = Self.start + 9 * 1000 / 30 }
            if unit == 12 { chunks[index].1 -= 100 }
        }
        let output = directory.appendingPathComponent("out.flv")
        let summary = try remux(chunks, to: output)
        #expect(summary.timestampsCorrected == 3)
        try Self.checkPlayable(output, frames: 30, timestampsAsIs: true)
        let times = try TestMedia.packets(output).map { Int(($0.dts * 1000).rounded()) }
        #expect(Array(times[8...13]) == [266, 300, 301, 302, 303, 433])
    }

    /// A resolution change mid-stream (new SPS on an IDR): a new sequence header, and it still plays.
    @Test func parameterSetChangeWritesNewSequenceHeader() throws {
        let directory = try TestMedia.directory()
        let first = try TestMedia.h264AnnexB(seconds: 1, arguments: ["-bf", "0"], in: directory)
        let firstOffsets = try TestMedia.accessUnitOffsets(of: first, in: directory)
        let second = try TestMedia.h264AnnexB(seconds: 1, arguments: ["-bf", "0"], size: "320x180", in: directory)
        let secondOffsets = try TestMedia.accessUnitOffsets(of: second, in: directory)
        let chunks = Self.irregularChunks(first, unitOffsets: firstOffsets)
            + Self.irregularChunks(second, unitOffsets: secondOffsets).map { ($0.0, $0.1 + 1000) }
        let output = directory.appendingPathComponent("out.flv")
        let summary = try remux(chunks, to: output)
        #expect(summary.videoPackets == 60)
        #expect(summary.notes.contains { $0.contains("parameter sets changed") })
        let errors = try TestMedia.decodeErrors(output)
        #expect(errors == "", "\(errors.prefix(600))")
        #expect(try TestMedia.decodedFramePTS(output).count == 60)
    }
}

/// SplitMix64, so irregular chunkings are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
