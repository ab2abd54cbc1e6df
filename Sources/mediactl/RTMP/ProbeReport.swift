import Foundation
import MediaCore
import MediaTransport

/// The `--require-*`/`--min-*`/`--max-*` assertions of `rtmp probe`: each failure is one readable line.
struct ProbeRequirements {
    var video: String?
    var audio: String?
    var minFPS: Double?
    var minWidth: Int?
    var minHeight: Int?
    var minBitrate: Double?
    var maxKeyframeInterval: Double?

    func check(_ result: ProbeResult) -> [String] {
        var failures: [String] = []
        let stream = result.stream
        if let wanted = video {
            if let codec = stream.video?.codec {
                if wanted != "any", wanted.lowercased() != codec { failures.append("video codec is \(codec), required \(wanted)") }
            } else {
                failures.append("no video, required \(wanted)")
            }
        }
        if let wanted = audio {
            if let codec = stream.audio?.codec {
                if wanted != "any", wanted.lowercased() != codec { failures.append("audio codec is \(codec), required \(wanted)") }
            } else {
                failures.append("no audio, required \(wanted)")
            }
        }
        if let minFPS {
            let fps = ProbeReport.frameRate(stream)
            if (fps ?? 0) < minFPS { failures.append("frame rate is \(fps.map { String(format: "%.2f", $0) } ?? "unknown"), required at least \(minFPS)") }
        }
        if let minWidth, (stream.video?.width ?? 0) < minWidth {
            failures.append("width is \(stream.video?.width.map(String.init) ?? "unknown"), required at least \(minWidth)")
        }
        if let minHeight, (stream.video?.height ?? 0) < minHeight {
            failures.append("height is \(stream.video?.height.map(String.init) ?? "unknown"), required at least \(minHeight)")
        }
        if let minBitrate {
            let kbps = ProbeReport.bitrate(result)
            if (kbps ?? 0) < minBitrate { failures.append("bitrate is \(kbps.map { String(format: "%.0f", $0) } ?? "unknown") kbit/s, required at least \(minBitrate)") }
        }
        if let maxKeyframeInterval {
            let interval = stream.video?.keyframeInterval
            if interval == nil || interval! > maxKeyframeInterval {
                failures.append("keyframe interval is \(interval.map { String(format: "%.2f", $0) } ?? "unknown") s, required at most \(maxKeyframeInterval)")
            }
        }
        return failures
    }
}

/// `rtmp probe`'s answer: one JSON object with --json, readable lines without.
struct ProbeReport {
    let url: RTMPURL
    let result: ProbeResult
    let failures: [String]

    static func frameRate(_ stream: StreamInfo) -> Double? {
        stream.video?.frameRate ?? stream.video?.measuredFrameRate
    }

    /// Measured over the media timestamps seen (needs a few seconds of --duration to mean much).
    static func bitrate(_ result: ProbeResult) -> Double? {
        guard let seconds = result.stream.durationSeconds, seconds > 0 else { return nil }
        return Double(result.mediaBytes) * 8 / seconds / 1000
    }

