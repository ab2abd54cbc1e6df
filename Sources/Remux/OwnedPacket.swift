import CFFmpeg

/// An `AVPacket` this code owns: freed (with its data reference) when the object goes away.
/// Timestamps in `pointer.pointee` are milliseconds of the output timeline until the muxer rescales them.
final class OwnedPacket {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() throws {
        pointer = try require(av_packet_alloc(), "av_packet_alloc")
    }

    /// A packet holding a copy of `bytes`.
    convenience init(copying bytes: UnsafeRawBufferPointer) throws {
        try self.init()
        try check(av_new_packet(pointer, Int32(bytes.count)), "av_new_packet(\(bytes.count) bytes)")
        if let source = bytes.baseAddress, bytes.count > 0 {
            pointer.pointee.data.update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        }
    }

    /// Moves the content of `packet` (which libav just filled) into a new owned packet, leaving `packet` blank.
    static func moving(from packet: UnsafeMutablePointer<AVPacket>) throws -> OwnedPacket {
        let owned = try OwnedPacket()
        av_packet_move_ref(owned.pointer, packet)
        return owned
    }

    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer.pointee.data, count: Int(pointer.pointee.size))
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}
