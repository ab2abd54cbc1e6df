import Testing
@testable import MediaCore

struct RTMPURLParseCase: Sendable, CustomTestStringConvertible {
    var url: String
    var streamFlag: String? = nil
    var scheme: RTMPURL.Scheme = .rtmp
    var host: String
    var port: Int
    var explicitPort: Int? = nil
    var app: String
    var stream: String?
    var tcUrl: String
    var testDescription: String { url + (streamFlag.map { " --stream \($0)" } ?? "") }
}

@Suite("RTMPURL parsing")
struct RTMPURLTests {
    static let cases: [RTMPURLParseCase] = [
        .init(url: "rtmp://example.com/live/key", host: "example.com", port: 1935, app: "live", stream: "key",
              tcUrl: "rtmp://example.com/live"),
        .init(url: "rtmps://live.example.com/app/key", scheme: .rtmps, host: "live.example.com", port: 443,
              app: "app", stream: "key", tcUrl: "rtmps://live.example.com/app"),
        .init(url: "RTMP://Example.COM:1935/live/key", host: "Example.COM", port: 1935, explicitPort: 1935,
              app: "live", stream: "key", tcUrl: "rtmp://Example.COM:1935/live"),
        .init(url: "RtMpS://h:8443/live/key", scheme: .rtmps, host: "h", port: 8443, explicitPort: 8443,
              app: "live", stream: "key", tcUrl: "rtmps://h:8443/live"),
        .init(url: "rtmp://127.0.0.1:19350/app/inst/key", host: "127.0.0.1", port: 19350, explicitPort: 19350,
              app: "app/inst", stream: "key", tcUrl: "rtmp://127.0.0.1:19350/app/inst"),
        .init(url: "rtmp://[::1]:1936/live/key", host: "::1", port: 1936, explicitPort: 1936, app: "live",
              stream: "key", tcUrl: "rtmp://[::1]:1936/live"),
        .init(url: "rtmp://[2001:db8::10]/live/key", host: "2001:db8::10", port: 1935, app: "live", stream: "key",
              tcUrl: "rtmp://[2001:db8::10]/live"),
        .init(url: "rtmp://[::ffff:192.0.2.1]/live/key", host: "::ffff:192.0.2.1", port: 1935, app: "live",
              stream: "key", tcUrl: "rtmp://[::ffff:192.0.2.1]/live"),
        .init(url: "rtmp://[fe80::1%25eth0]:1935/live/key", host: "fe80::1%eth0", port: 1935, explicitPort: 1935,
              app: "live", stream: "key", tcUrl: "rtmp://[fe80::1%25eth0]:1935/live"),
        .init(url: "rtmp://h/live", host: "h", port: 1935, app: "live", stream: nil, tcUrl: "rtmp://h/live"),
        .init(url: "rtmp://h/live/", host: "h", port: 1935, app: "live", stream: nil, tcUrl: "rtmp://h/live"),
        .init(url: "rtmp://h/app/inst/", host: "h", port: 1935, app: "app/inst", stream: nil,
              tcUrl: "rtmp://h/app/inst"),
        .init(url: "rtmp://h/a/b/c/key", host: "h", port: 1935, app: "a/b/c", stream: "key", tcUrl: "rtmp://h/a/b/c"),
        // The query after the stream name stays on the stream name (ffmpeg; nginx on_publish reads it there).
        .init(url: "rtmp://h/live/key?user=u&pass=p", host: "h", port: 1935, app: "live", stream: "key?user=u&pass=p",
              tcUrl: "rtmp://h/live"),
        // A query containing '/' does not move the split (the query starts at the first '?').
        .init(url: "rtmp://h/live/key?sig=ab/cd==", host: "h", port: 1935, app: "live", stream: "key?sig=ab/cd==",
              tcUrl: "rtmp://h/live"),
        // The query after the app goes into app and tcUrl.
        .init(url: "rtmp://h/live?token=t", host: "h", port: 1935, app: "live?token=t", stream: nil,
              tcUrl: "rtmp://h/live?token=t"),
        .init(url: "rtmp://h/live/?token=t", host: "h", port: 1935, app: "live?token=t", stream: nil,
              tcUrl: "rtmp://h/live?token=t"),
        .init(url: "rtmp://h/live/key?", host: "h", port: 1935, app: "live", stream: "key", tcUrl: "rtmp://h/live"),
        // --stream: the whole path is the app, with its query.
        .init(url: "rtmp://h/live?token=t", streamFlag: "key", host: "h", port: 1935, app: "live?token=t",
              stream: "key", tcUrl: "rtmp://h/live?token=t"),
        .init(url: "rtmp://h/app/inst", streamFlag: "key?doPublish=x", host: "h", port: 1935, app: "app/inst",
              stream: "key?doPublish=x", tcUrl: "rtmp://h/app/inst"),
        .init(url: "rtmp://h/live/", streamFlag: "mp4:file.mp4", host: "h", port: 1935, app: "live",
              stream: "mp4:file.mp4", tcUrl: "rtmp://h/live"),
        // Credentials never reach tcUrl.
        .init(url: "rtmp://user:pass@h/live/key", host: "h", port: 1935, app: "live", stream: "key",
              tcUrl: "rtmp://h/live"),
        .init(url: "rtmps://user:p@ss@h:443/live/key", scheme: .rtmps, host: "h", port: 443, explicitPort: 443,
              app: "live", stream: "key", tcUrl: "rtmps://h:443/live"),
        .init(url: "rtmp://my_host-1.internal./live/key", host: "my_host-1.internal.", port: 1935, app: "live",
              stream: "key", tcUrl: "rtmp://my_host-1.internal./live"),
        // Path bytes are kept as written.
        .init(url: "rtmp://h/live/k%20ey", host: "h", port: 1935, app: "live", stream: "k%20ey",
              tcUrl: "rtmp://h/live"),
        .init(url: "rtmp://h/live/ключ", host: "h", port: 1935, app: "live", stream: "ключ", tcUrl: "rtmp://h/live"),
    ]

