import Foundation
import NIOCore
import Remux
import Testing

/// Test inputs made with the ffmpeg CLI and outputs checked with ffprobe/ffmpeg.
enum TestMedia {
    struct ToolFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// A fresh directory for one test's files.
    static func directory(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("remux-tests-\(safe)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a tool; stdout goes to a file that is read back, stderr is returned.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> (stdout: Data, stderr: String) {
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("remux-run-\(UUID().uuidString).out")
        let errURL = directory.appendingPathComponent("remux-run-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")  // ffmpeg/ffprobe from PATH
        process.arguments = [tool] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        let stdout = try Data(contentsOf: outURL)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw ToolFailure(description: "\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(stderr)")
        }
        return (stdout, stderr)
    }

    static func ffmpeg(_ arguments: [String]) throws {
        try run("ffmpeg", ["-nostdin", "-v", "error", "-y"] + arguments)
    }

    /// 1000 Hz (or `frequency`) sine as interleaved s16le PCM.
    static func sinePCM(rate: Int, channels: Int, seconds: Double, frequency: Int = 1000, in directory: URL) throws -> Data {
        let url = directory.appendingPathComponent("sine-\(rate)-\(channels).raw")
        try ffmpeg(["-f", "lavfi", "-i", "sine=frequency=\(frequency):sample_rate=\(rate)", "-t", "\(seconds)",
                    "-ac", "\(channels)", "-f", "s16le", "-acodec", "pcm_s16le", url.path])
        return try Data(contentsOf: url)
    }

    /// A sine encoded by ffmpeg into a raw codec stream (`-f mulaw`, `-f alaw`, `-f g722`).
    static func sineEncoded(format: String, codec: String, rate: Int, seconds: Double, in directory: URL) throws -> Data {
        let url = directory.appendingPathComponent("sine.\(format)")
        try ffmpeg(["-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=\(rate)", "-t", "\(seconds)",
                    "-c:a", codec, "-f", format, url.path])
        return try Data(contentsOf: url)
    }

    /// Opus packets (20 ms each) of a 48 kHz sine, cut out of an Ogg file.
    static func sineOpusPackets(channels: Int, seconds: Double, in directory: URL) throws -> [Data] {
        let url = directory.appendingPathComponent("sine.ogg")
        try ffmpeg(["-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "\(seconds)",
                    "-ac", "\(channels)", "-c:a", "libopus", "-b:a", "64k", "-frame_duration", "20", url.path])
        let packets = try OggPackets.split(Data(contentsOf: url))
        // The first two packets are the OpusHead and OpusTags headers.
        return Array(packets.dropFirst(2))
    }

