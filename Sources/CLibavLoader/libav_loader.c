// Every libav function Remux calls, defined here with the header's signature and forwarded to the real one,
// which is looked up with dlsym in the library opened with dlopen on first use. Remux links against these
// definitions instead of the libraries, so `mediactl` has no NEEDED libav* entries and maps libav only when it
// remuxes. The list must name every libav function the Remux objects reference (`nm -u` on them): a missing one
// fails the link with an undefined symbol, so it cannot be forgotten silently.
#include "mediactl_libav_loader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The executable exports its symbols (Swift links with --export-dynamic). Hidden visibility keeps these
// forwarders out of the dynamic symbol table, so libav's own cross-library calls (libavformat -> libavutil)
// still bind to libav and not back to them.
#pragma GCC visibility push(hidden)
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/mathematics.h>
#include <libavutil/mem.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#define MEDIACTL_STRINGIFY_(x) #x
#define MEDIACTL_STRINGIFY(x) MEDIACTL_STRINGIFY_(x)

/// The libraries, in dependency order. Sonames come from the headers, so they match what Remux was compiled for.
enum library { LIBAVUTIL, LIBSWRESAMPLE, LIBSWSCALE, LIBAVCODEC, LIBAVFORMAT, LIBRARY_COUNT };

static const char *const library_sonames[LIBRARY_COUNT] = {
    [LIBAVUTIL] = "libavutil.so." MEDIACTL_STRINGIFY(LIBAVUTIL_VERSION_MAJOR),
    [LIBSWRESAMPLE] = "libswresample.so." MEDIACTL_STRINGIFY(LIBSWRESAMPLE_VERSION_MAJOR),
    [LIBSWSCALE] = "libswscale.so." MEDIACTL_STRINGIFY(LIBSWSCALE_VERSION_MAJOR),
    [LIBAVCODEC] = "libavcodec.so." MEDIACTL_STRINGIFY(LIBAVCODEC_VERSION_MAJOR),
    [LIBAVFORMAT] = "libavformat.so." MEDIACTL_STRINGIFY(LIBAVFORMAT_VERSION_MAJOR),
};

/// Debian's runtime package for each library: the name plus the major version (libavcodec59).
static const char *const library_packages[LIBRARY_COUNT] = {
    [LIBAVUTIL] = "libavutil" MEDIACTL_STRINGIFY(LIBAVUTIL_VERSION_MAJOR),
    [LIBSWRESAMPLE] = "libswresample" MEDIACTL_STRINGIFY(LIBSWRESAMPLE_VERSION_MAJOR),
    [LIBSWSCALE] = "libswscale" MEDIACTL_STRINGIFY(LIBSWSCALE_VERSION_MAJOR),
    [LIBAVCODEC] = "libavcodec" MEDIACTL_STRINGIFY(LIBAVCODEC_VERSION_MAJOR),
    [LIBAVFORMAT] = "libavformat" MEDIACTL_STRINGIFY(LIBAVFORMAT_VERSION_MAJOR),
};

