import Crypto
import Foundation

/// The two connect-time challenge schemes ffmpeg (`libavformat/rtmpproto.c`) and OBS (`librtmp`) answer, as pure
/// functions: the random client values are parameters, so every output is reproducible.
///
/// Both schemes put their parameters into a query appended to `connect`'s `app` and `tcUrl`
/// (`RTMPURL.connectApp(authQuery:)`), never into the stream name.
public enum RTMPAuth {
    public enum Method: String, Sendable, Equatable, CaseIterable {
        case adobe
        case llnw
    }

    /// The Limelight digest's fixed inputs (HTTP Digest, RFC 2617, with these values): realm, method, qop and
    /// the nonce count, which is always 1 because every answer is on a new connection.
    public static let llnwRealm = "live"
    public static let llnwMethod = "publish"
    public static let llnwQop = "auth"
    public static let llnwNonceCount = "00000001"
    /// What the Limelight digest appends to an app without an instance: FMS's default instance name.
    public static let defaultInstance = "_definst_"

    /// First step for both schemes: `?authmod=adobe&user=U`. The user is percent-encoded so that `&`, `=` or
    /// `?` in a name cannot break the query (plain names are unchanged).
    public static func userQuery(method: Method, user: String) -> String {
        "?authmod=\(method.rawValue)&user=\(PercentEncoding.encode(user))"
    }

    /// Adobe: `base64(md5(base64(md5(user + salt + password)) + (opaque or challenge) + clientChallenge))`.
    ///
    /// With neither an opaque nor a challenge, nothing is hashed in their place (as ffmpeg and OBS do).
    public static func adobeResponse(user: String, password: String, salt: String, challenge: String?,
                                     opaque: String?, clientChallenge: String) -> String {
        let saltedHash = base64MD5(user + salt + password)
        return base64MD5(saltedHash + (opaque ?? challenge ?? "") + clientChallenge)
    }

    /// Adobe second step: `?authmod=adobe&user=U&challenge=C2&response=R&opaque=O`, `&opaque=` only when the
    /// server sent one (ffmpeg's form). The opaque goes back exactly as received.
    public static func adobeQuery(user: String, password: String, salt: String, challenge: String?,
                                  opaque: String?, clientChallenge: String) -> String {
        let response = adobeResponse(user: user, password: password, salt: salt, challenge: challenge,
                                     opaque: opaque, clientChallenge: clientChallenge)
        var query = userQuery(method: .adobe, user: user) + "&challenge=\(clientChallenge)&response=\(response)"
        if let opaque { query += "&opaque=\(opaque)" }
        return query
    }

    /// Limelight: `md5hex(md5hex(user:live:password) : nonce : 00000001 : cnonce : auth : md5hex(publish:/app))`
    /// where `app` is the app without its query, followed by `/_definst_` when it names no instance (no `/`).
    public static func llnwResponse(user: String, password: String, nonce: String, clientNonce: String,
                                    app: String) -> String {
        let appPath = RTMPURL.beforeQuery(app)
        let ha1 = hexMD5("\(user):\(llnwRealm):\(password)")
        let ha2 = hexMD5("\(llnwMethod):/\(appPath)" + (appPath.contains("/") ? "" : "/\(defaultInstance)"))
        return hexMD5("\(ha1):\(nonce):\(llnwNonceCount):\(clientNonce):\(llnwQop):\(ha2)")
    }

    /// Limelight second step: `?authmod=llnw&user=U&nonce=N&cnonce=CN&nc=00000001&response=R`.
    public static func llnwQuery(user: String, password: String, nonce: String, clientNonce: String,
                                 app: String) -> String {
        let response = llnwResponse(user: user, password: password, nonce: nonce, clientNonce: clientNonce, app: app)
        return userQuery(method: .llnw, user: user)
            + "&nonce=\(nonce)&cnonce=\(clientNonce)&nc=\(llnwNonceCount)&response=\(response)"
    }

    /// A fresh client challenge / cnonce: 8 lowercase hex digits of a random 32-bit value (ffmpeg's `%08x`).
    public static func makeClientNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return clientNonce(UInt32.random(in: .min ... .max, using: &generator))
    }

    /// The 8-hex-digit form of a 32-bit value: `clientNonce(0xBEEF)` is `0000beef`.
    public static func clientNonce(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    static func base64MD5(_ text: String) -> String {
        Data(Insecure.MD5.hash(data: Array(text.utf8))).base64EncodedString()
    }

    static func hexMD5(_ text: String) -> String {
        PercentEncoding.lowercaseHex(Insecure.MD5.hash(data: Array(text.utf8)))
    }
}
