/// What makes two transponders the same one: the same source published to the same destination. The seed:
/// "If a transponder for the given stream and rtmpUrl already exists, 409 Conflict is returned." A second
/// registration with an equal key is refused (`MediaError.Kind.conflict`, exit status 5).
///
/// 64 lowercase hex digits (SHA-256 of the source identity and the destination digest), usable as a file name:
/// the registry holds one lock file per key.
public struct TransponderKey: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(source: TransponderSource, destination: TransponderDestination) {
        rawValue = TransponderDestination.sha256("transponder\n" + source.identity + "\n" + destination.digest)
    }

    /// A key read back from an entry file: exactly 64 lowercase hex digits.
    public init?(rawValue: String) {
        guard rawValue.utf8.count == 64,
            rawValue.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) })
        else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}
