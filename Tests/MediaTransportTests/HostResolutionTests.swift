import MediaCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import MediaTransport

/// The check before publishing that a URL's host resolves. A name that does not resolve is checked end to end
/// (UnresolvableHostTests), where the lookup cannot reach a name server.
@Suite struct HostResolutionTests {
    @Test(arguments: ["rtmp://127.0.0.1/live/key", "rtmp://[::1]:1936/live/key", "rtmps://10.1.2.3/app/key"])
    func anIPAddressPasses(url: String) throws {
        try HostResolution.check(try RTMPURL(url), option: "URL")
    }

    /// From /etc/hosts (nsswitch.conf lists `files` first): no name server is asked.
    @Test func localhostResolves() throws {
        try HostResolution.check(try RTMPURL("rtmp://localhost/live/key"), option: "URL")
    }

    /// Only an answer that the name has no address is a usage error; a resolver that cannot answer now is left
    /// to connecting (retryable).
    @Test func whichResolverAnswersRefuse() {
        #expect(HostResolution.nameHasNoAddress(Int(EAI_NONAME)))
        #expect(HostResolution.nameHasNoAddress(Int(EAI_FAIL)))
        #expect(HostResolution.nameHasNoAddress(HostResolution.noData))
        #expect(!HostResolution.nameHasNoAddress(Int(EAI_AGAIN)))
        #expect(!HostResolution.nameHasNoAddress(Int(EAI_MEMORY)))
    }
}
