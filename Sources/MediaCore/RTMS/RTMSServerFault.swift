/// A bad day an emulated RTMS server can stage (`--fault`), to see how an app copes. Times count from the start of
/// the session's playback (its first client ready ack), in seconds of wall time.
public enum RTMSServerFault: Sendable, Equatable, CustomStringConvertible {
    /// Close every media connection of the session without a close frame (the TCP connection just ends).
    case dropMediaAt(Double)
    /// Close the signaling connection and every media connection without a close frame.
    case dropSignalingAt(Double)
    /// Stop sending keep-alive requests on the connections open at that time (new connections get them again).
    case stopKeepAliveAt(Double)
    /// Answer every signaling handshake with this non-zero status code.
    case status(Int64)
    /// Answer every media handshake with this non-zero status code.
    case mediaStatus(Int64)

    /// The faults named in `text`: comma-separated `drop-media-at=S`, `drop-signaling-at=S`, `stop-keepalive-at=S`,
    /// `status=N`, `media-status=N`. Throws `.usage` naming what is wrong.
    public static func parse(_ text: String) throws -> [RTMSServerFault] {
        var faults: [RTMSServerFault] = []
        for part in text.split(separator: ",").map({ $0.rtmsTrimmed() }) where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else {
                throw MediaError(.usage, "fault '\(part)' has no value: write NAME=VALUE (\(names))")
            }
            let (name, value) = (pieces[0], pieces[1])
            switch name {
            case "drop-media-at", "drop-signaling-at", "stop-keepalive-at":
                guard let seconds = Double(value), seconds >= 0, seconds.isFinite else {
                    throw MediaError(.usage, "fault \(name) needs a number of seconds, not '\(value)'")
                }
                faults.append(
                    name == "drop-media-at"
                        ? .dropMediaAt(seconds) : name == "drop-signaling-at" ? .dropSignalingAt(seconds) : .stopKeepAliveAt(seconds))
            case "status", "media-status":
                guard let code = Int64(value), code != 0 else {
                    throw MediaError(.usage, "fault \(name) needs a non-zero status code, not '\(value)'")
                }
                faults.append(name == "status" ? .status(code) : .mediaStatus(code))
            default:
                throw MediaError(.usage, "unknown fault '\(name)' (known: \(names))")
            }
        }
        return faults
    }

    static let names = "drop-media-at=S, drop-signaling-at=S, stop-keepalive-at=S, status=N, media-status=N"

    /// When a timed fault strikes, seconds after playback started; nil for the handshake faults.
    public var time: Double? {
        switch self {
        case .dropMediaAt(let s), .dropSignalingAt(let s), .stopKeepAliveAt(let s): return s
        case .status, .mediaStatus: return nil
        }
    }

    /// "drop-media-at=5", as written on the command line.
    public var description: String {
        switch self {
        case .dropMediaAt(let s): return "drop-media-at=\(Self.format(s))"
        case .dropSignalingAt(let s): return "drop-signaling-at=\(Self.format(s))"
        case .stopKeepAliveAt(let s): return "stop-keepalive-at=\(Self.format(s))"
        case .status(let code): return "status=\(code)"
        case .mediaStatus(let code): return "media-status=\(code)"
        }
    }

    private static func format(_ s: Double) -> String {
        s == s.rounded() && abs(s) < 1e15 ? String(Int64(s)) : String(s)
    }
}
