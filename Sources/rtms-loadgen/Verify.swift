import ArgumentParser
import Foundation
import MediaCore
import NIOCore

/// `rtms-loadgen verify DIR`: reads every `*/stream.mrtms` below DIR with the core's reader and reports, as one
/// JSON line, how many media messages were recorded, whether any recording is damaged, and how long messages
/// took from their scheduled time (the `timestamp` the load server put in them) to their arrival.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Count and time what rtms listen --record wrote.")

    @Argument var directory: String

    func run() async throws {
        var recordings = 0
        var damaged: [String] = []
        var audio = 0
        var video = 0
        var other = 0
        var bytes = 0
        var latency = [Int](repeating: 0, count: 60_001)
        let streams = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for stream in streams.sorted() {
            let path = "\(directory)/\(stream)/stream.mrtms"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            recordings += 1
            bytes += data.count
            var reader = RTMSRecordingReader()
            reader.append(ByteBuffer(bytes: data))
            reader.inputEnded()
            while let record = try reader.next() {
                guard record.isMessage else { continue }
                let text = record.payload
                guard let type = Self.msgType(text) else { continue }
                switch type {
                case 14: audio += 1
                case 15: video += 1
                default:
                    other += 1
                    continue
                }
                if let sent = Self.trailingTimestamp(text) {
                    let ms = Int(Int64(record.arrivalMicros / 1000) - sent)
                    latency[min(max(ms, 0), latency.count - 1)] += 1
                }
            }
            if let damage = reader.damage { damaged.append("\(path): \(damage)") }
        }
        func percentile(_ p: Double) -> Int {
            let total = latency.reduce(0, +)
            var seen = 0
            for (ms, count) in latency.enumerated() {
                seen += count
                if total > 0, Double(seen) >= p * Double(total) { return ms }
            }
            return 0
        }
        let report = JSONValue.object([
            JSONField("type", "loadgen.verify"),
            JSONField("recordings", .int(Int64(recordings))),
            JSONField("audio", .int(Int64(audio))),
            JSONField("video", .int(Int64(video))),
            JSONField("other_messages", .int(Int64(other))),
            JSONField("bytes", .int(Int64(bytes))),
            JSONField("damaged", .array(damaged.map { .string($0) })),
            JSONField("latency_median_ms", .int(Int64(percentile(0.5)))),
            JSONField("latency_p99_ms", .int(Int64(percentile(0.99)))),
            JSONField("latency_max_ms", .int(Int64(latency.lastIndex { $0 > 0 } ?? 0))),
        ])
        print(report.jsonString)
    }

    /// `{"msg_type":N,` at the start of the load server's messages (and of most others).
    static func msgType(_ text: ByteBuffer) -> Int? {
        let prefix = Array(#"{"msg_type":"#.utf8)
        guard let head = text.getBytes(at: text.readerIndex, length: min(text.readableBytes, prefix.count + 3)),
            head.starts(with: prefix)
        else { return nil }
        var value = 0
        for b in head.dropFirst(prefix.count) {
            guard b >= 48 && b <= 57 else { break }
            value = value * 10 + Int(b - 48)
        }
        return value
    }

    /// The number before the closing `}}` of a load server media message.
    static func trailingTimestamp(_ text: ByteBuffer) -> Int64? {
        let tail = text.getBytes(at: text.readerIndex + max(text.readableBytes - 24, 0), length: min(text.readableBytes, 24)) ?? []
        guard tail.suffix(2) == [125, 125], let colon = tail.lastIndex(of: 58) else { return nil }
        return Int64(String(decoding: tail[(colon + 1)..<(tail.count - 2)], as: UTF8.self))
    }
}
