import Foundation
import MediaCore
import MediaTransport

#if canImport(Glibc)
    import Glibc
#endif

/// How the transponder commands print statuses: JSON (an array for `ls`, one object for the others), a table on
/// a terminal, tab-separated lines otherwise (same columns, no header).
struct TransponderReport {
    let console: Console
    let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1

    static let columns = ["ID", "STATE", "UPTIME", "SOURCE", "URL", "SIZE", "AUDIO", "KBIT/S", "SENT", "RECONN", "BUFFER", "PID"]

    func list(_ statuses: [TransponderStatus]) {
        if console.json {
            console.data(JSONValue.array(statuses.map(\.jsonValue)).jsonString)
        } else {
            rows(statuses)
        }
    }

    func one(_ status: TransponderStatus) {
        if console.json {
            console.json(status.jsonValue)
        } else {
            rows([status])
        }
    }

    /// `ls` shows only these, and stderr says why one has no numbers.
    func problems(_ messages: [String]) {
        for message in messages { console.warning(message) }
    }

    private func rows(_ statuses: [TransponderStatus]) {
        let cells = statuses.map(Self.cells)
        if cells.isEmpty {
            if stdoutIsTerminal { console.note("no transponders") }
            return
        }
        guard stdoutIsTerminal else {
            for row in cells { console.data(row.joined(separator: "\t")) }
            return
        }
        let table = [Self.columns] + cells
        var widths = Self.columns.map(\.count)
        for row in table {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        for row in table {
            let padded = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }
            console.data(padded.joined(separator: "  "))
        }
    }

    static func cells(_ status: TransponderStatus) -> [String] {
        let entry = status.entry
        let snapshot = status.snapshot
        let size = snapshot.flatMap { s in s.width.flatMap { w in s.height.map { "\(w)x\($0)" } } } ?? "-"
        var audio = entry.editsAudio ? "live" : "copy"
        if let snapshot {
            if snapshot.muted { audio = "muted" }
            if snapshot.soundEnabled { audio += "+sound" }
        }
        return [
            entry.id.rawValue,
            snapshot?.state.rawValue ?? "no answer",
            snapshot.map { duration($0.uptime) } ?? "-",
            entry.source,
            entry.destination.redactedURL,
            size,
            audio,
            snapshot.map { String(format: "%.0f", $0.bitrateKbps) } ?? "-",
            snapshot.map { bytes($0.bytesSent) } ?? "-",
            snapshot.map { String($0.reconnects) } ?? "-",
            snapshot.map { "\($0.bufferDepthMilliseconds) ms" } ?? "-",
            String(entry.pid),
        ]
    }

    /// `42s`, `3m05s`, `2h01m`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, total / 60 % 60)
    }

    /// `812 B`, `3.4 MB`.
    static func bytes(_ count: UInt64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}

/// The runtime directory of this process's environment, the way every transponder command finds it.
enum TransponderEnvironment {
    static var registry: TransponderRegistry {
        get throws { try TransponderRegistry(environment: ProcessInfo.processInfo.environment) }
    }
}
