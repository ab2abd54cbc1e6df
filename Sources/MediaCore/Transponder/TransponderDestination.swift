import Crypto

/// Where a transponder publishes, as the registry keeps it: nothing secret in clear.
///
/// The stream name of an RTMP URL is the stream key at most services, so, as everywhere in mediactl
/// (`RTMPURL.redacted`), it is never shown; the registry keeps only a SHA-256 digest of it, which is enough to
/// find a transponder by name (`ls --stream NAME`) and to refuse a second one for the same destination.
public struct TransponderDestination: Sendable, Equatable {
    /// `RTMPURL.redacted`: `rtmp://user:***@host:1935/live/***`.
    public var redactedURL: String
    /// `scheme://host:port/app`, the host lowercased, the port always written, the app without its query:
    /// what `ls --url rtmp://host/app` (a URL without a stream name) matches.
    public var server: String
    /// Lowercase hex SHA-256 of the stream name without its query; nil when the URL names no stream.
    public var streamDigest: String?
    /// Lowercase hex SHA-256 of the whole destination: `server`, the app's query, the stream name and its
    /// query (credentials left out: the same place with other credentials is the same destination).
    public var digest: String

    public init(redactedURL: String, server: String, streamDigest: String?, digest: String) {
        self.redactedURL = redactedURL
        self.server = server
        self.streamDigest = streamDigest
        self.digest = digest
    }

    public init(_ url: RTMPURL) {
        server = Self.server(of: url)
        redactedURL = url.redacted
        streamDigest = url.streamNameWithoutQuery.map(Self.streamDigest(of:))
        var whole = server
        if let query = url.appQuery { whole += "?" + query }
        whole += "\n" + (url.streamName ?? "")
        digest = Self.sha256(whole)
    }

    /// The digest `streamDigest` holds for a stream named `name` (its query, if any, left out).
    public static func streamDigest(of name: String) -> String {
        let withoutQuery = name.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return sha256("stream\n" + withoutQuery)
    }

    static func server(of url: RTMPURL) -> String {
        let host = url.host.contains(":") ? "[\(url.host.lowercased())]" : url.host.lowercased()
        return "\(url.scheme.rawValue)://\(host):\(url.port)/\(url.appWithoutQuery)"
    }

    static func sha256(_ text: String) -> String {
        RTMSHex.encode(Array(SHA256.hash(data: Array(text.utf8))))
    }
}
