// The libav headers mediactl uses, plus `static inline` wrappers for the macros Swift cannot import
// (function-like macros and macros that expand to compound literals or casts).
#ifndef MEDIACTL_CFFMPEG_SHIM_H
#define MEDIACTL_CFFMPEG_SHIM_H

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libavutil/mathematics.h>
#include <libavutil/mem.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

/// `AVERROR(e)`: a POSIX errno as a libav error code.
static inline int cffmpeg_averror(int posixError) { return AVERROR(posixError); }
/// `AVERROR(EAGAIN)`: "send more input" / "receive output first".
static inline int cffmpeg_averror_eagain(void) { return AVERROR(EAGAIN); }
/// `AVERROR_EOF`.
static inline int cffmpeg_averror_eof(void) { return AVERROR_EOF; }
/// `AVERROR_INVALIDDATA`.
static inline int cffmpeg_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
/// `AV_NOPTS_VALUE`.
static inline int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }
/// `AV_TIME_BASE_Q`.
static inline AVRational cffmpeg_time_base_q(void) { return AV_TIME_BASE_Q; }
/// `AV_CHANNEL_LAYOUT_MONO` / `AV_CHANNEL_LAYOUT_STEREO`, copied into `layout` (which the caller owns).
static inline void cffmpeg_channel_layout_mono(AVChannelLayout *layout) {
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    *layout = mono;
}
static inline void cffmpeg_channel_layout_stereo(AVChannelLayout *layout) {
    AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    *layout = stereo;
}
/// `AVFrame.data[plane]` and `AVFrame.linesize[plane]`, which Swift imports as 8-tuples.
static inline uint8_t *cffmpeg_frame_data(const AVFrame *frame, int plane) { return frame->data[plane]; }
static inline int cffmpeg_frame_linesize(const AVFrame *frame, int plane) { return frame->linesize[plane]; }
/// `AVFrame.extended_data` as float planes (valid for planar float frames only).
static inline float *cffmpeg_frame_float_plane(const AVFrame *frame, int plane) {
    return (float *)frame->extended_data[plane];
}
/// `AVFrame.extended_data[plane]` for any format.
static inline const uint8_t *cffmpeg_frame_extended_plane(const AVFrame *frame, int plane) {
    return frame->extended_data[plane];
}

#endif
