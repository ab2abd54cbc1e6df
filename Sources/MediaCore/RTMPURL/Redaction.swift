/// Keeps credentials and stream keys out of logs, errors and JSON.
///
/// The replacement is always `***`, so a reader sees that something was there and nothing about its length.
public enum Redaction {
    /// What a secret is replaced with.
    public static let mask = "***"

    /// Replaces every occurrence of each non-empty secret in `text` with `***`.
    ///
    /// Longer secrets are replaced first, so a secret that contains another one (a stream key that contains the
    /// password, say) disappears whole instead of leaving its remainder behind. Empty secrets are ignored.
    public static func redactSecrets(in text: String, secrets: [String]) -> String {
        var result = text
        let ordered = Set(secrets.filter { !$0.isEmpty }).sorted { lhs, rhs in
            lhs.utf8.count != rhs.utf8.count ? lhs.utf8.count > rhs.utf8.count : lhs < rhs
        }
        for secret in ordered where result.contains(secret) {
            result = result.replacing(secret, with: mask)
        }
        return result
    }

    /// Query parameter names whose values are treated as secrets, matched case-insensitively as a part of the
    /// name (`streamKey`, `access_token`, `txSecret`, `wsSecret`, `pass`, `signature`...).
    static let sensitiveQueryKeyParts = [
        "pass", "pwd", "secret", "token", "key", "auth", "sig", "response", "challenge", "credential", "hash",
    ]

    /// Names that contain a sensitive part but carry nothing secret, kept readable for diagnosis.
    static let readableQueryKeys: Set<String> = ["authmod"]

    static func isSensitiveQueryKey<Key: StringProtocol>(_ key: Key) -> Bool {
        let lowered = key.lowercased()
        if readableQueryKeys.contains(lowered) { return false }
        return sensitiveQueryKeyParts.contains { lowered.contains($0) }
    }

    /// `user=u&pass=p&token=t` -> `user=u&pass=***&token=***`: the values of sensitive parameters are masked,
    /// everything else (names, order, separators, parameters without `=`) is kept.
    static func redactQuery<Query: StringProtocol>(_ query: Query) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
            guard let equals = item.firstIndex(of: "=") else { return String(item) }
            let key = item[..<equals]
            return isSensitiveQueryKey(key) ? "\(key)=\(mask)" : String(item)
        }.joined(separator: "&")
    }

    /// The values of the sensitive parameters of a query: secrets to scrub from free text.
    static func sensitiveQueryValues<Query: StringProtocol>(_ query: Query) -> [String] {
        query.split(separator: "&").compactMap { item -> String? in
            guard let equals = item.firstIndex(of: "=") else { return nil }
            let value = item[item.index(after: equals)...]
            return isSensitiveQueryKey(item[..<equals]) && !value.isEmpty ? String(value) : nil
        }
    }
}
