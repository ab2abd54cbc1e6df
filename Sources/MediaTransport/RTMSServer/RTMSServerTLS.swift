import MediaCore
import NIOSSL

/// The certificate and key a `wss://` emulator serves with (`--tls-cert`, `--tls-key`: PEM files).
public struct RTMSServerTLS: Sendable {
    public var certificatePath: String
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// A NIOSSL server configuration; throws `.inputMissing` for unreadable files, `.tls` for unusable ones.
    func configuration() throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw MediaError(.inputMissing, "cannot read the TLS certificate '\(certificatePath)': \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw MediaError(.inputMissing, "cannot read the TLS key '\(keyPath)': \(error)")
        }
        guard !chain.isEmpty else { throw MediaError(.tls, "'\(certificatePath)' holds no certificate") }
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}
