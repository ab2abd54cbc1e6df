import ArgumentParser
import Foundation
import MediaCore
import MediaTransport

#if canImport(Glibc)
    import Glibc
#endif

/// `rtms replay RECORDING` without --serve: every recorded message as a line (JSON with --json), streams merged
/// in arrival order, as fast as possible or paced (--realtime, --speed).
struct ReplayEvents {
    let command: MediaCtl.RTMS.Replay
    let console: Console

    /// Unpaced output is written in blocks of about this size (line by line when paced).
    static let outputBlock = 64 << 10

    /// One stream being read: its files in turn, and the record read ahead.
    private struct Cursor {
        var stream: RTMSRecordedStream
        var fileIndex = 0
        var reader: RTMSRecordingFileReader?
        var ahead: RTMSRecordingRecord?
        var records = 0
    }

    func run() async throws {
        let streams = try await RTMSRecordingLocator.streams(at: command.recording, streamID: command.stream)
        let filter = RTMSReplayFilter(types: try command.types.map(RTMSReplayFilter.parseTypes), userID: command.user)
        let pace = command.pace
        let signals = Signals { _ in }
        var out = LineBuffer(flushAt: pace == nil ? Self.outputBlock : 0)
        defer { out.flush() }

        var cursors = streams.map { Cursor(stream: $0) }
        var damaged = 0
        for i in cursors.indices { damaged += try await advance(&cursors[i], out: &out) }
        let origin = cursors.compactMap { $0.ahead?.arrivalMicros }.min() ?? 0
        let wallStart = Date()
        var lines = 0

        while let i = cursors.indices.filter({ cursors[$0].ahead != nil }).min(by: {
            cursors[$0].ahead!.arrivalMicros < cursors[$1].ahead!.arrivalMicros
        }) {
            if signals.wasInterrupted { break }
            let record = cursors[i].ahead!
            let stream = cursors[i].stream
            if let pace {
                let due = Double(record.arrivalMicros &- min(origin, record.arrivalMicros)) / 1_000_000 / pace
                let wait = due - Date().timeIntervalSince(wallStart)
                if wait > 0 {
                    out.flush()
                    try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
                    if signals.wasInterrupted { break }
                }
            }
            if let line = RTMSReplayLine.from(record, stream: stream.streamID, product: stream.product) {
                let object = line.jsonObject(emitMedia: command.emitMedia)
                if filter.accepts(object) {
                    lines += 1
                    if console.json {
                        out.append(object.jsonString)
                    } else {
                        let seconds = Double(Int64(bitPattern: record.arrivalMicros &- origin)) / 1_000_000
                        out.append(ReplayText.line(object, seconds: seconds, showStream: streams.count > 1))
                    }
                }
            }
            damaged += try await advance(&cursors[i], out: &out)
        }
        out.flush()
        if signals.wasInterrupted {
            console.note("interrupted after \(lines) lines")
            throw ExitCode(130)
        }
        let records = cursors.map(\.records).reduce(0, +)
        console.note("replayed \(records) records of \(streams.count) stream\(streams.count == 1 ? "" : "s"): \(lines) lines")
        if damaged > 0 { throw ExitCode(MediaError.Kind.malformedInput.exitCode) }
    }

    /// Reads the next record of a stream into `ahead` (opening its next file when one ends). Damage at the end of
    /// a file is reported where it happens in the output; returns how many damaged files were met.
    private func advance(_ cursor: inout Cursor, out: inout LineBuffer) async throws -> Int {
        var damaged = 0
        cursor.ahead = nil
        while cursor.fileIndex < cursor.stream.files.count {
            if cursor.reader == nil { cursor.reader = try RTMSRecordingFileReader(path: cursor.stream.files[cursor.fileIndex]) }
            if let record = try await cursor.reader!.next() {
                cursor.ahead = record
                cursor.records += 1
                return damaged
            }
            if let damage = cursor.reader!.damage {
                damaged += 1
                out.flush()
                report(damage, file: cursor.reader!.path, stream: cursor.stream.streamID, records: cursor.records, out: &out)
            }
            cursor.reader = nil
            cursor.fileIndex += 1
        }
        return damaged
    }

    /// Notes the damage on stderr and, with --json, as an `rtms.damage` line.
    private func report(_ damage: RTMSRecordingDamage, file: String, stream: String, records: Int, out: inout LineBuffer) {
        let kind = MediaError.Kind.malformedInput
        console.error("\(file): \(damage) (replayed \(records) records before it)")
        guard console.json else { return }
        out.append(
            JSONValue.object([
                JSONField("type", "rtms.damage"), JSONField("stream", .string(stream)), JSONField("file", .string(file)),
                JSONField("offset", .int(Int64(damage.offset))), JSONField("reason", .string(damage.reason)),
                JSONField("records", .int(Int64(records))), JSONField("code", .string(kind.code)),
                JSONField("exit_code", .int(Int64(kind.exitCode))),
            ]).jsonString)
        out.flush()
    }
}

/// Lines for stdout, written in blocks (`flushAt` bytes; 0 writes every line at once) with `Console.writeAll`.
struct LineBuffer {
    let flushAt: Int
    private var pending = ""

    init(flushAt: Int) {
        self.flushAt = flushAt
        if flushAt > 0 { pending.reserveCapacity(flushAt + 4096) }
    }

    mutating func append(_ line: String) {
        pending += line
        pending += "\n"
        if pending.utf8.count >= flushAt { flush() }
    }

    mutating func flush() {
        guard !pending.isEmpty else { return }
        Console.writeAll(STDOUT_FILENO, pending)
        pending.removeAll(keepingCapacity: true)
    }
}
