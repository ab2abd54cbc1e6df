/// What an emulated RTMS server checks in handshake requests, and how it answers them.
///
/// Status codes: notes, "Two incompatible public tables of the non-zero codes exist (one has 3 = invalid
/// signature, the other 15). Treat every non-zero code as failure, always show the `reason` text". The emulator
/// answers a bad signature with 15, as one of those tables has it; its other codes are its own choice, and every
/// refusal carries a reason that says what was wrong.
public enum RTMSServerHandshake {
    public struct Refusal: Sendable, Equatable, Error {
        public var statusCode: Int64
        public var reason: String
        public init(_ statusCode: Int64, _ reason: String) {
            self.statusCode = statusCode
            self.reason = reason
        }
    }

    /// Not the expected handshake request (not JSON, another msg_type).
    public static let statusInvalidRequest: Int64 = 4
    /// Another meeting, session or stream than the one served, or a media URL of no session.
    public static let statusUnknownStream: Int64 = 13
    /// The signature is missing or does not match.
    public static let statusInvalidSignature: Int64 = 15

    /// Checks a signaling handshake request (1) for `descriptor`'s stream.
    public static func checkSignaling(
        _ message: RTMSMessage, descriptor: RTMSStreamDescriptor, credentials: RTMSCredentials?
    ) -> Result<RTMSMessage.SignalingHandshakeRequest, Refusal> {
        guard case .signalingHandshakeRequest(let request) = message else {
            return .failure(expected(1, got: message.msgType))
        }
        if let refusal = check(id: request.id, streamID: request.streamID, signature: request.signature, descriptor, credentials) {
            return .failure(refusal)
        }
        return .success(request)
    }

    /// Checks a media handshake request (3) for `descriptor`'s stream. Reference: "The same signature is sent in
    /// every media handshake" (notes).
    public static func checkMedia(
        _ message: RTMSMessage, descriptor: RTMSStreamDescriptor, credentials: RTMSCredentials?
    ) -> Result<RTMSMessage.DataHandshakeRequest, Refusal> {
        guard case .dataHandshakeRequest(let request) = message else {
            return .failure(expected(3, got: message.msgType))
        }
        if let refusal = check(id: request.id, streamID: request.streamID, signature: request.signature, descriptor, credentials) {
            return .failure(refusal)
        }
        return .success(request)
    }

    /// A request that is not an RTMS message at all.
    public static func undecodable(_ error: MediaError) -> Refusal {
        Refusal(statusInvalidRequest, "not an RTMS handshake request: \(error.message)")
    }

    private static func expected(_ type: Int, got: Int) -> Refusal {
        let name = RTMSMessageType(rawValue: type)?.description ?? "?"
        return Refusal(statusInvalidRequest, "expected msg_type \(type) (\(name)), got \(got)")
    }

    private static func check(
        id: RTMSInstanceID?, streamID: String?, signature: String?, _ descriptor: RTMSStreamDescriptor,
        _ credentials: RTMSCredentials?
    ) -> Refusal? {
        guard let id, id.value == descriptor.id.value else {
            let shown = id.map { "\($0.key) \"\($0.value)\"" } ?? "no \(descriptor.id.key)"
            return Refusal(statusUnknownStream, "unknown \(descriptor.id.key): \(shown) is not served here")
        }
        guard let streamID, streamID == descriptor.streamID else {
            return Refusal(statusUnknownStream, "unknown rtms_stream_id \"\(streamID ?? "")\"")
        }
        guard let credentials else { return nil }
        guard let signature, !signature.isEmpty else { return Refusal(statusInvalidSignature, "no signature") }
        let expected = RTMSSignature.sign(
            clientID: credentials.clientID, clientSecret: credentials.clientSecret, id: id.value, streamID: streamID)
        guard let presented = RTMSHex.decode(Substring(signature)), let wanted = RTMSHex.decode(Substring(expected)),
            RTMSHex.constantTimeEqual(presented, wanted)
        else {
            return Refusal(
                statusInvalidSignature,
                "invalid signature: expected lowercase hex HMAC-SHA256 of \"<client_id>,\(id.value),\(streamID)\" keyed with the client secret")
        }
        return nil
    }

    /// The `media_params` of a media handshake response for a connection carrying `types`. Reference: "The media
    /// connection responds with confirmed parameters of the requested media types." and "Parameters are set to
    /// default if not specified and returned in the response." Each type gets the reference defaults, overlaid by
    /// what was requested, overlaid by what the recording holds (the emulator replays recorded media and cannot
    /// turn it into another codec or rate, so it confirms what the client will really get). `.all` answers for the
    /// types the recording carries (all five when it carries none).
    public static func mediaParameters(
        requested: RTMSMediaParameters?, types: RTMSMediaType, recorded: RTMSMediaParameters,
        recordedTypes: RTMSMediaType
    ) -> RTMSMediaParameters {
        var answered = types
        if types.contains(.all) {
            answered = recordedTypes.intersection(RTMSMediaType(rawValue: 31))
            if answered.isEmpty { answered = RTMSMediaType(rawValue: 31) }
        }
        let merged = RTMSMediaParameters.referenceDefaults.overlaid(by: requested ?? RTMSMediaParameters())
            .overlaid(by: recorded)
        return merged.keeping(answered)
    }
}
