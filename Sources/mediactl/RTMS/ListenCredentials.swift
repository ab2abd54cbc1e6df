import Foundation
import MediaCore

/// The secrets of `rtms listen`, from the environment or from files; never from flag values, never printed.
struct ListenCredentials {
    var client: RTMSCredentials?
    var webhookSecret: String?

    /// Files win over the environment: ZM_RTMS_CLIENT / ZM_RTMS_SECRET (the names Zoom's SDKs use) and
    /// ZM_RTMS_WEBHOOK_SECRET, else ZOOM_SECRET_TOKEN (Zoom's samples).
    static func load(clientIDFile: String?, clientSecretFile: String?, webhookSecretFile: String?) throws
        -> ListenCredentials
    {
        let environment = ProcessInfo.processInfo.environment
        func value(file: String?, _ names: [String]) throws -> String? {
            if let file { return try readSecret(from: file) }
            return names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        let id = try value(file: clientIDFile, ["ZM_RTMS_CLIENT"])
        let secret = try value(file: clientSecretFile, ["ZM_RTMS_SECRET"])
        let webhook = try value(file: webhookSecretFile, ["ZM_RTMS_WEBHOOK_SECRET", "ZOOM_SECRET_TOKEN"])
        if (id == nil) != (secret == nil) {
            throw MediaError(
                .authenticationFailed,
                id == nil
                    ? "a client secret but no client id: set ZM_RTMS_CLIENT or give --client-id-file"
                    : "a client id but no client secret: set ZM_RTMS_SECRET or give --client-secret-file")
        }
        return ListenCredentials(
            client: id.flatMap { id in secret.map { RTMSCredentials(clientID: id, clientSecret: $0) } },
            webhookSecret: webhook)
    }

    /// The file's text without surrounding whitespace (a trailing newline is usual).
    private static func readSecret(from path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MediaError(.inputMissing, "cannot read \(path)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw MediaError(.authenticationFailed, "\(path) is empty") }
        return text
    }
}
