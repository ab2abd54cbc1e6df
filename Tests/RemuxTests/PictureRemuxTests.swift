import Foundation
import NIOCore
import Remux
import Testing

/// JPG and PNG pictures encoded to H.264 in FLV.
@Suite struct PictureRemuxTests {
    static let start: Int64 = 1_700_000_000_000

    /// Column means of the luma plane of decoded frame `index`, at the output size.
    static func lumaColumns(_ url: URL, frame index: Int, width: Int, height: Int) throws -> [Double] {
        let data = try TestMedia.run("ffmpeg", ["-nostdin", "-v", "error", "-i", url.path, "-vf", "select=eq(n\\,\(index))",
                                                "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"]).stdout
        try #require(data.count == width * height)
        let bytes = [UInt8](data)
        return (0..<width).map { column in
            var sum = 0
            for row in 0..<height { sum += Int(bytes[row * width + column]) }
            return Double(sum) / Double(height)
        }
    }

    /// 5 fps JPEG, the picture size changes half way (16:9 then 4:3): the second half is pillarboxed.
    @Test func jpegWithSizeChange() throws {
        let directory = try TestMedia.directory()
        let first = try TestMedia.pictures(codec: "mjpeg", size: "640x360", seconds: 3, in: directory)
        let second = try TestMedia.pictures(codec: "mjpeg", size: "320x240", seconds: 3, in: directory)
        #expect(first.count == 15 && second.count == 15)
        let output = directory.appendingPathComponent("out.flv")
        var configuration = FLVRemuxConfiguration(outputPath: output.path)
        configuration.x264Preset = "ultrafast"
        let remuxer = try FLVRemuxer(configuration: configuration, audio: nil, video: .jpeg)
        for (index, picture) in (first + second).enumerated() {
            try remuxer.appendVideo(ByteBuffer(bytes: picture), timestampMs: Self.start + Int64(index) * 200)
        }
        let summary = try remuxer.finish()
        #expect(summary.videoPackets == 30)
        #expect(summary.picturesLetterboxed == 15)
        #expect(summary.width == 640 && summary.height == 360)

        let probe = try TestMedia.probe(output)
        let video = try #require(probe.stream("video"))
        #expect(video["codec_name"] as? String == "h264")
        #expect(video["pix_fmt"] as? String == "yuv420p")
        #expect(video["width"] as? Int == 640 && video["height"] as? Int == 360)
        #expect(abs(probe.duration - 6.0) < 0.25, "duration \(probe.duration)")
        #expect(try TestMedia.decodeErrors(output) == "")
        #expect(try TestMedia.decodedFramePTS(output).count == 30)
        // Keyframes at least every 2 s: frames 0, 10, 20.
        #expect(try TestMedia.packets(output).filter(\.isKey).count >= 3)

        // 320x240 into 640x360 keeping 4:3 is 480x360 at x = 80: black bars left and right.
        let columns = try Self.lumaColumns(output, frame: 25, width: 640, height: 360)
        #expect(columns[0..<76].allSatisfy { $0 < 24 }, "left bar \(columns[0..<80].map { Int($0) })")
        #expect(columns[564..<640].allSatisfy { $0 < 24 }, "right bar")
        #expect(columns[100..<540].reduce(0, +) / 440 > 40, "picture area")
        // The first half fills the frame.
        let full = try Self.lumaColumns(output, frame: 5, width: 640, height: 360)
        #expect(full[0..<76].reduce(0, +) / 76 > 40)
    }

