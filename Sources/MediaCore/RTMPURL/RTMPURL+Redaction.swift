/// How an RTMP URL is shown in logs, errors and JSON: the password, the stream key and sensitive query values
/// become `***`; scheme, user name, host, port, app and harmless query parameters stay readable.
extension RTMPURL {
    /// `rtmp://user:***@host:1935/live/***?user=u&pass=***`.
    ///
    /// The URL as written, with the password masked whenever one is present, the stream name from the path
    /// masked whole (a key's first characters are as guessable as any), and the values of sensitive query
    /// parameters (`pass`, `password`, `key`, `token`, `secret`, `auth`, `sig`, `signature`, `response`,
    /// `challenge` and names containing them) masked. A stream name given with `streamName:` is not part of the
    /// URL and does not appear.
    public var redacted: String {
        var text = "\(scheme.rawValue)://"
        if let userAsWritten {
            text += userAsWritten
            if passwordAsWritten != nil { text += ":\(Redaction.mask)" }
            text += "@"
        }
        text += hostAsWritten
        if let explicitPort { text += ":\(explicitPort)" }
        text += "/" + appWithoutQuery
        if let appQuery { text += "?" + Redaction.redactQuery(appQuery) }
        if streamNameFromURL, streamName != nil {
            text += "/" + Redaction.mask
            if let streamQuery { text += "?" + Redaction.redactQuery(streamQuery) }
        }
        return text
    }

    /// Everything in this URL that must not appear in a log line, for `Redaction.redactSecrets(in:secrets:)`:
    /// the password (decoded and as written), the stream name (with and without its query), and the values of
    /// sensitive query parameters.
    public var secrets: [String] {
        var list: [String] = []
        if let credentials { list.append(credentials.password) }
        if let passwordAsWritten { list.append(passwordAsWritten) }
        if let streamName { list.append(streamName) }
        if let streamNameWithoutQuery { list.append(streamNameWithoutQuery) }
        if let appQuery { list += Redaction.sensitiveQueryValues(appQuery) }
        if let streamQuery { list += Redaction.sensitiveQueryValues(streamQuery) }
        var seen = Set<String>()
        return list.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Best-effort redaction of any URL string, parseable or not: a URL from a server (a redirect, a `tcUrl`
    /// in a description) or one that failed to parse.
    ///
    /// The whole string is treated as one URL. The password of a `user:password@` userinfo becomes `***`; for
    /// rtmp-family schemes (`rtmp`, `rtmps`, `rtmpt`, `rtmpe`...) a path of two or more segments loses its last
    /// one (the stream name) to `***`; sensitive query values become `***`. Without `://` the text is read as a
    /// path with the same rules.
    public static func redact(_ anyString: String) -> String {
        redact(anyString, alwaysRTMP: false)
    }

    /// `alwaysRTMP`: mask the stream segment whatever the scheme says (for a URL the user meant as RTMP and
    /// mistyped, `http://host/live/KEY`).
    static func redact(_ anyString: String, alwaysRTMP: Bool) -> String {
        guard let separator = anyString.firstRange(of: "://") else {
            return redactPath(Substring(anyString), isRTMP: true)
        }
        let schemeText = anyString[..<separator.lowerBound]
        var rest = anyString[separator.upperBound...]
        var userinfo = ""
        // A password with a raw '/' ("u:pa/ss@host") would end the authority early and show; so here (unlike in
        // parsing) the userinfo runs to the last '@' before the query whenever a ':' precedes that '@'.
        let beforeQuery = rest[..<(rest.firstIndex(of: "?") ?? rest.endIndex)]
        if let at = beforeQuery.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            userinfo = String(rest[...colon]) + Redaction.mask + "@"
            rest = rest[rest.index(after: at)...]
        } else if let at = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex)].lastIndex(of: "@") {
            userinfo = String(rest[...at])
            rest = rest[rest.index(after: at)...]
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let isRTMP = alwaysRTMP || schemeText.lowercased().hasPrefix("rtmp")
        return String(schemeText) + "://" + userinfo + String(rest[..<authorityEnd])
            + redactPath(rest[authorityEnd...], isRTMP: isRTMP)
    }

    /// `/app/stream?query`: masks the last of two or more segments (for RTMP) and sensitive query values.
    private static func redactPath(_ pathAndQuery: Substring, isRTMP: Bool) -> String {
        var path = pathAndQuery
        var query: Substring? = nil
        if let questionMark = pathAndQuery.firstIndex(of: "?") {
            path = pathAndQuery[..<questionMark]
            query = pathAndQuery[pathAndQuery.index(after: questionMark)...]
        }
        var text = String(path)
        // After the one slash that starts the path, a further slash separates the stream name.
        let body = path.first == "/" ? path.dropFirst() : path
        if isRTMP, let lastSlash = body.lastIndex(of: "/"), body.index(after: lastSlash) < body.endIndex {
            text = String(path[...lastSlash]) + Redaction.mask
        }
        if let query { text += "?" + Redaction.redactQuery(query) }
        return text
    }
}

extension RTMPURL: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The redacted URL: interpolating an `RTMPURL` into a message never leaks its secrets.
    public var description: String { redacted }
    public var debugDescription: String { "RTMPURL(\(redacted))" }
    /// `dump(url)` and the debugger show the redacted form only.
    public var customMirror: Mirror { Mirror(self, children: ["redacted": redacted]) }
}
