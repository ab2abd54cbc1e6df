import MediaCore
import NIOCore

/// Reads one recording file record by record, in blocks of `blockSize` bytes (`ByteSource`: on NIO's thread pool),
/// through the core's `RTMSRecordingReader`. Records' payloads are slices of the blocks read, not copies.
public struct RTMSRecordingFileReader: Sendable {
    public static let blockSize = 1 << 20

    public let path: String
    private let source: ByteSource
    private var reader = RTMSRecordingReader()
    private var atEnd = false

    public init(path: String) throws {
        self.path = path
        self.source = try ByteSource(path: path)
    }

    /// The file header, once read (after the first `next()`).
    public var header: RTMSRecordingHeader? { reader.header }

    /// Where and why reading stopped early, once `next()` has returned nil.
    public var damage: RTMSRecordingDamage? { reader.damage }

    /// The next record; nil at the end of the file or at damage (then `damage` says where). Throws
    /// `.malformedInput` for a file that is not a recording, `.io` when reading fails.
    public mutating func next() async throws -> RTMSRecordingRecord? {
        while true {
            do {
                if let record = try reader.next() { return record }
            } catch let error as MediaError {
                throw MediaError(error.kind, "\(path): \(error.message)")
            }
            if atEnd || reader.damage != nil { return nil }
            if let block = try await source.read(maximum: Self.blockSize) {
                reader.append(block)
            } else {
                atEnd = true
                reader.inputEnded()
            }
        }
    }

    /// Reads only as far as the file header.
    public static func header(of path: String) async throws -> RTMSRecordingHeader {
        let source = try ByteSource(path: path)
        var reader = RTMSRecordingReader()
        while reader.header == nil {
            guard let block = try await source.read(maximum: 64 << 10) else {
                reader.inputEnded()
                _ = try? reader.next()
                let why = reader.damage?.reason ?? "the file is empty"
                throw MediaError(.malformedInput, "\(path): not a readable RTMS recording: \(why)")
            }
            reader.append(block)
            do {
                _ = try reader.next()
            } catch let error as MediaError {
                throw MediaError(error.kind, "\(path): \(error.message)")
            }
            if let damage = reader.damage, reader.header == nil {
                throw MediaError(.malformedInput, "\(path): \(damage)")
            }
        }
        return reader.header!
    }
}
