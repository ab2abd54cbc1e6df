/// An `rtmp://` or `rtmps://` URL taken apart into what the RTMP conversation needs: where to connect, the
/// `app` and `tcUrl` of `connect`, the name for `releaseStream`/`FCPublish`/`publish` (or `play`), and the
/// credentials that answer an authentication challenge.
///
/// Shape: `rtmp[s]://[user[:password]@]host[:port]/app[/instance...][/stream][?query]`
///
/// - The stream name is the last path segment and the app everything before it (`rtmp://h/live/key`: app
///   `live`, stream `key`; `rtmp://h/app/inst/key`: app `app/inst`, stream `key`). A URL whose path ends without
///   a segment after its last slash has no stream name (`rtmp://h/live`, `rtmp://h/app/inst/`). With
///   `streamName:` (the `--stream NAME` flag) the whole path is the app.
/// - The query starts at the first `?` (RFC 3986) and belongs to what it follows: after a stream name it stays
///   on the stream name (`rtmp://h/live/key?pass=p`: publish `key?pass=p`, connect with app `live`), as ffmpeg
///   does and as nginx's `on_publish` reads it; when it follows the app (no stream segment, or `streamName:`
///   given) it goes into `app` and `tcUrl` (`rtmp://h/live?token=t` + `--stream key`: app `live?token=t`).
///   Why not always into the connect: a stream key's query usually carries the publish secret, which nginx
///   hands to `on_publish` from the publish name; copying it into `tcUrl` would spread it into more server
///   logs, and it would collide with the `user=` of an `authmod` query appended to the app.
/// - `tcUrl` is `scheme://host[:port]/app`, never with credentials; the port appears only if the URL wrote one,
///   the way nginx-rtmp's relay builds it from its configured URL (ffmpeg fills in the default port first and
///   so always writes it). The user's own spelling is what a server that checks `tcUrl` was configured with.
/// - Path and query are kept byte for byte (no percent-decoding), as ffmpeg and librtmp send them; only the
///   userinfo is percent-decoded.
public struct RTMPURL: Sendable, Equatable {
    public enum Scheme: String, Sendable, Equatable, CaseIterable {
        case rtmp
        case rtmps

        /// 1935 for rtmp (the IANA-registered RTMP port), 443 for rtmps (ffmpeg's and OBS's default).
        public var defaultPort: Int {
            switch self {
            case .rtmp: return 1935
            case .rtmps: return 443
            }
        }

        public var usesTLS: Bool { self == .rtmps }
    }

    /// The longest URL accepted, in UTF-8 bytes. ffmpeg keeps 512 bytes of `tcUrl` and nginx-rtmp 256 bytes of
    /// an app or name; 4096 leaves room for long signed query strings and stops pathological input early.
    public static let maximumLength = 4096
    /// RFC 1035 section 2.3.4: "labels 63 octets or less"; "names 255 octets or less" (253 characters written
    /// without the final dot and the length bytes).
    static let maximumHostNameLength = 253
    static let maximumLabelLength = 63

    public let scheme: Scheme
    /// The host to connect to: a name, an IPv4 address, or an IPv6 address without brackets (a zone as `%eth0`).
    public let host: String
    /// The port the URL wrote, if any.
    public let explicitPort: Int?
    /// Percent-decoded `user:password` from the userinfo; nil when the URL has none.
    public let credentials: RTMPCredentials?
    /// The `app` of `connect` before any authentication parameters: the path up to the stream name, with the
    /// query when the query follows the app.
    public let app: String
    /// The stream name including its query (`key?pass=p`), or nil when the URL names no stream and none was
    /// given. This is what `releaseStream`, `FCPublish`, `publish` and `play` carry.
    public let streamName: String?

    /// The host as written, brackets included for IPv6: what goes into `tcUrl`.
    let hostAsWritten: String
    /// The userinfo user and password as written (still percent-encoded), for redaction.
    let userAsWritten: String?
    let passwordAsWritten: String?
    /// Whether the stream name came from the URL's path (true) or from `streamName:` (false).
    let streamNameFromURL: Bool