// X(library, name, return type, parameters, arguments) for functions that return a value,
// V(library, name, parameters, arguments) for void ones.
#define MEDIACTL_LIBAV_FUNCTIONS(X, V)                                                                          \
    X(LIBAVUTIL, av_channel_layout_copy, int, (AVChannelLayout * dst, const AVChannelLayout *src), (dst, src))   \
    V(LIBAVUTIL, av_dict_free, (AVDictionary * *m), (m))                                                        \
    X(LIBAVUTIL, av_dict_set, int, (AVDictionary * *pm, const char *key, const char *value, int flags),         \
      (pm, key, value, flags))                                                                                  \
    X(LIBAVUTIL, av_frame_alloc, AVFrame *, (void), ())                                                         \
    V(LIBAVUTIL, av_frame_free, (AVFrame * *frame), (frame))                                                    \
    X(LIBAVUTIL, av_frame_get_buffer, int, (AVFrame * frame, int align), (frame, align))                        \
    X(LIBAVUTIL, av_frame_make_writable, int, (AVFrame * frame), (frame))                                       \
    V(LIBAVUTIL, av_frame_unref, (AVFrame * frame), (frame))                                                    \
    V(LIBAVUTIL, av_freep, (void *ptr), (ptr))                                                                  \
    X(LIBAVUTIL, av_get_sample_fmt_name, const char *, (enum AVSampleFormat sample_fmt), (sample_fmt))          \
    V(LIBAVUTIL, av_log_set_level, (int level), (level))                                                        \
    X(LIBAVUTIL, av_image_get_buffer_size, int, (enum AVPixelFormat pix_fmt, int width, int height, int align),   \
      (pix_fmt, width, height, align))                                                                           \
    X(LIBAVUTIL, av_malloc, void *, (size_t size), (size))                                                      \
    X(LIBAVUTIL, av_mallocz, void *, (size_t size), (size))                                                     \
    X(LIBAVUTIL, av_opt_set, int, (void *obj, const char *name, const char *val, int search_flags),            \
      (obj, name, val, search_flags))                                                                           \
    X(LIBAVUTIL, av_opt_set_int, int, (void *obj, const char *name, int64_t val, int search_flags),            \
      (obj, name, val, search_flags))                                                                           \
    X(LIBAVUTIL, av_strerror, int, (int errnum, char *errbuf, size_t errbuf_size), (errnum, errbuf, errbuf_size)) \
    X(LIBSWSCALE, sws_alloc_context, struct SwsContext *, (void), ())                                           \
    V(LIBSWSCALE, sws_freeContext, (struct SwsContext * swsContext), (swsContext))                              \
    X(LIBSWSCALE, sws_init_context, int,                                                                        \
      (struct SwsContext * sws_context, SwsFilter * srcFilter, SwsFilter * dstFilter),                         \
      (sws_context, srcFilter, dstFilter))                                                                      \
    X(LIBSWSCALE, sws_scale, int,                                                                               \
      (struct SwsContext * c, const uint8_t *const srcSlice[], const int srcStride[], int srcSliceY,           \
       int srcSliceH, uint8_t *const dst[], const int dstStride[]),                                            \
      (c, srcSlice, srcStride, srcSliceY, srcSliceH, dst, dstStride))                                           \
    X(LIBAVCODEC, av_new_packet, int, (AVPacket * pkt, int size), (pkt, size))                                  \
    X(LIBAVCODEC, av_packet_alloc, AVPacket *, (void), ())                                                      \
    V(LIBAVCODEC, av_packet_free, (AVPacket * *pkt), (pkt))                                                     \
    V(LIBAVCODEC, av_packet_move_ref, (AVPacket * dst, AVPacket *src), (dst, src))                              \
    X(LIBAVCODEC, av_packet_new_side_data, uint8_t *,                                                           \
      (AVPacket * pkt, enum AVPacketSideDataType type, size_t size), (pkt, type, size))                         \
    V(LIBAVCODEC, av_packet_rescale_ts, (AVPacket * pkt, AVRational tb_src, AVRational tb_dst),                 \
      (pkt, tb_src, tb_dst))                                                                                    \
    V(LIBAVCODEC, av_packet_unref, (AVPacket * pkt), (pkt))                                                     \
    V(LIBAVCODEC, av_parser_close, (AVCodecParserContext * s), (s))                                             \
    X(LIBAVCODEC, av_parser_init, AVCodecParserContext *, (int codec_id), (codec_id))                           \
    X(LIBAVCODEC, av_parser_parse2, int,                                                                        \
      (AVCodecParserContext * s, AVCodecContext *avctx, uint8_t **poutbuf, int *poutbuf_size,                  \
       const uint8_t *buf, int buf_size, int64_t pts, int64_t dts, int64_t pos),                               \
      (s, avctx, poutbuf, poutbuf_size, buf, buf_size, pts, dts, pos))                                          \
    X(LIBAVCODEC, avcodec_alloc_context3, AVCodecContext *, (const AVCodec *codec), (codec))                    \
    X(LIBAVCODEC, avcodec_find_decoder, const AVCodec *, (enum AVCodecID id), (id))                             \
    X(LIBAVCODEC, avcodec_find_encoder_by_name, const AVCodec *, (const char *name), (name))                    \
    V(LIBAVCODEC, avcodec_free_context, (AVCodecContext * *avctx), (avctx))                                     \
    X(LIBAVCODEC, avcodec_open2, int, (AVCodecContext * avctx, const AVCodec *codec, AVDictionary **options),   \
      (avctx, codec, options))                                                                                  \
    X(LIBAVCODEC, avcodec_parameters_from_context, int, (AVCodecParameters * par, const AVCodecContext *codec), \
      (par, codec))                                                                                             \
    X(LIBAVCODEC, avcodec_receive_frame, int, (AVCodecContext * avctx, AVFrame *frame), (avctx, frame))         \
    X(LIBAVCODEC, avcodec_receive_packet, int, (AVCodecContext * avctx, AVPacket *avpkt), (avctx, avpkt))       \
    X(LIBAVCODEC, avcodec_send_frame, int, (AVCodecContext * avctx, const AVFrame *frame), (avctx, frame))      \
    X(LIBAVCODEC, avcodec_send_packet, int, (AVCodecContext * avctx, const AVPacket *avpkt), (avctx, avpkt))    \
    X(LIBAVFORMAT, av_interleaved_write_frame, int, (AVFormatContext * s, AVPacket *pkt), (s, pkt))             \
    X(LIBAVFORMAT, av_write_trailer, int, (AVFormatContext * s), (s))                                           \
    X(LIBAVFORMAT, avformat_alloc_output_context2, int,                                                         \
      (AVFormatContext * *ctx, const AVOutputFormat *oformat, const char *format_name, const char *filename),   \
      (ctx, oformat, format_name, filename))                                                                    \
    V(LIBAVFORMAT, avformat_free_context, (AVFormatContext * s), (s))                                           \
    X(LIBAVFORMAT, avformat_new_stream, AVStream *, (AVFormatContext * s, const AVCodec *c), (s, c))            \
    X(LIBAVFORMAT, avformat_write_header, int, (AVFormatContext * s, AVDictionary **options), (s, options))     \
    X(LIBAVFORMAT, avio_alloc_context, AVIOContext *,                                                           \
      (unsigned char *buffer, int buffer_size, int write_flag, void *opaque,                                   \
       int (*read_packet)(void *opaque, uint8_t *buf, int buf_size),                                           \
       int (*write_packet)(void *opaque, uint8_t *buf, int buf_size),                                          \
       int64_t (*seek)(void *opaque, int64_t offset, int whence)),                                             \
      (buffer, buffer_size, write_flag, opaque, read_packet, write_packet, seek))                               \
    X(LIBAVFORMAT, avio_closep, int, (AVIOContext * *s), (s))                                                   \
    V(LIBAVFORMAT, avio_context_free, (AVIOContext * *s), (s))                                                  \
    V(LIBAVFORMAT, avio_flush, (AVIOContext * s), (s))                                                          \
    X(LIBAVFORMAT, avio_open, int, (AVIOContext * *s, const char *url, int flags), (s, url, flags))             \
    X(LIBAVFORMAT, avio_seek, int64_t, (AVIOContext * s, int64_t offset, int whence), (s, offset, whence))      \
    X(LIBAVFORMAT, avio_size, int64_t, (AVIOContext * s), (s))