    static func rounded(_ value: Double?, _ places: Double = 100) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .double((value * places).rounded() / places)
    }

    var json: JSONValue {
        let server = result.server
        let timings = result.timings
        var fields: [JSONField] = [
            JSONField("type", "rtmp.probe"),
            JSONField("url", .string(url.redacted)),
            JSONField("state", .string(result.state.rawValue)),
            JSONField("ok", .bool(failures.isEmpty && (result.state == .ok || result.state == .incomplete))),
            JSONField(
                "server",
                .object([
                    JSONField("fms_ver", server.serverVersion.map { .string($0) } ?? .null),
                    JSONField("capabilities", Self.rounded(server.capabilities)),
                    JSONField("mode", Self.rounded(server.mode)),
                    JSONField("code", server.code.map { .string($0) } ?? .null),
                    JSONField("description", server.description.map { .string($0) } ?? .null),
                    JSONField("object_encoding", Self.rounded(server.objectEncoding)),
                    JSONField("window_ack_size", server.windowAcknowledgementSize.map { .int(Int64($0)) } ?? .null),
                    JSONField("peer_bandwidth", server.peerBandwidth.map { .int(Int64($0)) } ?? .null),
                    JSONField("chunk_size", server.serverChunkSize.map { .int(Int64($0)) } ?? .null),
                ])),
            JSONField("rtt_ms", Self.rounded(timings.handshakeRoundTrip)),
            JSONField(
                "timing_ms",
                .object([
                    JSONField("tcp_connect", Self.rounded(timings.tcpConnected)),
                    JSONField("handshake", Self.rounded(timings.handshakeDone)),
                    JSONField("connect", Self.rounded(timings.connectResult)),
                    JSONField("play_start", Self.rounded(timings.streamStarted)),
                    JSONField("first_metadata", Self.rounded(result.firstMetadata)),
                    JSONField("first_media", Self.rounded(result.firstMedia)),
                    JSONField("first_keyframe", Self.rounded(result.firstKeyframe)),
                    JSONField("codecs_known", Self.rounded(result.codecsKnown)),
                ])),
        ]
        if url.publishName != nil {
            fields.append(JSONField("stream", .string(url.redacted.components(separatedBy: "/").last ?? "")))
            fields.append(JSONField("metadata", result.stream.metadata?.jsonValue ?? .null))
            fields.append(JSONField("video", videoJSON))
            fields.append(JSONField("audio", audioJSON))
            fields.append(JSONField("watched_s", Self.rounded(result.watched, 1000)))
            fields.append(JSONField("bitrate_kbps", Self.rounded(Self.bitrate(result), 10)))
            fields.append(JSONField("statuses", .array(result.statuses.map { .string($0.code) })))
        }
        fields.append(JSONField("failures", .array(failures.map { .string($0) })))
        return .object(fields)
    }

    var videoJSON: JSONValue {
        guard let video = result.stream.video else { return .null }
        let seconds = result.stream.durationSeconds
        return .object([
            JSONField("codec", .string(video.codec)),
            JSONField("profile", video.profile.map { .string($0) } ?? .null),
            JSONField("level", Self.rounded(video.level, 10)),
            JSONField("width", video.width.map { .int(Int64($0)) } ?? .null),
            JSONField("height", video.height.map { .int(Int64($0)) } ?? .null),
            JSONField("fps", Self.rounded(Self.frameRate(result.stream))),
            JSONField("measured_fps", Self.rounded(video.measuredFrameRate)),
            JSONField("frames", .int(Int64(video.frames))),
            JSONField("keyframes", .int(Int64(video.keyframes))),
            JSONField("keyframe_interval_s", Self.rounded(video.keyframeInterval)),
            JSONField("bitrate_kbps", Self.rounded(seconds.flatMap { $0 > 0 ? Double(video.bytes) * 8 / $0 / 1000 : nil }, 10)),
        ])
    }

    var audioJSON: JSONValue {
        guard let audio = result.stream.audio else { return .null }
        let seconds = result.stream.durationSeconds
        return .object([
            JSONField("codec", .string(audio.codec)),
            JSONField("profile", audio.objectType.map { .string($0) } ?? .null),
            JSONField("sample_rate", audio.sampleRate.map { .int(Int64($0)) } ?? .null),
            JSONField("channels", audio.channels.map { .int(Int64($0)) } ?? .null),
            JSONField("sample_size", audio.sampleSize.map { .int(Int64($0)) } ?? .null),
            JSONField("frames", .int(Int64(audio.frames))),
            JSONField("bitrate_kbps", Self.rounded(seconds.flatMap { $0 > 0 ? Double(audio.bytes) * 8 / $0 / 1000 : nil }, 10)),
        ])
    }

    var text: String {
        let server = result.server
        let timings = result.timings
        var lines = [
            "url:        \(url.redacted)",
            "state:      \(result.state.rawValue)",
            "server:     \(server.serverVersion ?? "unknown")\(server.capabilities.map { " (capabilities \(Int($0)))" } ?? "")",
            "timing:     tcp \(format(timings.tcpConnected)) ms, handshake \(format(timings.handshakeDone)) ms, connect \(format(timings.connectResult)) ms, rtt \(format(timings.handshakeRoundTrip)) ms",
            "window:     ack \(server.windowAcknowledgementSize.map(String.init) ?? "-"), peer bandwidth \(server.peerBandwidth.map(String.init) ?? "-"), chunk size \(server.serverChunkSize.map(String.init) ?? "-")",
        ]
        if url.publishName != nil {
            if let video = result.stream.video {
                var line = "video:      \(video.codec)"
                if let profile = video.profile { line += " \(profile)" }
                if let level = video.level { line += " level \(String(format: "%.1f", level))" }
                if let width = video.width, let height = video.height { line += ", \(width)x\(height)" }
                if let fps = Self.frameRate(result.stream) { line += ", \(String(format: "%.2f", fps)) fps" }
                if let interval = video.keyframeInterval { line += ", keyframe every \(String(format: "%.2f", interval)) s" }
                lines.append(line)
            } else {
                lines.append("video:      none")
            }
            if let audio = result.stream.audio {
                var line = "audio:      \(audio.codec)"
                if let profile = audio.objectType { line += " \(profile)" }
                if let rate = audio.sampleRate { line += ", \(rate) Hz" }
                if let channels = audio.channels { line += ", \(channels) ch" }
                lines.append(line)
            } else {
                lines.append("audio:      none")
            }
            lines.append(
                "first:      metadata \(format(result.firstMetadata)) ms, media \(format(result.firstMedia)) ms, keyframe \(format(result.firstKeyframe)) ms, codecs known \(format(result.codecsKnown)) ms"
            )
            if let kbps = Self.bitrate(result) { lines.append("bitrate:    \(String(format: "%.0f", kbps)) kbit/s") }
        }
        return lines.joined(separator: "\n")
    }
}
