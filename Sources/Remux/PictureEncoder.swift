import CFFmpeg
import NIOCore

/// JPG or PNG pictures (one per RTMS message) to H.264: decoded with libavcodec, converted to yuv420p with
/// libswscale (PNG would otherwise become 4:4:4, which most players cannot decode) and encoded with libx264.
/// The first picture fixes the output size; a picture of another size is scaled into it keeping its aspect
/// ratio, with black bars.
final class PictureEncoder {
    struct Settings {
        var preset: String
        var bitrate: Int?
        var crf: Int
        var keyframeIntervalMs: Int
    }

    private(set) var width: Int32 = 0
    private(set) var height: Int32 = 0
    /// The opened x264 encoder, once the first picture has been decoded.
    private(set) var encoder: UnsafeMutablePointer<AVCodecContext>? = nil
    private(set) var picturesLetterboxed = 0

    private let settings: Settings
    private let decoder: PictureDecoder
    private let scaled: UnsafeMutablePointer<AVFrame>
    private let packet: UnsafeMutablePointer<AVPacket>
    private var scaler: OpaquePointer? = nil
    private var scalerKey: ScalerKey? = nil
    private var lastKeyframeMs: Int64? = nil
    private var flushed = false

    private struct ScalerKey: Equatable {
        var width: Int32, height: Int32, format: Int32
        var targetWidth: Int32, targetHeight: Int32
    }

    init(codec: RTMSVideoCodec, settings: Settings) throws {
        self.settings = settings
        decoder = try PictureDecoder(codec: codec)
        let scaled = av_frame_alloc()
        let packet = av_packet_alloc()
        guard let scaled, let packet else {
            var frame = scaled
            av_frame_free(&frame)
            var packet = packet
            av_packet_free(&packet)
            throw RemuxError("av_frame_alloc/av_packet_alloc for pictures failed: returned NULL")
        }
        self.scaled = scaled
        self.packet = packet
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = scaled
        av_frame_free(&frame)
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
        var context: UnsafeMutablePointer<AVCodecContext>? = encoder
        avcodec_free_context(&context)
        sws_freeContext(scaler)
    }

    typealias Emit = (OwnedPacket) throws -> Void

    /// Decodes one picture and encodes it at `timestampMs` (strictly increasing). Returns false when the
    /// decoder rejected the picture as invalid data (skipped).
    func append(_ payload: ByteBuffer, timestampMs: Int64, _ emit: Emit) throws -> Bool {
        guard !flushed else { throw RemuxError("picture appended after finish") }
        return try append(decoder.decode(payload), timestampMs: timestampMs, emit)
    }

    /// Encodes a picture decoded ahead of its turn (by another `PictureDecoder` of the same codec).
    func append(_ picture: DecodedPicture, timestampMs: Int64, _ emit: Emit) throws -> Bool {
        guard !flushed else { throw RemuxError("picture appended after finish") }
        for frame in picture.frames { try encode(frame.pointer, timestampMs: timestampMs, emit) }
        return !picture.frames.isEmpty
    }

    /// The codec pictures are decoded with.
    var codec: RTMSVideoCodec { decoder.codec }

    /// Drains the encoder.
    func flush(_ emit: Emit) throws {
        guard !flushed else { return }
        flushed = true
        guard let encoder else { return }
        try check(avcodec_send_frame(encoder, nil), "avcodec_send_frame(libx264, flush)")
        try drain(emit)
    }

