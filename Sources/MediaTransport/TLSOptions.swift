import MediaCore
import NIOCore
import NIOSSL

/// How to trust a TLS server: the system trust store by default, a CA file, or nothing (`--insecure`).
public struct TLSOptions: Sendable, Equatable {
    public var caFile: String?
    public var insecure: Bool

    public init(caFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.insecure = insecure
    }

    /// Loads what the options name (the CA file), so that a missing or unreadable file is reported before
    /// anything connects rather than at every connection attempt.
    public func check() throws {
        _ = try makeConfiguration()
    }

    func makeContext() throws -> NIOSSLContext {
        let configuration = try makeConfiguration()
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw MediaError(.tls, "cannot set up TLS: \(error)")
        }
    }

    /// The client TLS configuration these options describe (for clients that build their own context, such as
    /// the websocket client).
    func makeConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if insecure {
            configuration.certificateVerification = .none
        } else if let caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                configuration.trustRoots = .certificates(certificates)
            } catch {
                throw MediaError(.inputMissing, "cannot read CA file '\(caFile)': \(error)")
            }
        }
        return configuration
    }

    /// The name to send in SNI and check the certificate against; IP addresses must not go into SNI, and
    /// NIOSSL then checks the certificate against the address connected to.
    static func serverHostname(for host: String) -> String? {
        let isIPv4 = host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        return isIPv4 || host.contains(":") ? nil : host
    }
}
