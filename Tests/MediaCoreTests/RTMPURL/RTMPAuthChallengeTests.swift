import Testing
@testable import MediaCore

@Suite("RTMPAuthChallenge parsing")
struct RTMPAuthChallengeTests {
    @Test(arguments: [
        // Adobe Media Server / Wowza, first answer (as quoted in HaishinKit issue #171).
        ("[ AccessManager.Reject ] : [ code=403 need auth; authmod=adobe ] : ", RTMPAuthChallenge.adobeNeedsUser),
        ("[ AccessManager.Reject ] : [ code=403 need auth; authmod=adobe ]", .adobeNeedsUser),
        // Second answer, as quoted in the same issue (no opaque).
        ("[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=needauth&user=100987&salt=NDU=&challenge=NjA4NDEzNzg0",
         .adobe(salt: "NDU=", challenge: "NjA4NDEzNzg0", opaque: nil)),
        ("[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=needauth&user=alice&salt=NDU=&challenge=NjA4NDEzNzg0&opaque=vgoAAA==",
         .adobe(salt: "NDU=", challenge: "NjA4NDEzNzg0", opaque: "vgoAAA==")),
        // Parameter order does not matter; trailing whitespace ends the query.
        ("[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=needauth&opaque=O&challenge=C&salt=S&user=u \n",
         .adobe(salt: "S", challenge: "C", opaque: "O")),
        ("[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=needauth&user=u&challenge=C",
         .adobeNeedsUser),
        ("[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=authfailed&opaque=vgoAAA==", .failed(reason: "authfailed")),
        ("[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=nosuchuser&opaque=vgoAAA==", .failed(reason: "nosuchuser")),
        // Limelight (the llnw ingest guide: "[ code=403 need auth; authmod=llnw ]", then a nonce).
        ("[ AccessManager.Reject ] : [ code=403 need auth; authmod=llnw ] : ", .llnwNeedsUser),
        ("[ AccessManager.Reject ] : [ authmod=llnw ] : ?reason=needauth&nonce=MTI3LjAuMC4x", .llnw(nonce: "MTI3LjAuMC4x")),
        ("[ AccessManager.Reject ] : [ authmod=llnw ] : ?reason=needauth&user=acme&nonce=N", .llnw(nonce: "N")),
        ("[ AccessManager.Reject ] : [ authmod=llnw ] : ?reason=authfail", .failed(reason: "authfail")),
        // Not a challenge.
        ("Connection failed: Application (live) is not defined.", .none),
        ("", .none),
        ("[ Server.Reject ] : Virtual host _defaultVHost_ is not available.", .none),
        // A scheme neither ffmpeg nor OBS answers.
        ("[ AccessManager.Reject ] : [ code=403 need auth; authmod=digest ] : ", .unsupported(authmod: "digest")),
    ] as [(String, RTMPAuthChallenge)])
    func parses(_ description: String, _ expected: RTMPAuthChallenge) {
        #expect(RTMPAuthChallenge(description: description) == expected)
    }
}