    private func openEncoder(width sourceWidth: Int32, height sourceHeight: Int32) throws {
        // yuv420p needs even dimensions: drop a last odd row or column.
        width = max(sourceWidth & ~1, 2)
        height = max(sourceHeight & ~1, 2)
        let codec = try require(avcodec_find_encoder_by_name("libx264"), "avcodec_find_encoder_by_name(libx264)")
        let context = try require(avcodec_alloc_context3(codec), "avcodec_alloc_context3(libx264)")
        encoder = context  // freed by deinit from here on
        context.pointee.width = width
        context.pointee.height = height
        context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        context.pointee.color_range = AVCOL_RANGE_MPEG
        context.pointee.time_base = AVRational(num: 1, den: 1000)
        // RTMS sends JPG/PNG at 5 fps or less; a hint for rate control, timestamps decide the rest.
        context.pointee.framerate = AVRational(num: 5, den: 1)
        // Keyframes are forced by time (keyframeIntervalMs); this only caps the distance in pictures.
        context.pointee.gop_size = 600
        context.pointee.max_b_frames = 0
        // 0: libx264 picks its thread count from the cores (as the ffmpeg CLI does); libavcodec's default is 1.
        context.pointee.thread_count = 0
        context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        if let bitrate = settings.bitrate {
            context.pointee.bit_rate = Int64(bitrate)
        } else {
            try check(av_opt_set(context.pointee.priv_data, "crf", "\(settings.crf)", 0), "av_opt_set(crf=\(settings.crf))")
        }
        try check(av_opt_set(context.pointee.priv_data, "preset", settings.preset, 0), "av_opt_set(preset=\(settings.preset))")
        try check(avcodec_open2(context, codec, nil), "avcodec_open2(libx264, \(width)x\(height), preset \(settings.preset))")
        scaled.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        scaled.pointee.width = width
        scaled.pointee.height = height
        scaled.pointee.color_range = AVCOL_RANGE_MPEG
        try check(av_frame_get_buffer(scaled, 0), "av_frame_get_buffer(yuv420p \(width)x\(height))")
    }

    private func encode(_ picture: UnsafeMutablePointer<AVFrame>, timestampMs: Int64, _ emit: Emit) throws {
        let sourceWidth = picture.pointee.width
        let sourceHeight = picture.pointee.height
        guard sourceWidth > 0, sourceHeight > 0 else {
            throw RemuxError("\(decoder.name) decoded a picture of \(sourceWidth)x\(sourceHeight)")
        }
        if encoder == nil { try openEncoder(width: sourceWidth, height: sourceHeight) }
        guard let encoder else { return }
        try check(av_frame_make_writable(scaled), "av_frame_make_writable(yuv420p)")

        // The rectangle the picture fills: all of it for the first size (odd edge dropped), else the largest
        // centred rectangle of the picture's aspect ratio, on even coordinates so chroma lines up.
        var targetWidth = width
        var targetHeight = height
        var x: Int32 = 0
        var y: Int32 = 0
        let sameSize = (sourceWidth & ~1) == width && (sourceHeight & ~1) == height
        if !sameSize {
            picturesLetterboxed += 1
            if Int64(sourceWidth) * Int64(height) > Int64(sourceHeight) * Int64(width) {
                targetHeight = max(Int32(Int64(sourceHeight) * Int64(width) / Int64(sourceWidth)) & ~1, 2)
                y = ((height - targetHeight) / 2) & ~1
            } else {
                targetWidth = max(Int32(Int64(sourceWidth) * Int64(height) / Int64(sourceHeight)) & ~1, 2)
                x = ((width - targetWidth) / 2) & ~1
            }
            paintBlack()
        }
        try scale(picture, into: (x, y, targetWidth, targetHeight))

        scaled.pointee.pts = timestampMs
        if lastKeyframeMs == nil || timestampMs - lastKeyframeMs! >= Int64(settings.keyframeIntervalMs) {
            scaled.pointee.pict_type = AV_PICTURE_TYPE_I
            lastKeyframeMs = timestampMs
        } else {
            scaled.pointee.pict_type = AV_PICTURE_TYPE_NONE
        }
        try check(avcodec_send_frame(encoder, scaled), "avcodec_send_frame(libx264, pts \(timestampMs))")
        try drain(emit)
    }

