import Foundation

/// ffmpeg and ffprobe as reference tools: make test clips, list a file's packets with checksums, probe a file or a
/// live URL, and publish with ffmpeg itself (the baseline the tests compare mediactl with).
enum FFmpeg {
    enum VideoCodec: String, Sendable { case h264, none }
    enum AudioCodec: String, Sendable { case aac, none }

    /// Makes an FLV test clip from lavfi sources: `testsrc2` video (libx264, yuv420p, a keyframe every `gop`
    /// frames, `bFrames` B-frames so composition offsets are non-zero) and a `toneHz` sine (AAC 128k mono).
    /// Deterministic for the same arguments and ffmpeg build.
    static func makeClip(
        path: String, seconds: Double = 2, size: String = "320x240", fps: Int = 25, gop: Int = 50,
        bFrames: Int = 2, audioRate: Int = 44100, codec: VideoCodec = .h264, audio: AudioCodec = .aac,
        toneHz: Int = 1000, timeout: TimeInterval = 120
    ) throws {
        guard codec != .none || audio != .none else { throw HarnessError("makeClip: no video and no audio") }
        var args = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
        if codec != .none { args += ["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(fps)"] }
        if audio != .none { args += ["-f", "lavfi", "-i", "sine=frequency=\(toneHz):sample_rate=\(audioRate)"] }
        args += ["-t", String(seconds)]
        if codec == .h264 {
            args += [
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", String(gop),
                "-keyint_min", String(gop), "-sc_threshold", "0", "-bf", String(bFrames),
            ]
        }
        if audio == .aac { args += ["-c:a", "aac", "-b:a", "128k"] }
        args += ["-f", "flv", path]
        let result = try run("ffmpeg", args, timeout: timeout)
        guard result.exitCode == 0 else { throw HarnessError("ffmpeg could not make \(path):\n\(result.stderr)") }
    }

    /// The packets of a file or URL: `ffmpeg -copyts -i INPUT -map 0 -c copy -f framemd5 -`.
    /// `-copyts` keeps the container's own timestamps (ms for FLV): without it ffmpeg subtracts the input's start
    /// time, which moves every timestamp when the first packets differ.
    static func framemd5(_ input: String, timeout: TimeInterval = 60) throws -> FrameMD5 {
        let result = try run(
            "ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-nostdin", "-copyts", "-i", input, "-map", "0", "-c", "copy",
             "-f", "framemd5", "-"],
            timeout: timeout)
        guard result.exitCode == 0 else { throw HarnessError("ffmpeg framemd5 of \(input) failed:\n\(result.stderr)") }
        return try FrameMD5(parsing: result.stdoutText)
    }

    /// `ffprobe -print_format json -show_streams -show_format INPUT`. On a live RTMP URL ffprobe hangs forever
    /// when the stream does not exist: `timeout` bounds it (and throws).
    static func ffprobe(_ input: String, extraArgs: [String] = [], timeout: TimeInterval = 20) throws -> FFprobeOutput {
        let result = try run(
            "ffprobe",
            ["-hide_banner", "-loglevel", "error", "-print_format", "json", "-show_streams", "-show_format"]
                + extraArgs + [input],
            timeout: timeout)
        guard result.exitCode == 0 else { throw HarnessError("ffprobe \(input) failed:\n\(result.stderr)") }
        do {
            var output = try JSONDecoder().decode(FFprobeOutput.self, from: result.stdout)
            output.json = result.stdout
            return output
        } catch {
            throw HarnessError("ffprobe \(input): unreadable JSON (\(error)):\n\(result.stdoutText.prefix(2000))")
        }
    }

    /// Publishes `path` with `ffmpeg [-re] -i PATH -c copy -f flv URL` (the tool mediactl replaces).
    static func publish(
        _ path: String, to url: String, realtime: Bool = false, outputArgs: [String] = [],
        timeout: TimeInterval = 60
    ) throws -> RunResult {
        try run(
            "ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-nostdin"] + (realtime ? ["-re"] : []) + ["-i", path]
                + ["-c", "copy"] + outputArgs + ["-f", "flv", url],
            timeout: timeout)
    }
}