    @Test(arguments: cases)
    func parses(_ c: RTMPURLParseCase) throws {
        let url = try RTMPURL(c.url, streamName: c.streamFlag)
        #expect(url.scheme == c.scheme)
        #expect(url.host == c.host)
        #expect(url.port == c.port)
        #expect(url.explicitPort == c.explicitPort)
        #expect(url.app == c.app)
        #expect(url.streamName == c.stream)
        #expect(url.publishName == c.stream)
        #expect(url.tcUrl == c.tcUrl)
        #expect(!url.tcUrl.contains("@"))
    }

    @Test func credentialsArePercentDecoded() throws {
        let url = try RTMPURL("rtmp://j%C3%B6rg%40corp:p%40ss%3Aw%2Frd%25@h/live/key")
        #expect(url.credentials == RTMPCredentials(user: "jörg@corp", password: "p@ss:w/rd%"))
        #expect(url.tcUrl == "rtmp://h/live")
    }

    @Test func rawAtSignInPasswordSplitsAtTheLastAt() throws {
        let url = try RTMPURL("rtmp://user:p@ss@h/live/key")
        #expect(url.credentials == RTMPCredentials(user: "user", password: "p@ss"))
        #expect(url.host == "h")
    }

    @Test func userWithoutPassword() throws {
        let url = try RTMPURL("rtmp://user@h/live/key")
        #expect(url.credentials == RTMPCredentials(user: "user", password: ""))
        #expect(url.redacted == "rtmp://user@h/live/***")
    }

    @Test func noCredentials() throws {
        #expect(try RTMPURL("rtmp://h/live/key").credentials == nil)
    }

    @Test func queryAccessors() throws {
        let url = try RTMPURL("rtmp://h/live/key?user=u&pass=p")
        #expect(url.appWithoutQuery == "live")
        #expect(url.appQuery == nil)
        #expect(url.streamNameWithoutQuery == "key")
        #expect(url.streamQuery == "user=u&pass=p")

        let appLevel = try RTMPURL("rtmp://h/live?token=t", streamName: "key")
        #expect(appLevel.appWithoutQuery == "live")
        #expect(appLevel.appQuery == "token=t")
        #expect(appLevel.streamNameWithoutQuery == "key")
        #expect(appLevel.streamQuery == nil)
    }

    @Test func authQueryIsAppendedToAppAndTcUrl() throws {
        let url = try RTMPURL("rtmp://u:p@h:1936/live/key")
        #expect(url.connectApp(authQuery: nil) == "live")
        #expect(url.connectApp(authQuery: "?authmod=adobe&user=u") == "live?authmod=adobe&user=u")
        #expect(url.connectTcUrl(authQuery: "?authmod=adobe&user=u") == "rtmp://h:1936/live?authmod=adobe&user=u")

        // An app that already has a query joins with '&', not a second '?'.
        let withQuery = try RTMPURL("rtmp://h/live?token=t", streamName: "key")
        #expect(withQuery.connectApp(authQuery: "?authmod=llnw&user=u") == "live?token=t&authmod=llnw&user=u")
        #expect(withQuery.connectTcUrl(authQuery: "?authmod=llnw&user=u") == "rtmp://h/live?token=t&authmod=llnw&user=u")
    }

