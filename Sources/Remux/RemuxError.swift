import CFFmpeg

/// Everything the remuxer throws: what failed and where, in words. The caller maps it onto its own error kinds.
public struct RemuxError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The text libav gives for an error code (`av_strerror`), e.g. "Invalid data found when processing input".
func libavErrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: Int(AV_ERROR_MAX_STRING_SIZE))
    if av_strerror(code, &buffer, buffer.count) < 0 {
        return "libav error \(code)"
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Checks a libav return code: negative codes become a `RemuxError` naming the call and the context.
@discardableResult
func check(_ code: Int32, _ call: @autoclosure () -> String) throws -> Int32 {
    if code < 0 {
        throw RemuxError("\(call()) failed: \(libavErrorText(code)) (\(code))")
    }
    return code
}

/// Unwraps a pointer returned by a libav allocator or lookup; `nil` becomes a `RemuxError` naming the call.
func require<T>(_ value: T?, _ call: @autoclosure () -> String) throws -> T {
    guard let value else {
        throw RemuxError("\(call()) failed: returned NULL")
    }
    return value
}

let averrorEAGAIN = cffmpeg_averror_eagain()
let averrorEOF = cffmpeg_averror_eof()