/// The output of ffmpeg's framemd5 muxer: per stream what the header says, then one record per packet.
struct FrameMD5: Sendable, Equatable {
    struct Stream: Sendable, Equatable {
        var index: Int
        var mediaType: String?
        var codec: String?
        /// e.g. "1/1000" for FLV.
        var timeBase: String?
        /// Codec configuration (AVC decoder configuration, AudioSpecificConfig): size and md5.
        var extradataSize: Int?
        var extradataMD5: String?
        /// `#dimensions`, `#sample_rate`, `#channel_layout_name` and the like, as printed.
        var attributes: [String: String] = [:]
    }

    struct Packet: Sendable, Equatable, CustomStringConvertible {
        var stream: Int
        var dts: Int64
        var pts: Int64
        /// Derived by the demuxer (FLV carries no packet duration): not part of what was sent.
        var duration: Int64
        var size: Int
        var md5: String
        /// Side data printed after the hash (`S=1, 5, md5`): with FLV, a sequence header seen again mid-stream
        /// appears here as new extradata on the next packet.
        var sideData: String?

        var description: String { "stream \(stream) dts \(dts) pts \(pts) size \(size) md5 \(md5)" }
    }

    var streams: [Stream]
    var packets: [Packet]

    init(streams: [Stream], packets: [Packet]) {
        self.streams = streams
        self.packets = packets
    }

    init(parsing text: String) throws {
        var streams: [Int: Stream] = [:]
        var packets: [Packet] = []
        func stream(_ index: Int) -> Stream { streams[index] ?? Stream(index: index) }
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") {
                // "#extradata 0,     44, md5" and "#tb 0: 1/1000", "#codec_id 0: h264", "#dimensions 0: 320x240"
                let body = line.dropFirst()
                guard let space = body.firstIndex(of: " ") else { continue }
                let key = String(body[..<space])
                let rest = body[body.index(after: space)...]
                if key == "extradata" {
                    let fields = rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    guard fields.count == 3, let index = Int(fields[0]) else { continue }
                    var s = stream(index)
                    s.extradataSize = Int(fields[1])
                    s.extradataMD5 = fields[2]
                    streams[index] = s
                    continue
                }
                guard let colon = rest.firstIndex(of: ":"), let index = Int(rest[..<colon]) else { continue }
                let value = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                var s = stream(index)
                switch key {
                case "tb": s.timeBase = value
                case "media_type": s.mediaType = value
                case "codec_id": s.codec = value
                default: s.attributes[key] = value
                }
                streams[index] = s
                continue
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 6, let index = Int(fields[0]), let dts = Int64(fields[1]),
                let pts = Int64(fields[2]), let duration = Int64(fields[3]), let size = Int(fields[4])
            else {
                throw HarnessError("framemd5: unexpected line '\(line)'")
            }
            let side = fields.count > 6 ? fields[6...].joined(separator: ", ") : nil
            packets.append(
                Packet(stream: index, dts: dts, pts: pts, duration: duration, size: size, md5: fields[5],
                       sideData: side))
        }
        self.streams = streams.keys.sorted().map { streams[$0]! }
        self.packets = packets
    }

    func packets(ofStream index: Int) -> [Packet] { packets.filter { $0.stream == index } }

    /// Where `self` (what a server recorded or a player received) differs from `reference` (what was sent), in
    /// what a publisher controls: per stream the codec, the extradata (sequence header) and the sequence of
    /// packets (dts, pts, size, payload md5). Ignored: packet durations (derived by the demuxer), side data
    /// (nginx writes the AAC sequence header twice, which surfaces as new-extradata side data) and the
    /// interleaving of audio with video (a server may reorder the two streams relative to each other).
    /// `timestampOffset` is added to the reference's timestamps first. Empty when they agree; at most
    /// `limit` lines otherwise.
    func mismatches(comparedTo reference: FrameMD5, timestampOffset: Int64 = 0, limit: Int = 10) -> [String] {
        var problems: [String] = []
        let indexes = Set(streams.map(\.index)).union(reference.streams.map(\.index)).sorted()
        for index in indexes {
            let mine = streams.first { $0.index == index }
            let theirs = reference.streams.first { $0.index == index }
            guard let mine, let theirs else {
                problems.append("stream \(index) is \(mine == nil ? "missing" : "unexpected")")
                continue
            }
            if mine.codec != theirs.codec || mine.mediaType != theirs.mediaType {
                problems.append(
                    "stream \(index): \(mine.mediaType ?? "?")/\(mine.codec ?? "?"), "
                        + "expected \(theirs.mediaType ?? "?")/\(theirs.codec ?? "?")")
            }
            if mine.extradataMD5 != theirs.extradataMD5 {
                problems.append(
                    "stream \(index): extradata \(mine.extradataSize ?? 0) bytes \(mine.extradataMD5 ?? "none"), "
                        + "expected \(theirs.extradataSize ?? 0) bytes \(theirs.extradataMD5 ?? "none")")
            }
            let got = packets(ofStream: index)
            let want = reference.packets(ofStream: index)
            if got.count != want.count {
                problems.append("stream \(index): \(got.count) packets, expected \(want.count)")
            }
            var reported = 0
            for (n, (g, w)) in zip(got, want).enumerated() {
                if g.dts != w.dts + timestampOffset || g.pts != w.pts + timestampOffset || g.size != w.size
                    || g.md5 != w.md5
                {
                    problems.append("stream \(index) packet \(n): got \(g), expected \(w)")
                    reported += 1
                    if reported >= 3 { break }
                }
            }
        }
        return Array(problems.prefix(limit))
    }
}

