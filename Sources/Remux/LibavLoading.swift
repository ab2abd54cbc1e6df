import CLibavLoader

/// Opens libav (dlopen, once per process) before the first libav call. mediactl does not link libav, so that
/// `rtmp push` and the other commands that never remux do not map it; a machine without it gets this error
/// instead of a crash, e.g. "libav is not installed: libavcodec.so.59: cannot open shared object file: No such
/// file or directory; install libavcodec59 (...)".
func loadLibav() throws {
    var message = [CChar](repeating: 0, count: 512)
    guard mediactl_libav_load(&message, message.count) == 0 else {
        throw RemuxError(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