    /// Parses `string`; `streamName` (the `--stream NAME` flag), when given, is the stream name and the whole
    /// URL path is the app.
    ///
    /// Throws `MediaError(.usage, ...)`: `unsupported scheme 'x' in URL '...'; use rtmp:// or rtmps://` for another
    /// scheme, otherwise `bad RTMP URL '<redacted>': <what>`.
    public init(_ string: String, streamName: String? = nil) throws {
        func bad(_ what: String) -> MediaError {
            MediaError(.usage, "bad RTMP URL '\(RTMPURL.redact(string, alwaysRTMP: true))': \(what)")
        }
        guard string.utf8.count <= Self.maximumLength else {
            throw MediaError(.usage, "bad RTMP URL (\(string.utf8.count) bytes): longer than \(Self.maximumLength) bytes")
        }
        if let problem = Self.firstSpaceOrControl(in: string) { throw bad(problem) }

        // Scheme: RFC 3986 section 3.1 "schemes are case-insensitive".
        guard let separator = string.firstRange(of: "://"), Self.isSchemeName(string[..<separator.lowerBound]) else {
            throw bad("no scheme; use rtmp:// or rtmps://")
        }
        let schemeText = string[..<separator.lowerBound]
        guard let scheme = Scheme(rawValue: schemeText.lowercased()) else {
            throw MediaError(.usage,
                             "unsupported scheme '\(schemeText)' in URL '\(RTMPURL.redact(string, alwaysRTMP: true))'; use rtmp:// or rtmps://")
        }
        self.scheme = scheme

        let rest = string[separator.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let pathAndQuery = rest[authorityEnd...]

        // Userinfo: up to the LAST '@', so a password with a raw '@' still parses.
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            let colon = userinfo.firstIndex(of: ":")
            let userText = userinfo[..<(colon ?? userinfo.endIndex)]
            let passwordText = colon.map { userinfo[userinfo.index(after: $0)...] }
            guard let user = PercentEncoding.decode(userText) else {
                throw bad("bad percent-encoding in the user name")
            }
            guard !user.isEmpty else { throw bad("empty user name before '@'") }
            guard let password = PercentEncoding.decode(passwordText ?? "") else {
                throw bad("bad percent-encoding in the password")
            }
            credentials = RTMPCredentials(user: user, password: password)
            userAsWritten = String(userText)
            passwordAsWritten = passwordText.map(String.init)
        } else {
            credentials = nil
            userAsWritten = nil
            passwordAsWritten = nil
        }

        // Host and port.
        let portText: Substring?
        if hostPort.first == "[" {
            guard let close = hostPort.firstIndex(of: "]") else { throw bad("'[' without ']' around the IPv6 address") }
            let literal = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            guard let address = Self.ipv6Host(literal) else { throw bad("bad IPv6 address '\(literal)'") }
            host = address
            hostAsWritten = String(hostPort[...close])
            let afterHost = hostPort[hostPort.index(after: close)...]
            if afterHost.isEmpty {
                portText = nil
            } else if afterHost.first == ":" {
                portText = afterHost.dropFirst()
            } else {
                throw bad("unexpected '\(afterHost)' after the IPv6 address")
            }
        } else {
            let colons = hostPort.filter { $0 == ":" }.count
            guard colons <= 1 else { throw bad("an IPv6 address must be in brackets: rtmp://[::1]:1935/app") }
            let colon = hostPort.firstIndex(of: ":")
            let name = hostPort[..<(colon ?? hostPort.endIndex)]
            guard !name.isEmpty else { throw bad("empty host") }
            if let problem = Self.hostNameProblem(name) { throw bad(problem) }
            host = String(name)
            hostAsWritten = String(name)
            portText = colon.map { hostPort[hostPort.index(after: $0)...] }
        }
        if let portText {
            // RFC 3986 allows an empty port; a URL with a bare ':' is more likely a typo than a wish for the default.
            guard !portText.isEmpty else { throw bad("empty port after ':'") }
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                // Not echoed: "rtmp://user:pa/ss@host" puts the start of the password here.
                throw bad(pathAndQuery.contains("@")
                          ? "the port is not a number; write a '/' in the password as %2F"
                          : "the port is not a number")
            }
            guard portText.utf8.count <= 5, let port = Int(portText), (1...65535).contains(port) else {
                throw bad("bad port '\(portText)' (1-65535)")
            }
            explicitPort = port
        } else {
            explicitPort = nil
        }

