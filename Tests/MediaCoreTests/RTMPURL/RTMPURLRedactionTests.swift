import Testing
@testable import MediaCore

@Suite("RTMPURL redaction")
struct RTMPURLRedactionTests {
    @Test(arguments: [
        ("rtmp://user:pass@host:1935/live/key", nil, "rtmp://user:***@host:1935/live/***"),
        ("rtmp://host/live/key", nil, "rtmp://host/live/***"),
        ("RTMPS://host/live/key", nil, "rtmps://host/live/***"),
        ("rtmp://host/live", nil, "rtmp://host/live"),
        ("rtmp://host/app/inst/key", nil, "rtmp://host/app/inst/***"),
        ("rtmp://host/live/key?user=u&pass=p&password=p2&streamKey=k&token=t&txSecret=s&sig=x&authmod=adobe&x=1",
         nil, "rtmp://host/live/***?user=u&pass=***&password=***&streamKey=***&token=***&txSecret=***&sig=***&authmod=adobe&x=1"),
        ("rtmp://host/live?token=t&region=eu", "key", "rtmp://host/live?token=***&region=eu"),
        ("rtmp://u%40x:p%40ss@[::1]:1936/live/key", nil, "rtmp://u%40x:***@[::1]:1936/live/***"),
        ("rtmp://user@host/live/key", nil, "rtmp://user@host/live/***"),
    ] as [(String, String?, String)])
    func redactedURL(_ input: String, _ stream: String?, _ expected: String) throws {
        let url = try RTMPURL(input, streamName: stream)
        #expect(url.redacted == expected)
        #expect("\(url)" == expected)
        #expect(String(reflecting: url) == "RTMPURL(\(expected))")
    }

    @Test func dumpShowsNoSecrets() throws {
        let url = try RTMPURL("rtmp://user:hunter2@host/live/streamkey?pass=p4ss")
        var dumped = ""
        dump(url, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(!dumped.contains("streamkey"))
        #expect(!dumped.contains("p4ss"))
        var dumpedCredentials = ""
        dump(url.credentials, to: &dumpedCredentials)
        #expect(!dumpedCredentials.contains("hunter2"))
        #expect("\(url.credentials!)" == "RTMPCredentials(user: user, password: ***)")
    }

    @Test func secretsList() throws {
        let url = try RTMPURL("rtmp://user:p%40ss@host/live/key?user=u&pass=pw&x=1")
        #expect(url.secrets == ["p@ss", "p%40ss", "key?user=u&pass=pw&x=1", "key", "pw"])
        let appLevel = try RTMPURL("rtmp://host/live?token=tok", streamName: "name")
        #expect(appLevel.secrets == ["name", "tok"])
        #expect(try RTMPURL("rtmp://host/live").secrets == [])
    }

    @Test func secretsScrubAServerMessage() throws {
        let url = try RTMPURL("rtmp://user:hunter2@host/live/sk_live_123?pass=pw9")
        let line = "publish sk_live_123?pass=pw9 refused; stream sk_live_123 (password hunter2, pass pw9)"
        #expect(Redaction.redactSecrets(in: line, secrets: url.secrets)
                == "publish *** refused; stream *** (password ***, pass ***)")
    }

    @Test(arguments: [
        // Server redirects and arbitrary URL strings.
        ("rtmp://user:pw@edge.example.com/live/key?token=abc", "rtmp://user:***@edge.example.com/live/***?token=***"),
        ("rtmpt://h:80/app/inst/stream", "rtmpt://h:80/app/inst/***"),
        ("rtmpe://h/app", "rtmpe://h/app"),
        ("rtmp://h", "rtmp://h"),
        ("rtmp://h/", "rtmp://h/"),
        ("rtmp://h//key", "rtmp://h//***"),
        ("http://user:pw@h/on_publish/path?name=key&pass=p", "http://user:***@h/on_publish/path?name=key&pass=***"),
        ("https://h/a/b", "https://h/a/b"),
        ("rtmp://user@h/live/key", "rtmp://user@h/live/***"),
        ("rtmp://a:b:c@h/live/key", "rtmp://a:***@h/live/***"),
        ("rtmp://u:p@ss@h/live/key", "rtmp://u:***@h/live/***"),
        ("rtmp://h/live/my key with spaces", "rtmp://h/live/***"),
        ("live/key?pass=x", "live/***?pass=***"),
        // A raw '/' in the password still hides the whole password.
        ("rtmp://u:pa/ss@h/live/key", "rtmp://u:***@h/live/***"),
        ("rtmp://u:pa/ss@h/live/key?next=a@b", "rtmp://u:***@h/live/***?next=a@b"),
        // An '@' in the path without a ':' before it is not userinfo.
        ("rtmp://h/live/me@example.com", "rtmp://h/live/***"),
        ("no url here", "no url here"),
        ("", ""),
    ])
    func redactAnyString(_ input: String, _ expected: String) {
        #expect(RTMPURL.redact(input) == expected)
    }
}
