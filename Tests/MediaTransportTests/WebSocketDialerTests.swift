import MediaCore
import Testing

@testable import MediaTransport

@Suite struct WebSocketDialerTests {
    @Test(arguments: [
        ("ws://127.0.0.1:8080/signaling", false, "127.0.0.1", 8080, "/signaling", "127.0.0.1:8080"),
        ("wss://rtms.zoom.us/sig?a=1&b=2", true, "rtms.zoom.us", 443, "/sig?a=1&b=2", "rtms.zoom.us"),
        ("WSS://[::1]:9443", true, "::1", 9443, "/", "[::1]:9443"),
        ("ws://host?x", false, "host", 80, "/?x", "host"),
        ("ws://host:80/p#frag", false, "host", 80, "/p", "host"),
    ])
    func parses(url: String, secure: Bool, host: String, port: Int, resource: String, hostHeader: String) throws {
        let target = try WebSocketDialer.Target(url: url)
        #expect(target.secure == secure)
        #expect(target.host == host)
        #expect(target.port == port)
        #expect(target.resource == resource)
        #expect(target.hostHeader == hostHeader)
    }

    @Test(arguments: [
        "http://host/", "ws:/host", "ws://", "ws://:80/", "ws://host:0/", "ws://host:99999/", "ws://[::1/",
        "ws://[::1]x/", "ws://user@host/",
    ])
    func refuses(url: String) {
        #expect(throws: MediaError.self) { try WebSocketDialer.Target(url: url) }
    }

    /// RFC 6066 section 3: "Literal IPv4 and IPv6 addresses are not permitted in "HostName"."
    @Test(arguments: [
        ("127.0.0.1", nil as String?), ("::1", nil), ("fe80::1%eth0", nil), ("rtms.zoom.us", "rtms.zoom.us"),
        ("localhost", "localhost"),
    ])
    func noServerNameForIPAddresses(host: String, expected: String?) {
        #expect(TLSOptions.serverHostname(for: host) == expected)
    }
}
