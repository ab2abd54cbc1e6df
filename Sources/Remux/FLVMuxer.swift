import CFFmpeg
import NIOCore

/// libavformat's `flv` muxer writing to a file, stdout or a callback. Packets come in with millisecond
/// timestamps and are interleaved by `av_interleaved_write_frame`.
final class FLVMuxer {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private var customIO: UnsafeMutablePointer<AVIOContext>?
    private var sinkBox: SinkBox?
    private var ownsFileIO = false
    /// flv muxer flags: no header rewrite where the output cannot seek. (`add_keyframe_index` for files was
    /// tried: FFmpeg 5.1's own demuxer then reports "Keyframe index parsing failed".)
    private var flvFlags: String? = "no_duration_filesize"
    private var headerWritten = false
    private var trailerWritten = false
    private let millisecond = AVRational(num: 1, den: 1000)

    /// Keeps the Swift sink alive and carries its error out of the C callback.
    private final class SinkBox {
        let sink: @Sendable (ByteBuffer) throws -> Void
        var error: (any Error)? = nil
        let allocator = ByteBufferAllocator()
        init(_ sink: @escaping @Sendable (ByteBuffer) throws -> Void) { self.sink = sink }
    }

    private static let ioBufferSize: Int32 = 64 * 1024

    init(output: FLVOutput) throws {
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        try check(avformat_alloc_output_context2(&context, nil, "flv", nil), "avformat_alloc_output_context2(flv)")
        self.context = try require(context, "avformat_alloc_output_context2(flv)")
        switch output {
        case .file(let path):
            try check(avio_open(&self.context!.pointee.pb, path, AVIO_FLAG_WRITE), "avio_open(\(path))")
            ownsFileIO = true
            flvFlags = nil
        case .standardOutput:
            try check(avio_open(&self.context!.pointee.pb, "pipe:1", AVIO_FLAG_WRITE), "avio_open(standard output)")
            ownsFileIO = true
            self.context!.pointee.flags |= AVFMT_FLAG_FLUSH_PACKETS
        case .sink(let sink):
            let box = SinkBox(sink)
            sinkBox = box
            let buffer = try require(av_malloc(Int(Self.ioBufferSize)), "av_malloc(AVIO buffer)")
            guard let io = avio_alloc_context(
                buffer.assumingMemoryBound(to: UInt8.self), Self.ioBufferSize, 1,
                Unmanaged.passUnretained(box).toOpaque(), nil, { opaque, data, size in
                    guard let opaque, let data, size > 0 else { return 0 }
                    let box = Unmanaged<SinkBox>.fromOpaque(opaque).takeUnretainedValue()
                    if box.error != nil { return cffmpeg_averror(EIO) }
                    do {
                        let chunk = box.allocator.buffer(bytes: UnsafeRawBufferPointer(start: data, count: Int(size)))
                        try box.sink(chunk)
                        return size
                    } catch {
                        box.error = error
                        return cffmpeg_averror(EIO)
                    }
                }, nil)
            else {
                var buffer: UnsafeMutableRawPointer? = buffer
                av_freep(&buffer)
                throw RemuxError("avio_alloc_context for the FLV sink failed: returned NULL")
            }
            customIO = io
            self.context!.pointee.pb = io
            self.context!.pointee.flags |= AVFMT_FLAG_CUSTOM_IO | AVFMT_FLAG_FLUSH_PACKETS
        }
    }

    /// How far apart (media time) the first and last packet in the interleaving queue may be before libavformat
    /// writes out the oldest anyway (its default is 10 s): for a stream whose packets come late.
    func allowInterleavingDelay(microseconds: Int64) {
        guard let context else { return }
        context.pointee.max_interleave_delta = max(context.pointee.max_interleave_delta, microseconds)
    }

    deinit {
        if let context {
            if ownsFileIO { avio_closep(&context.pointee.pb) }
            context.pointee.pb = nil
            avformat_free_context(context)
        }
        if customIO != nil {
            av_freep(&customIO!.pointee.buffer)
            avio_context_free(&customIO)
        }
    }

    /// Adds a stream described by an opened encoder (AAC, libx264); returns its index.
    func addStream(from encoder: UnsafePointer<AVCodecContext>) throws -> Int32 {
        let stream = try require(avformat_new_stream(context, nil), "avformat_new_stream")
        try check(avcodec_parameters_from_context(stream.pointee.codecpar, encoder), "avcodec_parameters_from_context")
        stream.pointee.time_base = millisecond
        return stream.pointee.index
    }

    /// Adds a remuxed H.264 stream with its SPS and PPS (Annex B) as extradata; returns its index.
    func addH264Stream(parameterSets: [UInt8], width: Int32, height: Int32) throws -> Int32 {
        let stream = try require(avformat_new_stream(context, nil), "avformat_new_stream")
        let parameters = stream.pointee.codecpar!
        parameters.pointee.codec_type = AVMEDIA_TYPE_VIDEO
        parameters.pointee.codec_id = AV_CODEC_ID_H264
        parameters.pointee.width = width
        parameters.pointee.height = height
        let padded = parameterSets.count + Int(AV_INPUT_BUFFER_PADDING_SIZE)
        let extradata = try require(av_mallocz(padded), "av_mallocz(\(padded) bytes of extradata)")
        parameterSets.withUnsafeBytes { extradata.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        parameters.pointee.extradata = extradata.assumingMemoryBound(to: UInt8.self)
        parameters.pointee.extradata_size = Int32(parameterSets.count)
        stream.pointee.time_base = millisecond
        return stream.pointee.index
    }

    func writeHeader() throws {
        guard let context else { throw RemuxError("FLV muxer used after it was freed") }
        var options: OpaquePointer? = nil
        defer { av_dict_free(&options) }
        if let flvFlags {
            try check(av_dict_set(&options, "flvflags", flvFlags, 0), "av_dict_set(flvflags=\(flvFlags))")
        }
        try check(avformat_write_header(context, &options), "avformat_write_header(flv)")
        try rethrowSinkError()
        headerWritten = true
    }

    /// Writes one packet whose timestamps are in ms; takes its data (the packet is blank afterwards).
    func write(_ packet: OwnedPacket, streamIndex: Int32) throws {
        guard let context, headerWritten else { throw RemuxError("FLV packet written before the header") }
        let stream = context.pointee.streams[Int(streamIndex)]!
        packet.pointer.pointee.stream_index = streamIndex
        av_packet_rescale_ts(packet.pointer, millisecond, stream.pointee.time_base)
        let dts = packet.pointer.pointee.dts
        let code = av_interleaved_write_frame(context, packet.pointer)
        try rethrowSinkError()
        try check(code, "av_interleaved_write_frame(stream \(streamIndex), dts \(dts))")
    }

    /// Flushes interleaving queues, writes the trailer and closes the output; returns the bytes written.
    func finish() throws -> Int64 {
        guard let context, headerWritten, !trailerWritten else { return 0 }
        trailerWritten = true
        try check(av_interleaved_write_frame(context, nil), "av_interleaved_write_frame(flush)")
        try check(av_write_trailer(context), "av_write_trailer(flv)")
        try rethrowSinkError()
        avio_flush(context.pointee.pb)
        try rethrowSinkError()
        // The trailer seeks back to fill in duration and size: the end is the size, where seeking works.
        var size = avio_size(context.pointee.pb)
        if size < 0 { size = avio_tell(context.pointee.pb) }
        if ownsFileIO {
            try check(avio_closep(&context.pointee.pb), "avio_closep")
            ownsFileIO = false
        }
        return size
    }

    private func rethrowSinkError() throws {
        if let error = sinkBox?.error { throw error }
    }
}
