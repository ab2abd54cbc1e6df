#!/usr/bin/env bash
# Makes an audio+transcript meeting recording for scripts/bench-rtms-serve.sh: a 1 kHz tone as 16 kHz mono L16 in
# 20 ms messages and a transcript line every 1.5 s, no video.
#
#   scripts/make-bench-meeting.sh OUT_DIR [SECONDS]     (default 60)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=${1:?usage: make-bench-meeting.sh OUT_DIR [SECONDS]}
LENGTH=${2:-60}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "sine=frequency=1000:sample_rate=16000:duration=${LENGTH}" \
    -af volume=0.5 -f s16le -acodec pcm_s16le -ac 1 -ar 16000 "$WORK/tone.s16le"
rm -rf "$OUT"
mkdir -p "$OUT"
python3 scripts/lib/make_sample_meeting.py --audio "$WORK/tone.s16le" --seconds "$LENGTH" --out "$OUT"
