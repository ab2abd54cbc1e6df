#!/usr/bin/env bash
# `mediactl rtms replay --flv` against the ffmpeg CLI doing the same conversion from the raw media, in one run:
#   audio  AUDIO_SECONDS (3600) of 16 kHz mono L16 (a 1 kHz tone in 20 ms RTMS messages, with transcript lines)
#          to AAC 96 kbit/s in FLV; ffmpeg reads the same PCM as a raw s16le file.
#   video  VIDEO_SECONDS (600) of 1280x720 JPG pictures at 5 fps (RTMS screen share messages) to H.264 with libx264
#          preset ultrafast, CRF 23, a keyframe every 2 s, yuv420p; ffmpeg reads the same JPG files (image2).
# Each conversion runs RUNS (3) times, mediactl and ffmpeg alternately; prints medians, the ratio
# ffmpeg/mediactl (>= 1: mediactl is at least as fast) and mediactl's own breakdown (hidden --timing: reading
# the recording, decoding JSON and base64, converting) with the share of JSON+base64 (target < 20%).
#
# Environment: MEDIACTL (.build/release/mediactl), AUDIO_SECONDS, VIDEO_SECONDS, RUNS, KEEP=1 keeps the work dir.
# Output: one JSON line per conversion on stdout, a table on stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MEDIACTL=${MEDIACTL:-.build/release/mediactl}
AUDIO_SECONDS=${AUDIO_SECONDS:-3600}
VIDEO_SECONDS=${VIDEO_SECONDS:-600}
RUNS=${RUNS:-3}
[[ -x $MEDIACTL ]] || { echo "bench-rtms-flv: $MEDIACTL is not built (swift build -c release --product mediactl)" >&2; exit 69; }
command -v ffmpeg >/dev/null || { echo "bench-rtms-flv: ffmpeg is not installed" >&2; exit 69; }
WORK=$(mktemp -d)
cleanup() { [[ ${KEEP:-0} == 1 ]] && echo "work dir kept: $WORK" >&2 || rm -rf "$WORK"; }
trap cleanup EXIT

ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
log() { echo "bench-rtms-flv: $*" >&2; }

log "making ${AUDIO_SECONDS} s of 16 kHz L16 and its recording"
ff -f lavfi -i "sine=frequency=1000:sample_rate=16000:duration=${AUDIO_SECONDS}" -af volume=0.5 \
    -f s16le -acodec pcm_s16le -ac 1 -ar 16000 "$WORK/tone.s16le"
python3 scripts/lib/make_sample_meeting.py --audio "$WORK/tone.s16le" --seconds "$AUDIO_SECONDS" --out "$WORK/audio" >/dev/null

log "making ${VIDEO_SECONDS} s of 1280x720 JPG at 5 fps and its recording"
mkdir -p "$WORK/jpg"
ff -f lavfi -i "testsrc2=size=1280x720:rate=5:duration=${VIDEO_SECONDS}" -q:v 5 "$WORK/jpg/%05d.jpg"
python3 scripts/lib/make_sample_meeting.py --share "$WORK"/jpg/*.jpg --share-fps 5 --seconds "$((VIDEO_SECONDS + 2))" \
    --out "$WORK/video" >/dev/null

# One timed run: "wall_s user_s sys_s maxrss_kib" (GNU time) into FILE.
timed() {
    local file=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$file" "$@"
}

declare -A MEDIACTL_ARGS FFMPEG_ARGS
MEDIACTL_ARGS[audio]="rtms replay -q --timing --flv $WORK/out-mediactl.flv --audio-bitrate 96 $WORK/audio"
FFMPEG_ARGS[audio]="-f s16le -ar 16000 -ac 1 -i $WORK/tone.s16le -c:a aac -b:a 96k -f flv $WORK/out-ffmpeg.flv"
MEDIACTL_ARGS[video]="rtms replay -q --timing --flv $WORK/out-mediactl.flv --video share --x264-preset ultrafast $WORK/video"
FFMPEG_ARGS[video]="-framerate 5 -i $WORK/jpg/%05d.jpg -c:v libx264 -preset ultrafast -crf 23 -g 10 -bf 0 -pix_fmt yuv420p -f flv $WORK/out-ffmpeg.flv"

printf '%-6s %12s %12s %8s %10s %10s %12s %s\n' what mediactl_s ffmpeg_s ratio json_b64 convert mediactl_mb verdict >&2
for what in audio video; do
    for run in $(seq 1 "$RUNS"); do
        # shellcheck disable=SC2086
        timed "$WORK/$what.mediactl.$run" "$MEDIACTL" ${MEDIACTL_ARGS[$what]} 2>"$WORK/$what.timing.$run"
        # shellcheck disable=SC2086
        timed "$WORK/$what.ffmpeg.$run" ffmpeg -hide_banner -loglevel error -nostdin -y ${FFMPEG_ARGS[$what]}
    done
    python3 - "$WORK" "$what" "$RUNS" <<'PY'
import json, re, statistics, sys
work, what, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def rows(tool):
    return [list(map(float, open(f"{work}/{what}.{tool}.{n}").read().split())) for n in range(1, runs + 1)]
m, f = rows("mediactl"), rows("ffmpeg")
med = lambda rs, i: statistics.median(r[i] for r in rs)
shares = {"read": [], "decode": [], "convert": []}
for n in range(1, runs + 1):
    text = open(f"{work}/{what}.timing.{n}").read()
    for key, pattern in (("read", r"read [\d.]+ s \(([\d.]+)%\)"), ("decode", r"decode JSON\+base64 [\d.]+ s \(([\d.]+)%\)"),
                         ("convert", r"convert [\d.]+ s \(([\d.]+)%\)")):
        hit = re.search(pattern, text)
        if hit:
            shares[key].append(float(hit.group(1)))
mw, fw = med(m, 0), med(f, 0)
decode = statistics.median(shares["decode"]) if shares["decode"] else float("nan")
result = {
    "type": "bench.rtms_flv", "conversion": what, "runs": runs,
    "mediactl_wall_s": round(mw, 3), "ffmpeg_wall_s": round(fw, 3), "ratio_ffmpeg_over_mediactl": round(fw / mw, 3),
    "mediactl_cpu_s": round(med(m, 1) + med(m, 2), 3), "ffmpeg_cpu_s": round(med(f, 1) + med(f, 2), 3),
    "mediactl_max_rss_mb": round(med(m, 3) / 1024, 1), "ffmpeg_max_rss_mb": round(med(f, 3) / 1024, 1),
    "mediactl_read_pct": statistics.median(shares["read"]) if shares["read"] else None,
    "mediactl_json_base64_pct": decode,
    "mediactl_convert_pct": statistics.median(shares["convert"]) if shares["convert"] else None,
}
result["verdict"] = "PASS" if fw / mw >= 1 and decode < 20 else "MISS"
print(json.dumps(result), flush=True)
print(f"{what:<6} {mw:12.2f} {fw:12.2f} {fw / mw:8.2f} {decode:9.1f}% {result['mediactl_convert_pct']:9.1f}% "
      f"{result['mediactl_max_rss_mb']:12.1f} {result['verdict']}", file=sys.stderr)
PY
done