    static func h264AnnexB(seconds: Double, arguments: [String] = [], size: String = "640x360", in directory: URL) throws -> Data {
        let url = directory.appendingPathComponent("video.h264")
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=30", "-t", "\(seconds)", "-c:v", "libx264"]
                   + arguments + ["-bsf:v", "h264_mp4toannexb", "-f", "h264", url.path])
        return try Data(contentsOf: url)
    }

    /// Byte offsets of the access units of an Annex B file, as ffprobe's parser sees them.
    static func accessUnitOffsets(of data: Data, in directory: URL) throws -> [Int] {
        let url = directory.appendingPathComponent("probe.h264")
        try data.write(to: url)
        let json = try probeJSON(["-show_entries", "packet=pos", url.path])
        let packets = try #require(json["packets"] as? [[String: Any]])
        return try packets.map { entry in
            let position = try #require(entry["pos"] as? String)
            return try #require(Int(position))
        }
    }

    /// Pictures from `-f image2pipe` (`mjpeg` or `png`), one `Data` each.
    static func pictures(codec: String, size: String, seconds: Double, rate: Int = 5, in directory: URL) throws -> [Data] {
        let url = directory.appendingPathComponent("pictures-\(size).\(codec)")
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(rate)", "-t", "\(seconds)"]
        if codec == "png" { arguments += ["-pix_fmt", "rgb24"] }
        arguments += ["-c:v", codec, "-f", "image2pipe", url.path]
        try ffmpeg(arguments)
        let data = try Data(contentsOf: url)
        return codec == "png" ? try PictureSplitter.png(data) : try PictureSplitter.jpeg(data)
    }

    static func probeJSON(_ arguments: [String]) throws -> [String: Any] {
        let output = try run("ffprobe", ["-v", "error", "-print_format", "json"] + arguments).stdout
        return try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
    }

    struct Probe {
        var streams: [[String: Any]]
        var format: [String: Any]

        func stream(_ type: String) -> [String: Any]? {
            streams.first { $0["codec_type"] as? String == type }
        }

        var duration: Double { Double(format["duration"] as? String ?? "") ?? -1 }
    }

    static func probe(_ url: URL) throws -> Probe {
        let json = try probeJSON(["-show_streams", "-show_format", url.path])
        return Probe(streams: json["streams"] as? [[String: Any]] ?? [], format: json["format"] as? [String: Any] ?? [:])
    }

    struct Packet {
        var type: String
        var pts: Double
        var dts: Double
        var duration: Double
        var isKey: Bool
    }

    /// Every packet of the file in file order.
    static func packets(_ url: URL) throws -> [Packet] {
        let json = try probeJSON(["-show_entries", "packet=codec_type,pts_time,dts_time,duration_time,flags", url.path])
        let packets = try #require(json["packets"] as? [[String: Any]])
        return packets.map { entry in
            Packet(type: entry["codec_type"] as? String ?? "",
                   pts: Double(entry["pts_time"] as? String ?? "") ?? .nan,
                   dts: Double(entry["dts_time"] as? String ?? "") ?? .nan,
                   duration: Double(entry["duration_time"] as? String ?? "") ?? 0,
                   isKey: (entry["flags"] as? String ?? "").hasPrefix("K"))
        }
    }

    /// Time covered by one stream's packets: from the first start to the last end.
    static func span(_ packets: [Packet], _ type: String) -> (start: Double, end: Double)? {
        let ofType = packets.filter { $0.type == type }
        guard let start = ofType.map(\.pts).min(), let end = ofType.map({ $0.pts + $0.duration }).max() else { return nil }
        return (start, end)
    }

    /// Decoded frames of the video stream with their presentation times, in output order.
    static func decodedFramePTS(_ url: URL) throws -> [Double] {
        let json = try probeJSON(["-select_streams", "v", "-show_entries", "frame=pts_time", url.path])
        let frames = try #require(json["frames"] as? [[String: Any]])
        return frames.map { Double($0["pts_time"] as? String ?? "") ?? .nan }
    }

    /// The audio decoded back to mono s16 at `rate`.
    static func decodeAudio(_ url: URL, rate: Int) throws -> [Int16] {
        let data = try run("ffmpeg", ["-nostdin", "-v", "error", "-i", url.path, "-map", "0:a", "-f", "s16le", "-ac", "1", "-ar", "\(rate)", "-"]).stdout
        return data.withUnsafeBytes { raw in
            (0..<(raw.count / 2)).map { Int16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self)) }
        }
    }

    /// ffmpeg decoding the whole file: what it prints at `-v error` (nothing for a clean file).
    /// `timestampsAsIs`: keep the file's timestamps (ffmpeg's null output otherwise rounds video to the guessed
    /// frame rate and calls frames 1 ms apart non-monotonic, which says nothing about the file).
    static func decodeErrors(_ url: URL, timestampsAsIs: Bool = false) throws -> String {
        let passthrough = timestampsAsIs ? ["-fps_mode", "passthrough", "-enc_time_base", "-1"] : []
        return try run("ffmpeg", ["-nostdin", "-v", "error", "-i", url.path] + passthrough + ["-f", "null", "-"]).stderr
    }

    /// Tone frequency by zero crossings over `samples[range]`.
    static func frequency(_ samples: [Int16], rate: Int, seconds range: ClosedRange<Double>) -> Double {
        let lower = Int(range.lowerBound * Double(rate))
        let upper = min(Int(range.upperBound * Double(rate)), samples.count)
        guard upper - lower > 1 else { return 0 }
        var crossings = 0
        for index in (lower + 1)..<upper where (samples[index - 1] < 0) != (samples[index] < 0) {
            crossings += 1
        }
        return Double(crossings) / 2 / (Double(upper - lower) / Double(rate))
    }

    static func rms(_ samples: [Int16], rate: Int, seconds range: ClosedRange<Double>) -> Double {
        let lower = Int(range.lowerBound * Double(rate))
        let upper = min(Int(range.upperBound * Double(rate)), samples.count)
        guard upper > lower else { return 0 }
        var sum = 0.0
        for index in lower..<upper { sum += Double(samples[index]) * Double(samples[index]) }
        return (sum / Double(upper - lower)).squareRoot()
    }

    static func buffer(_ data: Data) -> ByteBuffer {
        ByteBuffer(bytes: data)
    }
}

/// Ogg pages (RFC 3533) reassembled into packets: a packet ends with a lacing value below 255.
enum OggPackets {
    static func split(_ data: Data) throws -> [Data] {
        let bytes = [UInt8](data)
        var packets: [Data] = []
        var current: [UInt8] = []
        var offset = 0
        while offset + 27 <= bytes.count {
            try #require(bytes[offset..<offset + 4].elementsEqual("OggS".utf8), "Ogg capture pattern at \(offset)")
            let segments = Int(bytes[offset + 26])
            var dataOffset = offset + 27 + segments
            for index in 0..<segments {
                let lacing = Int(bytes[offset + 27 + index])
                current += bytes[dataOffset..<dataOffset + lacing]
                dataOffset += lacing
                if lacing < 255 {
                    packets.append(Data(current))
                    current = []
                }
            }
            offset = dataOffset
        }
        return packets
    }
}

/// Concatenated pictures cut apart.
enum PictureSplitter {
    /// JPEG: from SOI (FF D8) to EOI (FF D9).
    static func jpeg(_ data: Data) throws -> [Data] {
        let bytes = [UInt8](data)
        var pictures: [Data] = []
        var start = 0
        var index = 2
        while index + 1 < bytes.count {
            if bytes[index] == 0xFF && bytes[index + 1] == 0xD9 {
                pictures.append(Data(bytes[start...index + 1]))
                start = index + 2
                index = start + 2
            } else {
                index += 1
            }
        }
        return pictures
    }

    /// PNG: signature, then chunks up to and including IEND.
    static func png(_ data: Data) throws -> [Data] {
        let bytes = [UInt8](data)
        var pictures: [Data] = []
        var start = 0
        while start + 8 <= bytes.count {
            var offset = start + 8
            while true {
                let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
                let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
                offset += 12 + length
                if type == "IEND" { break }
            }
            pictures.append(Data(bytes[start..<offset]))
            start = offset
        }
        return pictures
    }
}