    @Test func equality() throws {
        #expect(try RTMPURL("rtmp://h/live/key") == RTMPURL("rtmp://h/live/key"))
        #expect(try RTMPURL("rtmp://h/live/key") != RTMPURL("rtmp://h:1935/live/key"))
        #expect(try RTMPURL("rtmp://h/live/key") != RTMPURL("rtmp://h/live", streamName: "key"))
    }

    @Test(arguments: [1, 1935, 65535])
    func portRange(_ port: Int) throws {
        #expect(try RTMPURL("rtmp://h:\(port)/live/key").port == port)
    }

    @Test func longestURLIsAccepted() throws {
        let prefix = "rtmp://h/live/"
        let url = prefix + String(repeating: "k", count: RTMPURL.maximumLength - prefix.utf8.count)
        #expect(try RTMPURL(url).streamName?.utf8.count == RTMPURL.maximumLength - prefix.utf8.count)
    }
}

struct RTMPURLErrorCase: Sendable, CustomTestStringConvertible {
    var url: String
    var streamFlag: String? = nil
    var message: String
    var testDescription: String { url }
}

@Suite("RTMPURL errors")
struct RTMPURLErrorTests {
    static let cases: [RTMPURLErrorCase] = [
        .init(url: "http://h/live/key", message: "unsupported scheme 'http' in URL 'http://h/live/***'; use rtmp:// or rtmps://"),
        .init(url: "rtmpt://h/live/key", message: "unsupported scheme 'rtmpt' in URL 'rtmpt://h/live/***'; use rtmp:// or rtmps://"),
        .init(url: "SRT://u:pw@h/live/key", message: "unsupported scheme 'SRT' in URL 'SRT://u:***@h/live/***'; use rtmp:// or rtmps://"),
        .init(url: "h/live/key", message: "bad RTMP URL 'h/live/***': no scheme; use rtmp:// or rtmps://"),
        .init(url: "://h/live/key", message: "bad RTMP URL '://h/live/***': no scheme; use rtmp:// or rtmps://"),
        .init(url: "rtmp:///live/key", message: "bad RTMP URL 'rtmp:///live/***': empty host"),
        .init(url: "rtmp://u:secret@/live/key", message: "bad RTMP URL 'rtmp://u:***@/live/***': empty host"),
        .init(url: "rtmp://h:/live/key", message: "bad RTMP URL 'rtmp://h:/live/***': empty port after ':'"),
        .init(url: "rtmp://h:0/live/key", message: "bad RTMP URL 'rtmp://h:0/live/***': bad port '0' (1-65535)"),
        .init(url: "rtmp://h:65536/live/key", message: "bad RTMP URL 'rtmp://h:65536/live/***': bad port '65536' (1-65535)"),
        .init(url: "rtmp://h:99999999999999999999/live/key",
              message: "bad RTMP URL 'rtmp://h:99999999999999999999/live/***': bad port '99999999999999999999' (1-65535)"),
        .init(url: "rtmp://h:19x5/live/key", message: "bad RTMP URL 'rtmp://h:19x5/live/***': the port is not a number"),
        .init(url: "rtmp://h:-1/live/key", message: "bad RTMP URL 'rtmp://h:-1/live/***': the port is not a number"),
        .init(url: "rtmp://user:pa/ss@h/live/key",
              message: "bad RTMP URL 'rtmp://user:***@h/live/***': the port is not a number; write a '/' in the password as %2F"),
        .init(url: "rtmp://h/live/my key", message: "bad RTMP URL 'rtmp://h/live/***': whitespace at byte 16"),
        .init(url: " rtmp://h/live/key", message: "bad RTMP URL ' rtmp://h/live/***': whitespace at byte 0"),
        .init(url: "rtmp://h/live/key\n", message: "bad RTMP URL 'rtmp://h/live/***': whitespace at byte 17"),
        .init(url: "rtmp://h/live/k\u{01}ey", message: "bad RTMP URL 'rtmp://h/live/***': control character at byte 15"),
        .init(url: "rtmp://h", message: "bad RTMP URL 'rtmp://h': no app in the path (rtmp://host/app/stream)"),
        .init(url: "rtmp://h/", message: "bad RTMP URL 'rtmp://h/': no app in the path (rtmp://host/app/stream)"),
        .init(url: "rtmp://h?app=x", message: "bad RTMP URL 'rtmp://h?app=x': no app in the path (rtmp://host/app/stream)"),
        .init(url: "rtmp://h//key", message: "bad RTMP URL 'rtmp://h//***': no app before the stream name (rtmp://host/app/stream)"),
        .init(url: "rtmp://h/", streamFlag: "key", message: "bad RTMP URL 'rtmp://h/': no app in the path (rtmp://host/app/stream)"),
        .init(url: "rtmp://h/live//key", message: "bad RTMP URL 'rtmp://h/live//***': empty segment in the path 'live/'"),
        .init(url: "rtmp://::1/live/key", message: "bad RTMP URL 'rtmp://::1/live/***': an IPv6 address must be in brackets: rtmp://[::1]:1935/app"),
        .init(url: "rtmp://[::1/live/key", message: "bad RTMP URL 'rtmp://[::1/live/***': '[' without ']' around the IPv6 address"),
        .init(url: "rtmp://[12345::1]/live/key", message: "bad RTMP URL 'rtmp://[12345::1]/live/***': bad IPv6 address '12345::1'"),
        .init(url: "rtmp://[1:2:3:4:5:6:7]/live/key", message: "bad RTMP URL 'rtmp://[1:2:3:4:5:6:7]/live/***': bad IPv6 address '1:2:3:4:5:6:7'"),
        .init(url: "rtmp://[1::2::3]/live/key", message: "bad RTMP URL 'rtmp://[1::2::3]/live/***': bad IPv6 address '1::2::3'"),
        .init(url: "rtmp://[example.com]/live/key", message: "bad RTMP URL 'rtmp://[example.com]/live/***': bad IPv6 address 'example.com'"),
        .init(url: "rtmp://[fe80::1%eth0]/live/key", message: "bad RTMP URL 'rtmp://[fe80::1%eth0]/live/***': bad IPv6 address 'fe80::1%eth0'"),
        .init(url: "rtmp://[::1]x/live/key", message: "bad RTMP URL 'rtmp://[::1]x/live/***': unexpected 'x' after the IPv6 address"),
        .init(url: "rtmp://256.1.1.1/live/key", message: "bad RTMP URL 'rtmp://256.1.1.1/live/***': bad IPv4 address '256.1.1.1'"),
        .init(url: "rtmp://1.2.3/live/key", message: "bad RTMP URL 'rtmp://1.2.3/live/***': bad IPv4 address '1.2.3'"),
        .init(url: "rtmp://exa mple/live/key", message: "bad RTMP URL 'rtmp://exa mple/live/***': whitespace at byte 10"),
        .init(url: "rtmp://ex..ample/live/key", message: "bad RTMP URL 'rtmp://ex..ample/live/***': empty label in host 'ex..ample'"),
        .init(url: "rtmp://ex!ample/live/key", message: "bad RTMP URL 'rtmp://ex!ample/live/***': bad character in host 'ex!ample'"),
        .init(url: "rtmp://bücher.example/live/key",
              message: "bad RTMP URL 'rtmp://bücher.example/live/***': host 'bücher.example' is not ASCII; write an internationalised name in its xn-- form"),
        .init(url: "rtmp://:pw@h/live/key", message: "bad RTMP URL 'rtmp://:***@h/live/***': empty user name before '@'"),
        .init(url: "rtmp://u:p%zz@h/live/key", message: "bad RTMP URL 'rtmp://u:***@h/live/***': bad percent-encoding in the password"),
        .init(url: "rtmp://u%ff:p@h/live/key", message: "bad RTMP URL 'rtmp://u%ff:***@h/live/***': bad percent-encoding in the user name"),
        .init(url: "rtmp://h/live", streamFlag: "", message: "empty stream name"),
        .init(url: "rtmp://h/live", streamFlag: "my key", message: "bad stream name: it contains a space or a control character"),
    ]

