import NIOCore

/// The chunks of one or more RTMP messages as buffers to write in order, with one vector write, that share storage
/// with the message payloads instead of copying them (`RTMPChunkEncoder.encode(_:into:)` with a list fills it).
///
/// Chunk headers, and payload pieces shorter than `copyLimit`, are written into one buffer, so that a run of them
/// (an audio frame, its header and the next video frame's header) stays one piece; payload pieces of at least
/// `copyLimit` bytes are slices of the payload. `buffers` in order are byte for byte what
/// `RTMPChunkEncoder.encode(_:into:)` with one `ByteBuffer` writes.
public struct RTMPChunkList: Sendable {
    /// Payload pieces shorter than this are copied next to their headers; longer ones are sliced.
    public let copyLimit: Int
    /// Audio frames and chunk headers are copied; video frames, typically tens of KiB, are sliced.
    public static let defaultCopyLimit = 4096
    /// The total length of all pieces.
    public private(set) var readableBytes = 0

    private var written: ByteBuffer
    private var pieces: [Piece] = []

    private enum Piece: Sendable {
        /// Bytes `start..<end` of `written`.
        case written(start: Int, end: Int)
        case slice(ByteBuffer)
    }

    /// - Parameters:
    ///   - copyLimit: payload pieces shorter than this are copied (a piece costs the writer more than copying a
    ///     short one would).
    ///   - capacity: initial capacity of the buffer that holds headers and copied pieces.
    public init(copyLimit: Int = defaultCopyLimit, capacity: Int = 1024, allocator: ByteBufferAllocator = ByteBufferAllocator()) {
        precondition(copyLimit >= 0, "RTMPChunkList copy limit \(copyLimit) is negative")
        self.copyLimit = copyLimit
        self.written = allocator.buffer(capacity: capacity)
    }

    public var isEmpty: Bool { readableBytes == 0 }

    /// The pieces in order: slices of the header buffer and of the payloads, without copying.
    public var buffers: [ByteBuffer] {
        pieces.map { piece in
            switch piece {
            case .written(let start, let end): return written.getSlice(at: start, length: end - start)!
            case .slice(let buffer): return buffer
            }
        }
    }

    /// Writes into the header buffer (a header, or a short payload piece); a run of such writes is one piece.
    mutating func write(_ body: (inout ByteBuffer) -> Void) {
        let start = written.writerIndex
        body(&written)
        let end = written.writerIndex
        guard end > start else { return }
        readableBytes += end - start
        if case .written(let first, let last)? = pieces.last, last == start {
            pieces[pieces.count - 1] = .written(start: first, end: end)
        } else {
            pieces.append(.written(start: start, end: end))
        }
    }

    /// Appends a piece of payload: copied when shorter than `copyLimit`, else kept as it is (a slice).
    mutating func append(payload piece: ByteBuffer) {
        guard piece.readableBytes >= copyLimit, piece.readableBytes > 0 else {
            write { $0.writeImmutableBuffer(piece) }
            return
        }
        readableBytes += piece.readableBytes
        pieces.append(.slice(piece))
    }

    mutating func reserveHeaderCapacity(_ bytes: Int) {
        written.reserveCapacity(minimumWritableBytes: bytes)
    }
}
