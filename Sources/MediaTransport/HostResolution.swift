import MediaCore
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The check a command that publishes makes before anything starts (before it opens its input, registers a
/// transponder, listens or connects): the destination's host name has an address. A name the resolver says does
/// not exist is a usage error (exit 64) naming the option and the host, never the rest of the URL (it may hold a
/// stream key or credentials).
///
/// Only that answer is: a resolver that cannot answer now (EAI_AGAIN, no network yet) lets the command start, and
/// connecting reports it as a retryable failure as before, so `--reconnect` still covers it. Failures while
/// reconnecting later are not checked here either.
public enum HostResolution {
    /// Resolves `url`'s host once; `option` names where the URL came from (`URL`, `--push URL`).
    public static func check(_ url: RTMPURL, option: String) throws {
        try check(host: url.host, port: url.port, option: option)
    }

    /// Resolves `host` once with NIO's `getaddrinfo` (the resolver connecting uses, so /etc/hosts and
    /// nsswitch.conf answer as they will then). An IP address is taken as it is, without a lookup.
    public static func check(host: String, port: Int, option: String) throws {
        if (try? SocketAddress(ipAddress: host, port: port)) != nil { return }
        do {
            _ = try SocketAddress.makeAddressResolvingHost(host, port: port)
        } catch let error as SocketAddressError.UnknownHost where nameHasNoAddress(error.errorCode) {
            throw MediaError(.usage, "\(option): cannot resolve host '\(host)' (\(error.errorDescription)); check the host name")
        } catch {
            // Not an answer about the name (a temporary resolver failure, no memory): connecting tells.
            return
        }
    }

    /// getaddrinfo(3): EAI_NONAME "the node or service is not known"; EAI_NODATA "the specified network host
    /// exists, but does not have any network addresses defined". EAI_FAIL "the name server returned a permanent
    /// failure indication" is taken as an answer too; EAI_AGAIN "the name server returned a temporary failure
    /// indication. Try again later" is not.
    static func nameHasNoAddress(_ code: Int) -> Bool {
        code == Int(EAI_NONAME) || code == Int(EAI_FAIL) || code == noData
    }

    #if canImport(Glibc)
        /// EAI_NODATA: a GNU extension the Glibc module does not export; -5 in glibc's netdb.h.
        static let noData = -5
    #else
        /// Darwin's getaddrinfo answers EAI_NONAME for a name without addresses.
        static let noData = Int(EAI_NONAME)
    #endif
}