        // Path and query: the query starts at the first '?'.
        var path = pathAndQuery.first == "/" ? pathAndQuery.dropFirst() : pathAndQuery
        var query: Substring? = nil
        if let questionMark = path.firstIndex(of: "?") {
            let text = path[path.index(after: questionMark)...]
            query = text.isEmpty ? nil : text
            path = path[..<questionMark]
        }

        let appPath: Substring
        if let streamName {
            if streamName.isEmpty { throw MediaError(.usage, "empty stream name") }
            if Self.firstSpaceOrControl(in: streamName) != nil {
                throw MediaError(.usage, "bad stream name: it contains a space or a control character")
            }
            appPath = path.last == "/" ? path.dropLast() : path
            self.streamName = streamName
            streamNameFromURL = false
            app = String(appPath) + (query.map { "?\($0)" } ?? "")
        } else if let lastSlash = path.lastIndex(of: "/"), path.index(after: lastSlash) < path.endIndex {
            appPath = path[..<lastSlash]
            self.streamName = String(path[path.index(after: lastSlash)...]) + (query.map { "?\($0)" } ?? "")
            streamNameFromURL = true
            app = String(appPath)
        } else {
            // Nothing after the last slash (or no slash): no stream name, the query follows the app.
            appPath = path.last == "/" ? path.dropLast() : path
            self.streamName = nil
            streamNameFromURL = false
            app = String(appPath) + (query.map { "?\($0)" } ?? "")
        }
        guard !appPath.isEmpty else {
            throw bad(streamNameFromURL
                      ? "no app before the stream name (rtmp://host/app/stream)"
                      : "no app in the path (rtmp://host/app/stream)")
        }
        guard !appPath.split(separator: "/", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
            throw bad("empty segment in the path '\(appPath)'")
        }
    }

    /// The port to connect to: the URL's, or the scheme's default.
    public var port: Int { explicitPort ?? scheme.defaultPort }

    /// `scheme://host[:port]/app` for `connect`: never with credentials; the port only when the URL wrote one
    /// (as nginx-rtmp's relay does); the app with its query when the query follows the app.
    public var tcUrl: String {
        "\(scheme.rawValue)://\(hostAsWritten)\(explicitPort.map { ":\($0)" } ?? "")/\(app)"
    }

    /// The name for `releaseStream`, `FCPublish`, `publish` and `play`: the stream name with its query.
    public var publishName: String? { streamName }

    /// The app without its query: what a server calls the application (nginx `app=`, the Limelight digest).
    public var appWithoutQuery: String { Self.beforeQuery(app) }
    /// The query that follows the app (without `?`), if any.
    public var appQuery: String? { Self.query(of: app) }
    /// The stream name without its query: what nginx records and its control endpoint calls `name`.
    public var streamNameWithoutQuery: String? { streamName.map(Self.beforeQuery) }
    /// The query of the stream name (without `?`), if any.
    public var streamQuery: String? { streamName.flatMap(Self.query(of:)) }

    /// `connect`'s `app` with an authentication query (`?authmod=...` from `RTMPAuthNegotiation`) appended.
    /// ffmpeg and OBS append it verbatim; when the app already has a query this joins with `&` instead of
    /// starting a second `?`.
    public func connectApp(authQuery: String?) -> String { Self.appendingQuery(authQuery, to: app) }

    /// `connect`'s `tcUrl` with the same authentication query as `connectApp(authQuery:)`.
    public func connectTcUrl(authQuery: String?) -> String { Self.appendingQuery(authQuery, to: tcUrl) }

    static func appendingQuery(_ suffix: String?, to base: String) -> String {
        guard let suffix, !suffix.isEmpty else { return base }
        let parameters = suffix.first == "?" || suffix.first == "&" ? suffix.dropFirst() : Substring(suffix)
        guard !parameters.isEmpty else { return base }
        return base + (base.contains("?") ? "&" : "?") + parameters
    }

    static func beforeQuery(_ text: String) -> String {
        text.firstIndex(of: "?").map { String(text[..<$0]) } ?? text
    }

    static func query(of text: String) -> String? {
        text.firstIndex(of: "?").map { String(text[text.index(after: $0)...]) }
    }
}

