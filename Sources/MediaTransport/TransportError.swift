import MediaCore
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#endif

/// Maps what NIO, the OS and BoringSSL throw onto `MediaError` kinds, with the endpoint named.
enum TransportError {
    static func map(_ error: any Error, endpoint: String) -> MediaError {
        if let error = error as? MediaError { return error }
        if let error = error as? NIOConnectionError {
            if let dns = error.dnsAAAAError ?? error.dnsAError, error.connectionErrors.isEmpty {
                return MediaError(.peerUnavailable, "cannot resolve \(endpoint): \(dns)")
            }
            if let first = error.connectionErrors.first {
                return map(first.error, endpoint: endpoint)
            }
            return MediaError(.peerUnavailable, "cannot connect to \(endpoint): \(error)")
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return MediaError(.peerUnavailable, "connection refused by \(endpoint)")
            case ECONNRESET, EPIPE: return MediaError(.peerUnavailable, "connection reset by \(endpoint)")
            case ETIMEDOUT: return MediaError(.timeout, "connection to \(endpoint) timed out")
            case EHOSTUNREACH, ENETUNREACH: return MediaError(.peerUnavailable, "\(endpoint) is unreachable")
            case EADDRNOTAVAIL: return MediaError(.usage, "cannot bind the local address: \(error)")
            default: return MediaError(.peerUnavailable, "\(endpoint): \(error)")
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return MediaError(.timeout, "connecting to \(endpoint) timed out")
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed:
                return MediaError(.peerUnavailable, "connection to \(endpoint) closed")
            default: return MediaError(.peerUnavailable, "\(endpoint): \(error)")
            }
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return MediaError(.tls, "TLS with \(endpoint) failed: \(error)")
        }
        if error is CancellationError {
            return MediaError(.interrupted, "interrupted")
        }
        return MediaError(.failure, "\(endpoint): \(error)")
    }
}
