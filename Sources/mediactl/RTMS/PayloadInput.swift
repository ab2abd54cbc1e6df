import Foundation
import MediaCore
import NIOCore

/// Reads `--payload FILE` (or `-` for stdin) whole: a webhook body is small.
enum PayloadInput {
    static let maxBytes = 1 << 20

    static func read(_ path: String) throws -> ByteBuffer {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw MediaError(.inputMissing, "cannot read --payload \(path)")
            }
            data = contents
        }
        guard data.count <= maxBytes else {
            throw MediaError(.malformedInput, "--payload \(path) is larger than \(maxBytes) bytes: not a webhook body")
        }
        return ByteBuffer(bytes: data)
    }
}