    /// `progress` while encoding: the picture size from the first picture on, the duration of what was made.
    @Test func progressBeforeFinish() throws {
        let directory = try TestMedia.directory()
        let pictures = try TestMedia.pictures(codec: "mjpeg", size: "320x180", seconds: 2, in: directory)
        var configuration = FLVRemuxConfiguration(output: .sink { _ in })
        configuration.x264Preset = "ultrafast"
        let remuxer = try FLVRemuxer(configuration: configuration, audio: nil, video: .jpeg)
        #expect(remuxer.progress.width == nil && remuxer.progress.durationMs == 0)
        try remuxer.appendVideo(ByteBuffer(bytes: pictures[0]), timestampMs: Self.start)
        #expect(remuxer.progress.width == 320 && remuxer.progress.height == 180)
        var durations: [Int64] = []
        for (index, picture) in pictures.enumerated().dropFirst() {
            try remuxer.appendVideo(ByteBuffer(bytes: picture), timestampMs: Self.start + Int64(index) * 200)
            durations.append(remuxer.progress.durationMs)
        }
        #expect(durations == durations.sorted() && durations.last! > 0, "\(durations)")
        let summary = try remuxer.finish()
        #expect(durations.last! <= summary.durationMs)
        #expect(summary.width == 320 && summary.height == 180)
    }

    /// JPEG is full range (luma 0-255), H.264 here limited (16-235): white must come out at 235, not 255.
    @Test func fullRangeJPEGBecomesLimitedRange() throws {
        let directory = try TestMedia.directory()
        let white = directory.appendingPathComponent("white.jpg")
        try TestMedia.ffmpeg(["-f", "lavfi", "-i", "color=white:size=160x90", "-frames:v", "1", "-c:v", "mjpeg", white.path])
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path), audio: nil, video: .jpeg)
        let picture = try Data(contentsOf: white)
        for index in 0..<3 {
            try remuxer.appendVideo(ByteBuffer(bytes: picture), timestampMs: Self.start + Int64(index) * 200)
        }
        _ = try remuxer.finish()
        let json = try TestMedia.probeJSON(["-f", "lavfi", "movie=\(output.path),signalstats",
                                            "-show_entries", "frame_tags=lavfi.signalstats.YMAX,lavfi.signalstats.YMIN"])
        let frames = try #require(json["frames"] as? [[String: Any]])
        let tags = try #require(frames.first?["tags"] as? [String: String])
        let maximum = try #require(Int(tags["lavfi.signalstats.YMAX"] ?? ""))
        #expect((232...236).contains(maximum), "white luma \(maximum)")
    }

    /// RGB PNG pictures come out as yuv420p H.264 (4:4:4 would not play in most players).
    @Test func pngToYUV420() throws {
        let directory = try TestMedia.directory()
        let pictures = try TestMedia.pictures(codec: "png", size: "320x180", seconds: 2, in: directory)
        #expect(pictures.count == 10)
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path), audio: nil, video: .png)
        for (index, picture) in pictures.enumerated() {
            try remuxer.appendVideo(ByteBuffer(bytes: picture), timestampMs: Self.start + Int64(index) * 200)
        }
        let summary = try remuxer.finish()
        #expect(summary.videoPackets == 10)
        let video = try #require(try TestMedia.probe(output).stream("video"))
        #expect(video["codec_name"] as? String == "h264")
        #expect(video["pix_fmt"] as? String == "yuv420p")
        #expect(try TestMedia.decodeErrors(output) == "")
        #expect(try TestMedia.decodedFramePTS(output).count == 10)
    }

    /// A damaged picture is skipped and counted; the rest goes through.
    @Test func damagedPictureIsSkipped() throws {
        let directory = try TestMedia.directory()
        var pictures = try TestMedia.pictures(codec: "png", size: "160x90", seconds: 1, in: directory)
        pictures[2] = Data(pictures[2].prefix(40))
        let output = directory.appendingPathComponent("out.flv")
        let remuxer = try FLVRemuxer(configuration: .init(outputPath: output.path), audio: nil, video: .png)
        for (index, picture) in pictures.enumerated() {
            try remuxer.appendVideo(ByteBuffer(bytes: picture), timestampMs: Self.start + Int64(index) * 200)
        }
        let summary = try remuxer.finish()
        #expect(summary.undecodableMessages == 1)
        #expect(summary.videoPackets == 4)
    }
}
