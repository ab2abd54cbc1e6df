import NIOCore

/// The sending side of Zoom's webhooks, for emulators that exercise an app from its webhook handler on.
extension RTMSWebhook {
    /// Notes: "URL validation: `{"event":"endpoint.url_validation","payload":{"plainToken":"..."}}`".
    public static func urlValidationBody(plainToken: String, eventTimestamp: Int64) -> JSONValue {
        .object([
            JSONField("event", "endpoint.url_validation"),
            JSONField("payload", .object([JSONField("plainToken", .string(plainToken))])),
            JSONField("event_ts", .int(eventTimestamp)),
        ])
    }

    /// Checks an app's answer to a URL validation challenge: notes, "must get, within 3 s, HTTP 200 with
    /// `{"plainToken": p, "encryptedToken": lowercase hex(HMAC-SHA256(key: webhook secret token, message: p))}`".
    public static func checkURLValidationResponse(
        status: Int, body: ByteBuffer, plainToken: String, secretToken: String
    ) -> RTMSWebhookVerdict {
        guard status == 200 else { return .invalid(reason: "answered HTTP \(status), expected 200") }
        guard let json = try? JSONValue.parse(body), case .object = json else {
            return .invalid(reason: "the answer is not a JSON object")
        }
        guard json["plainToken"]?.stringValue == plainToken else {
            return .invalid(reason: "the answer's plainToken is not the one sent")
        }
        let expected = urlValidationResponse(plainToken: plainToken, secretToken: secretToken)["encryptedToken"]
        guard let given = json["encryptedToken"]?.stringValue, let expected = expected?.stringValue,
            let a = RTMSHex.decode(Substring(given)), let b = RTMSHex.decode(Substring(expected)),
            RTMSHex.constantTimeEqual(a, b)
        else {
            return .invalid(reason: "the answer's encryptedToken does not match (wrong webhook secret token?)")
        }
        return .valid
    }
}