    @Test(arguments: cases)
    func rejects(_ c: RTMPURLErrorCase) {
        #expect(throws: MediaError(.usage, c.message)) {
            try RTMPURL(c.url, streamName: c.streamFlag)
        }
    }

    @Test func tooLongIsRejectedWithoutEchoingIt() {
        let url = "rtmp://h/live/" + String(repeating: "k", count: RTMPURL.maximumLength)
        #expect(throws: MediaError(.usage, "bad RTMP URL (\(url.utf8.count) bytes): longer than 4096 bytes")) {
            try RTMPURL(url)
        }
    }

    @Test func errorsNeverShowThePasswordOrKey() {
        let inputs = [
            "rtmp://user:hunter2@h:0/live/streamkey123",
            "rtmp://user:hunter2@h/live/stream key123",
            "ftp://user:hunter2@h/live/streamkey123",
            "rtmp://user:hunter2@[::1/live/streamkey123?pass=hunter2",
            "rtmp://user:hun/ter2@h/live/streamkey123",
            "rtmp://user:hunter2@h:0/live/streamkey123?a=b@c",
        ]
        for input in inputs {
            do {
                _ = try RTMPURL(input)
                Issue.record("expected an error for \(input)")
            } catch let error as MediaError {
                #expect(error.kind == .usage)
                #expect(!error.message.contains("hunter2") && !error.message.contains("ter2") && !error.message.contains("'hun"), "\(error.message)")
                #expect(!error.message.contains("streamkey123"), "\(error.message)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}
