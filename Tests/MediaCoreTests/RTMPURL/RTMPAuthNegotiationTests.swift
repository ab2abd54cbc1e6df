import Testing
@testable import MediaCore

@Suite("RTMPAuthNegotiation")
struct RTMPAuthNegotiationTests {
    static let needAuthAdobe = "[ AccessManager.Reject ] : [ code=403 need auth; authmod=adobe ] : "
    static let adobeChallenge = "[ AccessManager.Reject ] : [ authmod=adobe ] : "
        + "?reason=needauth&user=alice&salt=NDU=&challenge=NjA4NDEzNzg0&opaque=vgoAAA=="
    static let needAuthLlnw = "[ AccessManager.Reject ] : [ code=403 need auth; authmod=llnw ] : "
    static let llnwChallenge = "[ AccessManager.Reject ] : [ authmod=llnw ] : ?reason=needauth&nonce=MTI3LjAuMC4x"

    @Test func adobeConversation() throws {
        let url = try RTMPURL("rtmp://alice:s3cr3t%21@ingest.example.com/live/key")
        var negotiation = RTMPAuthNegotiation(url: url)

        let first = try negotiation.next(afterConnectError: Self.needAuthAdobe, clientNonce: "unused00")
        #expect(first == "?authmod=adobe&user=alice")
        #expect(url.connectApp(authQuery: first) == "live?authmod=adobe&user=alice")
        #expect(url.connectTcUrl(authQuery: first) == "rtmp://ingest.example.com/live?authmod=adobe&user=alice")

        let second = try negotiation.next(afterConnectError: Self.adobeChallenge, clientNonce: "1a2b3c4d")
        #expect(second == "?authmod=adobe&user=alice&challenge=1a2b3c4d&response=TgWepdzH48Xb5MuuOE2LZg==&opaque=vgoAAA==")
        #expect(negotiation.responsesSent == 1)

        // Wrong password: the server says so.
        #expect(throws: MediaError(.authenticationFailed, "server rejected credentials for user 'alice': authfailed")) {
            try negotiation.next(afterConnectError: "[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=authfailed&opaque=vgoAAA==")
        }
    }

    @Test func llnwConversation() throws {
        let url = try RTMPURL("rtmp://acme:go!acme@ingest01.pri.acme.fmspush.llnw.net/acme/streamname")
        var negotiation = RTMPAuthNegotiation(url: url)
        #expect(try negotiation.next(afterConnectError: Self.needAuthLlnw) == "?authmod=llnw&user=acme")
        #expect(try negotiation.next(afterConnectError: Self.llnwChallenge, clientNonce: "deadbeef")
                == "?authmod=llnw&user=acme&nonce=MTI3LjAuMC4x&cnonce=deadbeef&nc=00000001"
                + "&response=63ee2cd0683167ff770f2ecdd5b68f45")
    }

    @Test func llnwDigestCoversTheAppInstance() throws {
        var negotiation = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "acme", password: "go!acme"),
                                              app: "acme/live1")
        #expect(try negotiation.next(afterConnectError: Self.llnwChallenge, clientNonce: "deadbeef")?
            .hasSuffix("&response=a1a7eae0bc1869f2e07067a7a7f6908c") == true)
    }

    @Test func challengeWithoutNeedAuthStepIsAnsweredDirectly() throws {
        var negotiation = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "alice", password: "s3cr3t!"), app: "live")
        #expect(try negotiation.next(afterConnectError: Self.adobeChallenge, clientNonce: "1a2b3c4d")?
            .contains("response=TgWepdzH48Xb5MuuOE2LZg==") == true)
    }

    @Test func notAChallengeIsPassedOn() throws {
        var negotiation = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "u", password: "p"), app: "live")
        #expect(try negotiation.next(afterConnectError: "Connection failed: Application (live) is not defined.") == nil)
        var anonymous = RTMPAuthNegotiation(credentials: nil, app: "live")
        #expect(try anonymous.next(afterConnectError: "[ Server.Reject ] : some other reason") == nil)
    }

    @Test func sameChallengeTwiceGivesUp() throws {
        var negotiation = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "alice", password: "x"), app: "live")
        _ = try negotiation.next(afterConnectError: Self.needAuthAdobe)
        _ = try negotiation.next(afterConnectError: Self.adobeChallenge)
        #expect(throws: MediaError(.authenticationFailed,
                                   "server rejected credentials for user 'alice': the same authmod=adobe challenge came back")) {
            try negotiation.next(afterConnectError: Self.adobeChallenge)
        }
    }

    @Test func needAuthAfterTheUserWasSentGivesUp() throws {
        var negotiation = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "alice", password: "x"), app: "live")
        _ = try negotiation.next(afterConnectError: Self.needAuthAdobe)
        #expect(throws: MediaError(.authenticationFailed,
                                   "server rejected credentials for user 'alice': the same authmod=adobe challenge came back")) {
            try negotiation.next(afterConnectError: Self.needAuthAdobe)
        }

        var afterResponse = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "alice", password: "x"), app: "live")
        _ = try afterResponse.next(afterConnectError: Self.needAuthAdobe)
        _ = try afterResponse.next(afterConnectError: Self.adobeChallenge)
        #expect(throws: MediaError(.authenticationFailed,
                                   "server rejected credentials for user 'alice': the server asked for authmod=adobe authentication again")) {
            try afterResponse.next(afterConnectError: Self.needAuthAdobe)
        }
    }

    @Test func freshChallengesAreBounded() throws {
        var negotiation = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "alice", password: "x"), app: "live")
        for round in 1...RTMPAuthNegotiation.maximumResponses {
            let description = "[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=needauth&salt=S&challenge=C\(round)"
            #expect(try negotiation.next(afterConnectError: description) != nil)
        }
        #expect(throws: MediaError(.authenticationFailed,
                                   "server rejected credentials for user 'alice': still challenged after 2 responses")) {
            try negotiation.next(afterConnectError: "[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=needauth&salt=S&challenge=C9")
        }
    }

    @Test func missingCredentials() {
        var anonymous = RTMPAuthNegotiation(credentials: nil, app: "live")
        #expect(throws: MediaError(.authenticationFailed,
                                   "server requires authmod=adobe authentication; give the credentials in the URL: "
                                   + "rtmp://USER:PASSWORD@host/app/stream")) {
            try anonymous.next(afterConnectError: Self.needAuthAdobe)
        }
        var noPassword = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "acme", password: ""), app: "live")
        #expect(throws: MediaError(.authenticationFailed,
                                   "server requires authmod=llnw authentication and the URL has no password for user 'acme'")) {
            try noPassword.next(afterConnectError: Self.needAuthLlnw)
        }
        var refused = RTMPAuthNegotiation(credentials: nil, app: "live")
        #expect(throws: MediaError(.authenticationFailed,
                                   "server rejected the connection: nosuchuser (the URL has no credentials)")) {
            try refused.next(afterConnectError: "[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=nosuchuser")
        }
    }

    @Test func unsupportedScheme() {
        var negotiation = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "u", password: "p"), app: "live")
        #expect(throws: MediaError(.authenticationFailed,
                                   "server requires authmod=digest authentication, which mediactl does not support "
                                   + "(it answers authmod=adobe and authmod=llnw)")) {
            try negotiation.next(afterConnectError: "[ AccessManager.Reject ] : [ code=403 need auth; authmod=digest ] : ")
        }
    }

    @Test func defaultClientNonceIsFreshHex() throws {
        var negotiation = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "alice", password: "x"), app: "live")
        let query = try #require(try negotiation.next(afterConnectError: Self.adobeChallenge))
        let challenge = try #require(query.split(separator: "&").first { $0.hasPrefix("challenge=") })
        #expect(challenge.dropFirst("challenge=".count).count == 8)
    }

    /// A small server of our own, per the notes' description of the Adobe scheme, answering each connect:
    /// it checks the response against the value Python computed for the same inputs.
    @Test func againstAScriptedServer() throws {
        var negotiation = RTMPAuthNegotiation(credentials: RTMPCredentials(user: "alice", password: "s3cr3t!"), app: "live")
        var app = "live"
        var accepted = false
        for attempt in 0..<5 {
            let description: String
            if !app.contains("authmod=adobe") {
                description = Self.needAuthAdobe
            } else if !app.contains("response=") {
                #expect(app == "live?authmod=adobe&user=alice")
                description = Self.adobeChallenge
            } else {
                accepted = app == "live?authmod=adobe&user=alice&challenge=1a2b3c4d"
                    + "&response=TgWepdzH48Xb5MuuOE2LZg==&opaque=vgoAAA=="
                #expect(accepted, "attempt \(attempt): \(app)")
                break
            }
            let query = try #require(try negotiation.next(afterConnectError: description, clientNonce: "1a2b3c4d"))
            app = RTMPURL.appendingQuery(query, to: "live")
        }
        #expect(accepted)
    }
}