/// The parts of `ffprobe -print_format json -show_streams -show_format` that tests compare; `json` holds it all.
struct FFprobeOutput: Decodable, Sendable {
    struct Stream: Decodable, Sendable {
        var index: Int
        var codecType: String?
        var codecName: String?
        var profile: String?
        var level: Int?
        var width: Int?
        var height: Int?
        var pixFmt: String?
        /// "25/1"
        var rFrameRate: String?
        var avgFrameRate: String?
        /// A string in ffprobe's JSON, e.g. "44100".
        var sampleRate: String?
        var channels: Int?
        var bitRate: String?

        enum CodingKeys: String, CodingKey {
            case index, profile, level, width, height, channels
            case codecType = "codec_type", codecName = "codec_name", pixFmt = "pix_fmt"
            case rFrameRate = "r_frame_rate", avgFrameRate = "avg_frame_rate", sampleRate = "sample_rate"
            case bitRate = "bit_rate"
        }

        /// `r_frame_rate` as a number (25.0 for "25/1"; nil for "0/0").
        var frameRate: Double? { Self.rational(rFrameRate) }
        var averageFrameRate: Double? { Self.rational(avgFrameRate) }

        static func rational(_ text: String?) -> Double? {
            guard let parts = text?.split(separator: "/"), parts.count == 2, let n = Double(parts[0]),
                let d = Double(parts[1]), d != 0
            else { return nil }
            return n / d
        }
    }

    struct Format: Decodable, Sendable {
        var formatName: String?
        var duration: String?
        var bitRate: String?
        var tags: [String: String]?

        enum CodingKeys: String, CodingKey {
            case duration, tags
            case formatName = "format_name", bitRate = "bit_rate"
        }
    }

    var streams: [Stream]
    var format: Format?
    /// The whole JSON ffprobe printed.
    var json = Data()

    enum CodingKeys: String, CodingKey { case streams, format }

    var video: Stream? { streams.first { $0.codecType == "video" } }
    var audio: Stream? { streams.first { $0.codecType == "audio" } }
}