    private func scale(_ picture: UnsafeMutablePointer<AVFrame>, into rect: (x: Int32, y: Int32, width: Int32, height: Int32)) throws {
        var format = picture.pointee.format
        var sourceFullRange = picture.pointee.color_range == AVCOL_RANGE_JPEG
        // The deprecated yuvj formats are full-range yuv: say so explicitly instead (swscale warns otherwise).
        switch AVPixelFormat(rawValue: format) {
        case AV_PIX_FMT_YUVJ420P: format = AV_PIX_FMT_YUV420P.rawValue; sourceFullRange = true
        case AV_PIX_FMT_YUVJ422P: format = AV_PIX_FMT_YUV422P.rawValue; sourceFullRange = true
        case AV_PIX_FMT_YUVJ444P: format = AV_PIX_FMT_YUV444P.rawValue; sourceFullRange = true
        case AV_PIX_FMT_YUVJ440P: format = AV_PIX_FMT_YUV440P.rawValue; sourceFullRange = true
        default: break
        }
        let key = ScalerKey(width: picture.pointee.width, height: picture.pointee.height, format: format,
                            targetWidth: rect.width, targetHeight: rect.height)
        if key != scalerKey {
            sws_freeContext(scaler)
            scaler = nil
            scalerKey = nil
            // The ranges go in as options before sws_init_context: set afterwards (sws_setColorspaceDetails),
            // a same-size yuv420p -> yuv420p context keeps the plain copy it chose and full range stays full.
            let context = try require(sws_alloc_context(), "sws_alloc_context")
            scaler = context
            let options: [(String, Int64)] = [
                ("srcw", Int64(key.width)), ("srch", Int64(key.height)), ("src_format", Int64(format)),
                ("dstw", Int64(rect.width)), ("dsth", Int64(rect.height)),
                ("dst_format", Int64(AV_PIX_FMT_YUV420P.rawValue)),
                ("src_range", sourceFullRange ? 1 : 0), ("dst_range", 0), ("sws_flags", Int64(SWS_BILINEAR)),
            ]
            for (name, value) in options {
                try check(av_opt_set_int(UnsafeMutableRawPointer(context), name, value, 0), "av_opt_set_int(swscale \(name)=\(value))")
            }
            try check(sws_init_context(context, nil, nil),
                      "sws_init_context(\(key.width)x\(key.height) format \(format) -> yuv420p \(rect.width)x\(rect.height))")
            scalerKey = key
        }
        var sourcePlanes: [UnsafePointer<UInt8>?] = (0..<4).map { UnsafePointer(cffmpeg_frame_data(picture, Int32($0))) }
        var sourceStrides: [Int32] = (0..<4).map { cffmpeg_frame_linesize(picture, Int32($0)) }
        var targetStrides: [Int32] = (0..<4).map { cffmpeg_frame_linesize(scaled, Int32($0)) }
        var targetPlanes: [UnsafeMutablePointer<UInt8>?] = [
            cffmpeg_frame_data(scaled, 0).map { $0 + Int(rect.y) * Int(targetStrides[0]) + Int(rect.x) },
            cffmpeg_frame_data(scaled, 1).map { $0 + Int(rect.y / 2) * Int(targetStrides[1]) + Int(rect.x / 2) },
            cffmpeg_frame_data(scaled, 2).map { $0 + Int(rect.y / 2) * Int(targetStrides[2]) + Int(rect.x / 2) },
            nil,
        ]
        let rows = sws_scale(scaler, &sourcePlanes, &sourceStrides, 0, picture.pointee.height, &targetPlanes, &targetStrides)
        try check(rows, "sws_scale(\(picture.pointee.width)x\(picture.pointee.height) -> \(rect.width)x\(rect.height))")
        if rows != rect.height {
            throw RemuxError("sws_scale wrote \(rows) rows, expected \(rect.height)")
        }
    }

    /// Limited-range black: Y 16, Cb and Cr 128.
    private func paintBlack() {
        let planes: [(Int32, UInt8, Int32)] = [(0, 16, height), (1, 128, height / 2), (2, 128, height / 2)]
        for (plane, value, rows) in planes {
            guard let data = cffmpeg_frame_data(scaled, plane) else { continue }
            data.update(repeating: value, count: Int(cffmpeg_frame_linesize(scaled, plane)) * Int(rows))
        }
    }

    private func drain(_ emit: Emit) throws {
        guard let encoder else { return }
        while true {
            let code = avcodec_receive_packet(encoder, packet)
            if code == averrorEAGAIN || code == averrorEOF { return }
            try check(code, "avcodec_receive_packet(libx264)")
            try emit(OwnedPacket.moving(from: packet))
        }
    }
}
