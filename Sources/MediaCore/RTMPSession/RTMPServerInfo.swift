/// What a server tells about itself while connecting: the `_result` of `connect` and the protocol control
/// messages around it. `rtmp probe` reports it.
public struct RTMPServerInfo: Sendable, Equatable {
    /// `fmsVer` from the connect `_result` properties (for example "FMS/3,0,1,123").
    public var serverVersion: String?
    public var capabilities: Double?
    public var mode: Double?
    /// The `_result` information object's `code` and `description`.
    public var code: String?
    public var description: String?
    public var objectEncoding: Double?
    /// The whole properties and information objects, for `--json`.
    public var properties: AMF0Object?
    public var information: AMF0Object?
    public var windowAcknowledgementSize: UInt32?
    public var peerBandwidth: UInt32?
    public var peerBandwidthLimit: RTMPBandwidthLimit?
    public var serverChunkSize: Int?

    public init() {}
}

/// An `onStatus` (or `_error`) information object: level, code, description.
public struct RTMPStatus: Sendable, Equatable, CustomStringConvertible {
    public var level: String
    public var code: String
    public var details: String

    public init(level: String, code: String, details: String) {
        self.level = level
        self.code = code
        self.details = details
    }

    init(_ value: AMF0Value?) {
        let object = value?.objectValue
        level = object?["level"]?.stringValue ?? ""
        code = object?["code"]?.stringValue ?? ""
        details = object?["description"]?.stringValue ?? ""
    }

    public var isError: Bool { level == "error" }

    public var description: String {
        details.isEmpty ? code : "\(code): \(details)"
    }
}
