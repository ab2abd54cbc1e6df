import MediaCore
import NIOCore

public struct ProbeOptions: Sendable {
    public var url: RTMPURL
    public var tls = TLSOptions()
    /// Longest the whole probe may take (connect, play, codecs), in seconds.
    public var timeout = 5.0
    /// Watch the stream this long after it starts, to measure bitrate, frame rate and keyframe interval.
    public var duration: Double?
    public var bindAddress: String?
    public var flashVersion = "LNX 9,0,124,2"

    public init(url: RTMPURL) {
        self.url = url
    }
}

/// What `rtmp probe` found.
public struct ProbeResult: Sendable {
    public enum State: String, Sendable {
        /// Connected (and, with a stream name, its codecs are known).
        case ok
        /// The stream started but the timeout came before every codec was known.
        case incomplete
        /// The server accepted `play` but sent no media before the timeout (nginx does this for a stream that
        /// does not exist; ffprobe hangs there).
        case noData = "no_data"
        /// The server said the stream does not exist (`NetStream.Play.StreamNotFound`).
        case notFound = "not_found"
    }

    public var state: State = .ok
    public var server = RTMPServerInfo()
    public var timings = RTMPConnectionTimings()
    public var firstMetadata: Double?
    public var firstMedia: Double?
    public var firstKeyframe: Double?
    public var codecsKnown: Double?
    public var stream = StreamInfo()
    public var statuses: [RTMPStatus] = []
    /// Media watched, in seconds of wall time since the first media message.
    public var watched: Double = 0
    public var mediaBytes: UInt64 = 0

    public init() {}
}

/// Connects, optionally plays a stream, and reports what the server and the stream are.
public enum RTMPProber {
    /// Metadata names the codecs at once, but a new player gets video only from the next keyframe (rtmp-peer-
    /// notes.md): wait for the audio, which comes at once, not for the keyframe.
    static func audioHeard(_ analyzer: StreamAnalyzer) -> Bool {
        guard let audio = analyzer.info.audio else { return true }
        return audio.hasSequenceHeader || audio.frames > 0
    }

    public static func probe(_ options: ProbeOptions) async throws -> ProbeResult {
        let url = options.url
        let name = url.publishName
        let configuration = RTMPClientSession.Configuration(
            app: url.app, tcUrl: url.tcUrl, flashVersion: options.flashVersion,
            role: name.map { .play(name: $0) } ?? .connectOnly)
        let endpoint = RTMPEndpoint(
            host: url.host, port: url.port, tls: url.scheme.usesTLS ? options.tls : nil, bindAddress: options.bindAddress,
            connectTimeout: options.timeout)
        let started = ContinuousClock.now
        @Sendable func elapsed() -> Double { RTMPPublisher.milliseconds(ContinuousClock.now - started) }

        return try await RTMPConnection.run(endpoint: endpoint, session: configuration) { connection in
            var result = ProbeResult()
            var analyzer = StreamAnalyzer()
            var mediaStart: ContinuousClock.Instant?
            let limit = options.timeout + (options.duration ?? 0)
            connection.armDeadline(limit, "probe timed out after \(limit) s")
            func finish(_ state: ProbeResult.State) -> ProbeResult {
                var result = result
                result.state = state
                result.server = connection.serverInfo
                result.timings = connection.timings
                result.stream = analyzer.info
                if let mediaStart { result.watched = RTMPPublisher.milliseconds(ContinuousClock.now - mediaStart) / 1000 }
                return result
            }
            do {
                for try await event in connection.events {
                    switch event {
                    case .connectRejected(let status):
                        throw MediaError(
                            status.details.contains("authmod") ? .authenticationFailed : .peerRefused,
                            "server refused connect: \(status)")
                    case .connected:
                        if name == nil { return finish(.ok) }
                    case .streamStarted(_, let status):
                        result.statuses.append(status)
                    case .status(let status):
                        result.statuses.append(status)
                        if status.code == "NetStream.Play.StreamNotFound" { return finish(.notFound) }
                    case .metadata(let object):
                        if result.firstMetadata == nil { result.firstMetadata = elapsed() }
                        analyzer.observeMetadata(object)
                    case .media(let message):
                        guard let type = FLVTagType(rawValue: message.typeID) else { continue }
                        let now = elapsed()
                        if result.firstMedia == nil {
                            result.firstMedia = now
                            mediaStart = .now
                        }
                        result.mediaBytes += UInt64(message.payload.readableBytes)
                        analyzer.observe(type: type, timestamp: message.timestamp, payload: message.payload)
                        if result.firstKeyframe == nil, type == .video,
                            (try? VideoTagHeader.parse(message.payload))?.isKeyframe == true
                        {
                            result.firstKeyframe = now
                        }
                    case .reconnectRequested:
                        break
                    }
                    if result.codecsKnown == nil, analyzer.hasCodecs || (analyzer.metadataDescribesCodecs && audioHeard(analyzer)) {
                        result.codecsKnown = elapsed()
                    }
                    if result.codecsKnown != nil {
                        guard let duration = options.duration else { return finish(.ok) }
                        if let mediaStart, ContinuousClock.now - mediaStart >= .milliseconds(Int64(duration * 1000)) {
                            return finish(.ok)
                        }
                    }
                }
                throw MediaError(.peerUnavailable, "\(endpoint.displayName) closed the connection")
            } catch let error as MediaError where error.kind == .timeout {
                if result.firstMedia != nil {
                    return finish(result.codecsKnown != nil ? .ok : .incomplete)
                }
                if connection.timings.streamStarted != nil || connection.timings.connectResult != nil, name != nil {
                    return finish(.noData)
                }
                throw error
            }
        }
    }
}
