import Testing
@testable import MediaCore

/// Expected values computed independently with Python's hashlib/base64 (not with this code):
/// ```
/// b64md5 = lambda s: base64.b64encode(hashlib.md5(s.encode()).digest()).decode()
/// hexmd5 = lambda s: hashlib.md5(s.encode()).hexdigest()
/// adobe  = b64md5(b64md5(u + salt + p) + (opaque or challenge or "") + c2)
/// llnw   = hexmd5(f"{hexmd5(f'{u}:live:{p}')}:{nonce}:00000001:{cn}:auth:{hexmd5('publish:/' + app [+ '/_definst_'])}")
/// ```
@Suite("RTMPAuth responses")
struct RTMPAuthTests {
    @Test func adobeFirstHash() {
        #expect(RTMPAuth.base64MD5("alice" + "NDU=" + "s3cr3t!") == "Cilt4wvp3WVORZ6V8US1LA==")
    }

    @Test(arguments: [
        // (challenge, opaque, expected): the opaque wins over the challenge; with neither, nothing is hashed.
        ("NjA4NDEzNzg0", "vgoAAA==", "TgWepdzH48Xb5MuuOE2LZg=="),
        ("NjA4NDEzNzg0", nil, "v8izWY/GlWjbN6rzmBh+pQ=="),
        (nil, nil, "yvtl7tEj7oz6xfVPM/6ZcQ=="),
    ] as [(String?, String?, String)])
    func adobeResponse(_ challenge: String?, _ opaque: String?, _ expected: String) {
        #expect(RTMPAuth.adobeResponse(user: "alice", password: "s3cr3t!", salt: "NDU=", challenge: challenge,
                                       opaque: opaque, clientChallenge: "1a2b3c4d") == expected)
    }

    @Test func adobeResponseHashesUTF8() {
        #expect(RTMPAuth.adobeResponse(user: "jörg", password: "pässwörd&=?", salt: "c2FsdA==", challenge: "Y2g=",
                                       opaque: "b3A=", clientChallenge: "00000000") == "7tir87u8DeVL5uBjgZRDGg==")
    }

    @Test func adobeQueries() {
        #expect(RTMPAuth.userQuery(method: .adobe, user: "alice") == "?authmod=adobe&user=alice")
        #expect(RTMPAuth.adobeQuery(user: "alice", password: "s3cr3t!", salt: "NDU=", challenge: "NjA4NDEzNzg0",
                                    opaque: "vgoAAA==", clientChallenge: "1a2b3c4d")
                == "?authmod=adobe&user=alice&challenge=1a2b3c4d&response=TgWepdzH48Xb5MuuOE2LZg==&opaque=vgoAAA==")
        // No opaque from the server: none sent back (ffmpeg's form).
        #expect(RTMPAuth.adobeQuery(user: "alice", password: "s3cr3t!", salt: "NDU=", challenge: "NjA4NDEzNzg0",
                                    opaque: nil, clientChallenge: "1a2b3c4d")
                == "?authmod=adobe&user=alice&challenge=1a2b3c4d&response=v8izWY/GlWjbN6rzmBh+pQ==")
    }

    @Test func userIsPercentEncodedInTheQueryOnly() {
        #expect(RTMPAuth.userQuery(method: .llnw, user: "a&b=c d/ö") == "?authmod=llnw&user=a%26b%3Dc%20d%2F%C3%B6")
        #expect(RTMPAuth.adobeQuery(user: "jörg", password: "pässwörd&=?", salt: "c2FsdA==", challenge: "Y2g=",
                                    opaque: "b3A=", clientChallenge: "00000000")
                == "?authmod=adobe&user=j%C3%B6rg&challenge=00000000&response=7tir87u8DeVL5uBjgZRDGg==&opaque=b3A=")
    }

    @Test func llnwHashParts() {
        #expect(RTMPAuth.hexMD5("acme:live:go!acme") == "cacd41a031443001701910fea7643dc7")
        #expect(RTMPAuth.hexMD5("publish:/acme/_definst_") == "b24ad5105b8c50b75edce321237584fc")
    }

    @Test(arguments: [
        // An app without an instance gets /_definst_; with one it does not; the app's query is not hashed.
        ("acme", "63ee2cd0683167ff770f2ecdd5b68f45"),
        ("acme?token=t", "63ee2cd0683167ff770f2ecdd5b68f45"),
        ("acme/live1", "a1a7eae0bc1869f2e07067a7a7f6908c"),
    ])
    func llnwResponse(_ app: String, _ expected: String) {
        #expect(RTMPAuth.llnwResponse(user: "acme", password: "go!acme", nonce: "MTI3LjAuMC4x",
                                      clientNonce: "deadbeef", app: app) == expected)
    }

    @Test func llnwQuery() {
        #expect(RTMPAuth.llnwQuery(user: "acme", password: "go!acme", nonce: "MTI3LjAuMC4x", clientNonce: "deadbeef",
                                   app: "acme")
                == "?authmod=llnw&user=acme&nonce=MTI3LjAuMC4x&cnonce=deadbeef&nc=00000001"
                + "&response=63ee2cd0683167ff770f2ecdd5b68f45")
    }

    @Test func clientNonces() {
        #expect(RTMPAuth.clientNonce(0) == "00000000")
        #expect(RTMPAuth.clientNonce(0xBEEF) == "0000beef")
        #expect(RTMPAuth.clientNonce(.max) == "ffffffff")
        let fresh = RTMPAuth.makeClientNonce()
        #expect(fresh.count == 8)
        #expect(fresh.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }
}
