import ArgumentParser
import MediaCore
import MediaTransport

/// The publishing options `rtmp push` and `rtms replay --push` share: how to connect, reconnect and buffer.
struct PushOptions: ParsableArguments {
    @Option(name: .customLong("flash-ver"), help: "flashVer sent in connect.")
    var flashVersion = RTMPClientSession.defaultFlashVersion

    @Option(name: .customLong("chunk-size"), help: "Outgoing RTMP chunk size in bytes (128 to 16777215), announced before connect.")
    var chunkSize = RTMPClientSession.defaultChunkSize

    @Flag(name: .customLong("no-metadata"), help: "Do not send @setDataFrame onMetaData.")
    var noMetadata = false

    @Option(help: ArgumentHelp("Reconnect up to this many times after the connection drops.", valueName: "attempts"))
    var reconnect = 0

    @Option(name: .customLong("reconnect-delay"), help: ArgumentHelp("First delay before reconnecting; doubles each attempt, at most 30 s.", valueName: "seconds"))
    var reconnectDelay = 1.0

    @Option(help: ArgumentHelp("Most media time queued while the link is slower than the stream; past it, video frames are dropped (never audio or keyframes).", valueName: "ms"))
    var buffer = 2000

    @Option(help: ArgumentHelp("Local address to connect from.", valueName: "address"))
    var bind: String?

    @Option(help: ArgumentHelp("Seconds to wait for connecting, for the server's answers and for a stalled write.", valueName: "seconds"))
    var timeout = 10.0

    @Option(name: .customLong("stats-interval"), help: ArgumentHelp("Seconds between rtmp.stats events (0: none).", valueName: "seconds"))
    var statsInterval = 1.0

    /// The first of these options given a value other than its default (for commands where they need --push).
    var firstChanged: String? {
        let changed: [(Bool, String)] = [
            (flashVersion != RTMPClientSession.defaultFlashVersion, "--flash-ver"),
            (chunkSize != RTMPClientSession.defaultChunkSize, "--chunk-size"), (noMetadata, "--no-metadata"),
            (reconnect != 0, "--reconnect"), (reconnectDelay != 1, "--reconnect-delay"), (buffer != 2000, "--buffer"),
            (bind != nil, "--bind"), (timeout != 10, "--timeout"), (statsInterval != 1, "--stats-interval"),
        ]
        return changed.first(where: \.0)?.1
    }

    func validate() throws {
        guard (128...16_777_215).contains(chunkSize) else {
            throw ValidationError("--chunk-size must be between 128 and 16777215")
        }
        guard reconnect >= 0, reconnectDelay >= 0, buffer >= 0, timeout > 0, statsInterval >= 0 else {
            throw ValidationError("--reconnect, --reconnect-delay, --buffer, --stats-interval must not be negative and --timeout must be positive")
        }
    }

    /// The URL (with `--stream NAME` when given) and these options, ready for `RTMPPublisher`. Throws `.usage`
    /// for a URL without a stream name and, with `resolvingHostOf` (how errors name the URL: "URL", "--push URL"),
    /// for a host name that does not resolve: the check a command makes before anything starts.
    func publishOptions(url: String, streamName: String?, tls: TLSFlags, resolvingHostOf option: String? = nil) throws -> PublishOptions {
        let parsed = try RTMPURL(url, streamName: streamName)
        guard parsed.publishName != nil else {
            throw MediaError(.usage, "no stream name in '\(parsed.redacted)': end the URL with /NAME or give --stream NAME")
        }
        if let option { try HostResolution.check(parsed, option: option) }
        var options = PublishOptions(url: parsed)
        options.tls = tls.options
        options.flashVersion = flashVersion
        options.chunkSize = chunkSize
        options.metadata = !noMetadata
        options.reconnectAttempts = reconnect
        options.reconnectDelay = reconnectDelay
        options.bufferMilliseconds = buffer
        options.bindAddress = bind
        options.connectTimeout = timeout
        options.sendTimeout = timeout
        options.receiveTimeout = timeout
        options.statsInterval = statsInterval
        return options
    }
}
