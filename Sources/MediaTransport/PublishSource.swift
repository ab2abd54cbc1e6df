import NIOCore

/// Where `RTMPPublisher` reads FLV bytes from: a file or stdin (`ByteSource`), or FLV made on the fly from RTMS
/// media (`FLVPublishBridge`). The publisher calls it from one task at a time.
public protocol PublishSource: Sendable {
    /// The next block of FLV bytes, in order; nil at the end. Cancelling the calling task ends the source.
    func read() async throws -> ByteBuffer?
    /// Back to the first byte, for `--loop`; throws (`.usage`) when the source cannot go back.
    func rewind() throws
}

extension ByteSource: PublishSource {
    public func read() async throws -> ByteBuffer? {
        try await read(maximum: 256 << 10)
    }
}
