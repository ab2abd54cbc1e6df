/// Answers a server's authentication challenges across the reconnects they take, and decides when to give up.
///
/// The conversation (ffmpeg's and OBS's):
/// 1. `connect` with the plain app; the server answers `_error` with `code=403 need auth; authmod=adobe`.
/// 2. Reconnect with `app?authmod=adobe&user=U`; the server answers with `reason=needauth&salt=..&challenge=..`.
/// 3. Reconnect with the computed response; the server accepts, or answers `reason=authfailed`.
///
/// Feed every connect `_error` description to `next(afterConnectError:)`; a returned query goes into the next
/// connection's `connect` (`RTMPURL.connectApp(authQuery:)` and `connectTcUrl(authQuery:)`); nil means the error
/// is not a challenge and is the caller's to report. One negotiation covers one chain of connects; start a new one
/// for a reconnect after a dropped connection (an answered challenge cannot be replayed).
public struct RTMPAuthNegotiation: Sendable {
    /// Computed answers per negotiation. A server that answers a response with a fresh challenge (one that expired
    /// during the reconnect, say) gets one more; ffmpeg stops after one response, OBS when it is asked for the
    /// user a second time. The same challenge twice always ends it.
    public static let maximumResponses = 2

    public let credentials: RTMPCredentials?
    /// The app the Limelight digest covers (its query is ignored).
    public let app: String
    /// The challenge answered last, nil before the first.
    public private(set) var lastChallenge: RTMPAuthChallenge?
    /// How many computed responses were returned.
    public private(set) var responsesSent = 0

    public init(credentials: RTMPCredentials?, app: String) {
        self.credentials = credentials
        self.app = app
    }

    /// The credentials and app of `url`.
    public init(url: RTMPURL) {
        self.init(credentials: url.credentials, app: url.app)
    }

    /// The query to reconnect with after a connect `_error` with `description`, or nil when the description is
    /// no authentication challenge (pass the error on).
    ///
    /// `clientNonce` is the Adobe client challenge or the Limelight cnonce: 8 hex digits, fresh for each call
    /// (the default draws a random one).
    ///
    /// The responses hash the URL's user; ffmpeg and OBS hash the `user=` the server echoes, which is the same
    /// name unless the server rewrites it, and a value the server chose cannot steer what is hashed here.
    ///
    /// Throws `MediaError(.authenticationFailed, ...)` when the server rejected the credentials (`authfailed`,
    /// `nosuchuser`), repeats a challenge, keeps challenging after `maximumResponses` answers, asks for the user
    /// again after it was sent, demands a scheme other than adobe and llnw, or demands credentials the URL lacks.
    public mutating func next(afterConnectError description: String,
                              clientNonce: String = RTMPAuth.makeClientNonce()) throws -> String? {
        let challenge = RTMPAuthChallenge(description: description)
        let method: RTMPAuth.Method
        switch challenge {
        case .none:
            return nil
        case .unsupported(let authmod):
            throw MediaError(.authenticationFailed,
                             "server requires authmod=\(authmod) authentication, which mediactl does not support "
                             + "(it answers authmod=adobe and authmod=llnw)")
        case .failed(let reason):
            if let credentials {
                throw MediaError(.authenticationFailed, "server rejected credentials for user '\(credentials.user)': \(reason)")
            }
            throw MediaError(.authenticationFailed, "server rejected the connection: \(reason) (the URL has no credentials)")
        case .adobeNeedsUser, .adobe:
            method = .adobe
        case .llnwNeedsUser, .llnw:
            method = .llnw
        }

        guard let credentials else {
            throw MediaError(.authenticationFailed,
                             "server requires authmod=\(method.rawValue) authentication; give the credentials in the URL: "
                             + "rtmp://USER:PASSWORD@host/app/stream")
        }
        guard !credentials.password.isEmpty else {
            throw MediaError(.authenticationFailed,
                             "server requires authmod=\(method.rawValue) authentication and the URL has no password "
                             + "for user '\(credentials.user)'")
        }
        func rejected(_ why: String) -> MediaError {
            MediaError(.authenticationFailed, "server rejected credentials for user '\(credentials.user)': \(why)")
        }
        if let lastChallenge, lastChallenge == challenge {
            throw rejected("the same authmod=\(method.rawValue) challenge came back")
        }

        let query: String
        switch challenge {
        case .adobeNeedsUser, .llnwNeedsUser:
            // The user was already named: asking again means the answer was not accepted (OBS's rule).
            if lastChallenge != nil {
                throw rejected("the server asked for authmod=\(method.rawValue) authentication again")
            }
            query = RTMPAuth.userQuery(method: method, user: credentials.user)
        case .adobe(let salt, let serverChallenge, let opaque):
            guard responsesSent < Self.maximumResponses else {
                throw rejected("still challenged after \(responsesSent) responses")
            }
            query = RTMPAuth.adobeQuery(user: credentials.user, password: credentials.password, salt: salt,
                                        challenge: serverChallenge, opaque: opaque, clientChallenge: clientNonce)
            responsesSent += 1
        case .llnw(let nonce):
            guard responsesSent < Self.maximumResponses else {
                throw rejected("still challenged after \(responsesSent) responses")
            }
            query = RTMPAuth.llnwQuery(user: credentials.user, password: credentials.password, nonce: nonce,
                                       clientNonce: clientNonce, app: app)
            responsesSent += 1
        case .none, .unsupported, .failed:
            return nil  // handled above
        }
        lastChallenge = challenge
        return query
    }
}