// MARK: - Validation helpers

extension RTMPURL {
    /// RFC 3986 section 3.1: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    static func isSchemeName(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCIILetter else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || "+-.".unicodeScalars.contains($0) }
    }

    /// Says where the first whitespace or control character is (UTF-8 byte offset), or nil.
    static func firstSpaceOrControl(in text: String) -> String? {
        var offset = 0
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                return "whitespace at byte \(offset)"
            }
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                return "control character at byte \(offset)"
            }
            offset += scalar.utf8.count
        }
        return nil
    }

    /// A host name (RFC 1123 letters, digits, hyphens; underscores as found in internal names) or a dotted-quad
    /// IPv4 address. Returns what is wrong, or nil.
    static func hostNameProblem(_ name: Substring) -> String? {
        guard name.unicodeScalars.allSatisfy(\.isASCII) else {
            return "host '\(name)' is not ASCII; write an internationalised name in its xn-- form"
        }
        if name.allSatisfy({ $0 == "." || $0.isNumber }) {
            let octets = name.split(separator: ".", omittingEmptySubsequences: false)
            let valid = octets.count == 4 && octets.allSatisfy { octet in
                (1...3).contains(octet.count) && (Int(octet).map { $0 <= 255 } ?? false)
            }
            return valid ? nil : "bad IPv4 address '\(name)'"
        }
        let written = name.last == "." ? name.dropLast() : name
        guard written.utf8.count <= maximumHostNameLength else {
            return "host name longer than \(maximumHostNameLength) characters"
        }
        for label in written.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else { return "empty label in host '\(name)'" }
            guard label.utf8.count <= maximumLabelLength else {
                return "label longer than \(maximumLabelLength) characters in host '\(name)'"
            }
            guard label.unicodeScalars.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" || $0 == "_" }) else {
                return "bad character in host '\(name)'"
            }
        }
        return nil
    }

    /// The address inside `[...]`: RFC 3986 `IPv6address`, optionally with an RFC 6874 zone (`%25` + zone id).
    /// Returns the host to connect to (zone written as `%zone`), or nil when it is not an IPv6 address.
    static func ipv6Host(_ literal: Substring) -> String? {
        var address = literal
        var zone: Substring? = nil
        if let percent = literal.firstIndex(of: "%") {
            address = literal[..<percent]
            let zoneText = literal[percent...]
            // RFC 6874: "ZoneID = 1*( unreserved / pct-encoded )", introduced by "%25".
            guard zoneText.hasPrefix("%25"), let decoded = PercentEncoding.decode(zoneText.dropFirst(3)),
                  !decoded.isEmpty, decoded.utf8.allSatisfy(PercentEncoding.isUnreserved) else { return nil }
            zone = Substring(decoded)
        }
        guard isIPv6Address(address) else { return nil }
        return String(address) + (zone.map { "%\($0)" } ?? "")
    }

    /// RFC 4291 section 2.2 text forms: eight groups of 1-4 hex digits, `::` once for a run of zero groups, and
    /// the last 32 bits optionally as a dotted-quad IPv4 address.
    static func isIPv6Address(_ text: Substring) -> Bool {
        guard text.contains(":") else { return false }
        var groups: [Substring]
        let compressed: Bool
        if let doubleColon = text.firstRange(of: "::") {
            let head = text[..<doubleColon.lowerBound]
            let tail = text[doubleColon.upperBound...]
            guard !tail.contains("::") else { return false }
            groups = head.isEmpty ? [] : head.split(separator: ":", omittingEmptySubsequences: false)
            groups += tail.isEmpty ? [] : tail.split(separator: ":", omittingEmptySubsequences: false)
            compressed = true
        } else {
            groups = text.split(separator: ":", omittingEmptySubsequences: false)
            compressed = false
        }
        var count = groups.count
        if let last = groups.last, last.contains(".") {
            guard hostNameProblem(last) == nil, last.allSatisfy({ $0 == "." || $0.isNumber }) else { return false }
            groups.removeLast()
            count += 1
        }
        guard groups.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isHexDigit) && $0.allSatisfy(\.isASCII) })
        else { return false }
        return compressed ? count <= 7 : count == 8
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }

    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
