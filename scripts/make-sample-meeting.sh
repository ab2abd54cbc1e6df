#!/usr/bin/env bash
# Makes the sample RTMS meeting recording (Tests/Fixtures/sample-meeting/): synthetic media from ffmpeg (a 1 kHz
# tone as 16 kHz mono L16, 320x180 H.264 camera video at 15 fps, 640x360 JPG screen share at 1 fps), wrapped into a
# recording by scripts/lib/make_sample_meeting.py with participants, transcript lines, speaker and sharing events.
#
#   scripts/make-sample-meeting.sh [OUT_DIR] [SECONDS]     (defaults: Tests/Fixtures/sample-meeting, 6)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=${1:-Tests/Fixtures/sample-meeting}
SECONDS_LONG=${2:-6}
command -v ffmpeg >/dev/null || { echo "make-sample-meeting: ffmpeg is not installed" >&2; exit 69; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
ff -f lavfi -i "sine=frequency=1000:sample_rate=16000:duration=${SECONDS_LONG}" -af volume=0.5 \
    -f s16le -acodec pcm_s16le -ac 1 -ar 16000 "$WORK/tone.s16le"
ff -f lavfi -i "testsrc2=size=320x180:rate=15:duration=${SECONDS_LONG}" -pix_fmt yuv420p \
    -c:v libx264 -preset veryfast -profile:v baseline -g 15 -b:v 120k -threads 1 -x264-params aud=1 \
    -bsf:v h264_mp4toannexb -f h264 "$WORK/camera.h264"
SHARES=$(( SECONDS_LONG > 4 ? 3 : 1 ))
ff -f lavfi -i "testsrc=size=640x360:rate=1:duration=${SHARES}" -q:v 12 "$WORK/share-%02d.jpg"

rm -rf "$OUT"
mkdir -p "$OUT"
python3 scripts/lib/make_sample_meeting.py --audio "$WORK/tone.s16le" --video "$WORK/camera.h264" --fps 15 \
    --share "$WORK"/share-*.jpg --seconds "$SECONDS_LONG" --out "$OUT"
