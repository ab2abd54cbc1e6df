/// `transponder ls --stream NAME --url URL` (the seed's `/push/find` by `streamName` and `rtmpUrl`): which entries
/// to show. Both given: both must match.
public struct TransponderFilter: Sendable, Equatable {
    /// `TransponderDestination.streamDigest(of:)` of `--stream`.
    public var streamDigest: String?
    /// `--url`: the server and app it names, and its stream name's digest if it names one.
    public var server: String?
    public var urlStreamDigest: String?

    public init() {}

    /// `stream`: a stream name (its query, if any, ignored). `url`: an rtmp:// or rtmps:// URL, with or without a
    /// stream name (`rtmp://host/live` matches every stream published to that app); a URL that does not parse is
    /// a usage error.
    public init(stream: String?, url: String?) throws {
        if let stream {
            guard !stream.isEmpty else { throw MediaError(.usage, "--stream needs a stream name") }
            streamDigest = TransponderDestination.streamDigest(of: stream)
        }
        if let url {
            let parsed = try RTMPURL(url)
            server = TransponderDestination.server(of: parsed)
            urlStreamDigest = parsed.streamNameWithoutQuery.map(TransponderDestination.streamDigest(of:))
        }
    }

    public func matches(_ entry: TransponderEntry) -> Bool {
        let destination = entry.destination
        if let streamDigest, destination.streamDigest != streamDigest { return false }
        if let server, destination.server != server { return false }
        if let urlStreamDigest, destination.streamDigest != urlStreamDigest { return false }
        return true
    }
}
