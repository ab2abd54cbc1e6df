import NIOCore

/// Cuts the control socket's byte stream into lines (the `\n` removed, and a `\r` before it).
///
/// A line may be at most `maxLineBytes` long; the length is checked before bytes are copied, so a peer that
/// sends endless bytes without a newline costs at most that much memory.
public struct TransponderLineFramer: Sendable {
    /// Requests are a few hundred bytes (a WAV path is at most PATH_MAX, 4096); a status response about one
    /// kilobyte. 64 KiB leaves room and bounds a hostile or broken peer.
    public static let maxLineBytes = 64 * 1024

    private var partial = ByteBuffer()
    private var complete: [ByteBuffer] = []
    public let maxLineBytes: Int

    public init(maxLineBytes: Int = TransponderLineFramer.maxLineBytes) {
        self.maxLineBytes = maxLineBytes
    }

    /// Takes bytes from the socket. Throws `MediaError(.protocolViolation)` when a line grows past the limit.
    public mutating func append(_ bytes: ByteBuffer) throws {
        var incoming = bytes
        while let newline = incoming.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - incoming.readerIndex
            try checkLength(partial.readableBytes + length)
            var line = partial
            partial = ByteBuffer()
            line.writeImmutableBuffer(incoming.readSlice(length: length)!)
            incoming.moveReaderIndex(forwardBy: 1)
            if line.readableBytesView.last == UInt8(ascii: "\r") { line.moveWriterIndex(to: line.writerIndex - 1) }
            complete.append(line)
        }
        try checkLength(partial.readableBytes + incoming.readableBytes)
        partial.writeImmutableBuffer(incoming)
    }

    /// The next whole line, if one has arrived.
    public mutating func nextLine() -> ByteBuffer? {
        complete.isEmpty ? nil : complete.removeFirst()
    }

    /// Bytes of a line that has not ended yet.
    public var pendingBytes: Int { partial.readableBytes }

    private func checkLength(_ length: Int) throws {
        guard length <= maxLineBytes else {
            throw MediaError(.protocolViolation, "control line longer than \(maxLineBytes) bytes")
        }
    }
}
