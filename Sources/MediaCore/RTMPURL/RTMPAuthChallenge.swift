/// What a server's `_error` description for `connect` asks of the client, for the two challenge schemes
/// ffmpeg and OBS answer: Adobe (`authmod=adobe`) and Limelight (`authmod=llnw`).
///
/// The descriptions look like this (Adobe Media Server, Wowza, Limelight):
/// - `[ AccessManager.Reject ] : [ code=403 need auth; authmod=adobe ] : ` - reconnect naming the user.
/// - `[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=needauth&user=U&salt=S&challenge=C&opaque=O`
/// - `[ AccessManager.Reject ] : [ authmod=llnw ] : ?reason=needauth&user=U&nonce=N`
/// - `[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=authfailed&opaque=O` (or `nosuchuser`).
public enum RTMPAuthChallenge: Sendable, Equatable {
    /// The description names no `authmod`: not an authentication challenge; pass the error on.
    case none
    /// `authmod=adobe` without a salt yet: reconnect with `?authmod=adobe&user=U`.
    case adobeNeedsUser
    /// `authmod=adobe` with `reason=needauth`: answer with a response computed from the salt and the opaque
    /// (or, without an opaque, the challenge).
    case adobe(salt: String, challenge: String?, opaque: String?)
    /// `authmod=llnw` without a nonce yet: reconnect with `?authmod=llnw&user=U`.
    case llnwNeedsUser
    /// `authmod=llnw` with `reason=needauth`: answer the nonce with a digest.
    case llnw(nonce: String)
    /// A `reason` other than `needauth`: `authfailed` (wrong password), `nosuchuser`, or whatever the server said.
    case failed(reason: String)
    /// An `authmod` other than adobe and llnw.
    case unsupported(authmod: String)

    /// Reads a connect `_error` description. ffmpeg and OBS look for `authmod=adobe` / `authmod=llnw` anywhere
    /// in it and for the parameters after `?reason=`; so does this.
    public init(description: String) {
        guard let authmodRange = description.firstRange(of: "authmod=") else {
            self = .none
            return
        }
        let authmod = String(description[authmodRange.upperBound...].prefix { character in
            character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-")
        })
        let parameters = Self.reasonParameters(in: description)
        let reason = parameters.first { $0.name == "reason" }.map { String($0.value) }
        func value(_ name: String) -> String? {
            guard let found = parameters.first(where: { $0.name == name })?.value, !found.isEmpty else { return nil }
            return String(found)
        }

        switch authmod {
        case RTMPAuth.Method.adobe.rawValue:
            switch reason {
            case nil:
                self = .adobeNeedsUser
            case "needauth":
                if let salt = value("salt") {
                    self = .adobe(salt: salt, challenge: value("challenge"), opaque: value("opaque"))
                } else {
                    self = .adobeNeedsUser
                }
            case let reason?:
                self = .failed(reason: reason)
            }
        case RTMPAuth.Method.llnw.rawValue:
            switch reason {
            case nil:
                self = .llnwNeedsUser
            case "needauth":
                if let nonce = value("nonce") {
                    self = .llnw(nonce: nonce)
                } else {
                    self = .llnwNeedsUser
                }
            case let reason?:
                self = .failed(reason: reason)
            }
        default:
            self = .unsupported(authmod: authmod)
        }
    }

    /// The `name=value` pairs of the query that starts at `?reason=`, up to whitespace or the end.
    static func reasonParameters(in description: String) -> [(name: Substring, value: Substring)] {
        guard let start = description.firstRange(of: "?reason=") else { return [] }
        let query = description[description.index(after: start.lowerBound)...].prefix { !$0.isWhitespace }
        return query.split(separator: "&").map { item in
            guard let equals = item.firstIndex(of: "=") else { return (item, "") }
            return (item[..<equals], item[item.index(after: equals)...])
        }
    }
}
