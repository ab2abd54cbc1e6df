import MediaCore

/// Where the webhook server listens: `[HOST:]PORT[/PATH]`, host 127.0.0.1 unless given (exposing the server is
/// an explicit choice), `[::1]:PORT` for IPv6, and without a path any path is accepted.
public struct RTMSWebhookEndpoint: Sendable, Equatable, CustomStringConvertible {
    public static let defaultHost = "127.0.0.1"

    public var host: String
    public var port: Int
    /// The only path accepted; nil accepts any.
    public var path: String?

    public init(host: String = RTMSWebhookEndpoint.defaultHost, port: Int, path: String? = nil) {
        self.host = host
        self.port = port
        self.path = path
    }

    /// Parses `[HOST:]PORT[/PATH]`; throws `.usage`.
    public init(parsing text: String) throws {
        var rest = Substring(text)
        var path: String?
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...])
            rest = rest[..<slash]
        }
        var host = Self.defaultHost
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                throw MediaError(.usage, "--webhook \(text): expected [IPV6]:PORT")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(close, offsetBy: 2)...]
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
            guard !host.isEmpty else { throw MediaError(.usage, "--webhook \(text): empty host before ':'") }
        }
        guard let port = Int(rest), (0...65535).contains(port) else {
            throw MediaError(.usage, "--webhook \(text): the port must be a number from 0 to 65535 ([HOST:]PORT[/PATH])")
        }
        self.init(host: host, port: port, path: path == "/" ? nil : path)
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)\(path ?? "/")"
    }
}