// One pointer per function, typed from the header's declaration, so a forwarder whose parameters or return type
// differ from libav's fails to compile (conflicting types) instead of calling through the wrong type.
#define MEDIACTL_POINTER(library, name, ...) static __typeof__(&name) real_##name;
#define MEDIACTL_VOID_POINTER(library, name, ...) static __typeof__(&name) real_##name;
MEDIACTL_LIBAV_FUNCTIONS(MEDIACTL_POINTER, MEDIACTL_VOID_POINTER)

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_status = -1;
static char load_error[512];

static void fail(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(load_error, sizeof load_error, format, arguments);
    va_end(arguments);
}

/// Runs once: opens every library, then resolves every function. The libraries stay open for the process.
static void load_everything(void) {
    void *handles[LIBRARY_COUNT] = {0};
    for (int index = 0; index < LIBRARY_COUNT; index++) {
        handles[index] = dlopen(library_sonames[index], RTLD_NOW | RTLD_LOCAL);
        if (handles[index] == NULL) {
            const char *reason = dlerror();
            fail("libav is not installed: %s; install %s (Debian: apt-get install %s %s %s %s %s)",
                 reason ? reason : library_sonames[index], library_packages[index], library_packages[LIBAVUTIL],
                 library_packages[LIBSWRESAMPLE], library_packages[LIBSWSCALE], library_packages[LIBAVCODEC],
                 library_packages[LIBAVFORMAT]);
            return;
        }
    }
#define MEDIACTL_RESOLVE(library, name, ...)                                                                     \
    real_##name = (__typeof__(&name))dlsym(handles[library], #name);                                             \
    if (real_##name == NULL) {                                                                                  \
        const char *reason = dlerror();                                                                         \
        fail("libav is incompatible: %s has no %s (%s)", library_sonames[library], #name,                       \
             reason ? reason : "symbol not found");                                                             \
        return;                                                                                                 \
    }
    MEDIACTL_LIBAV_FUNCTIONS(MEDIACTL_RESOLVE, MEDIACTL_RESOLVE)
#undef MEDIACTL_RESOLVE
    load_status = 0;
}

int mediactl_libav_load(char *error, size_t size) {
    pthread_once(&load_once, load_everything);
    if (load_status != 0 && error != NULL && size > 0) {
        snprintf(error, size, "%s", load_error);
    }
    return load_status;
}

/// Called by every forwarder. Remux calls `mediactl_libav_load` first and turns a failure into a RemuxError, so
/// reaching the abort means a libav call ran before that check: a bug, reported instead of a NULL call.
static inline void ensure_loaded(const char *name) {
    pthread_once(&load_once, load_everything);
    if (__builtin_expect(load_status != 0, 0)) {
        fprintf(stderr, "mediactl: %s called without libav: %s\n", name, load_error);
        abort();
    }
}

#define MEDIACTL_FORWARD(library, name, result, parameters, arguments)                                           \
    result name parameters {                                                                                    \
        ensure_loaded(#name);                                                                                   \
        return real_##name arguments;                                                                           \
    }
#define MEDIACTL_FORWARD_VOID(library, name, parameters, arguments)                                              \
    void name parameters {                                                                                      \
        ensure_loaded(#name);                                                                                   \
        real_##name arguments;                                                                                  \
    }
MEDIACTL_LIBAV_FUNCTIONS(MEDIACTL_FORWARD, MEDIACTL_FORWARD_VOID)

#pragma GCC visibility pop
