#!/usr/bin/env bash
# `make demo`: start a private nginx RTMP server on 127.0.0.1, make a 10 s test clip with ffmpeg, publish it with
# `mediactl rtmp push`, ask the live stream what it carries with `mediactl rtmp probe --json` (printed on stdout),
# then check that what nginx recorded is the clip, packet for packet. Cleans up on any exit.
#
# Environment: MEDIACTL (default .build/release/mediactl), DEMO_SECONDS (10), PEER_KEEP=1 keeps the temp dir.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/rtmp-peer.sh
source scripts/lib/rtmp-peer.sh
PEER_LOG_NAME=demo

MEDIACTL=${MEDIACTL:-.build/release/mediactl}
DEMO_SECONDS=${DEMO_SECONDS:-10}
STREAM=demo
PUSH_PID=""

cleanup() {
    if [[ -n $PUSH_PID ]] && kill -0 "$PUSH_PID" 2>/dev/null; then
        kill -INT "$PUSH_PID" 2>/dev/null || true
        sleep 0.5
        kill -KILL "$PUSH_PID" 2>/dev/null || true
    fi
    peer_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
    [[ -x $MEDIACTL ]] || peer_die "$MEDIACTL is not built: run 'swift build -c release --product mediactl'"
    peer_require ffmpeg timeout
}

make_demo_clip() {
    CLIP=$PEER_DIR/clip.flv
    peer_log "making a ${DEMO_SECONDS} s test clip (320x240 25 fps H.264 + 1 kHz AAC)"
    peer_make_clip "$CLIP" "$DEMO_SECONDS" 320x240 25
}

start_push() {
    URL=$(peer_url "$STREAM")
    peer_log "mediactl rtmp push $CLIP $URL"
    timeout $((DEMO_SECONDS + 30)) "$MEDIACTL" rtmp push "$CLIP" "$URL" </dev/null &
    PUSH_PID=$!
}

probe_stream() {
    sleep 1
    peer_log "mediactl rtmp probe --json $URL"
    local status=0
    timeout 30 "$MEDIACTL" rtmp probe --json "$URL" </dev/null || status=$?
    ((status == 0)) || peer_die "mediactl rtmp probe failed (exit $status)"
}

wait_for_push() {
    local status=0
    wait "$PUSH_PID" || status=$?
    PUSH_PID=""
    ((status == 0)) || peer_die "mediactl rtmp push failed (exit $status)"
    peer_log "push finished"
}

verify_recording() {
    local recording sent got
    recording=$(peer_recording "$STREAM")
    [[ -s $recording ]] || peer_die "nginx recorded nothing at $recording"
    sent=$(peer_packets "$CLIP")
    got=$(peer_packets "$recording")
    if [[ $sent == "$got" ]]; then
        peer_log "nginx recorded the clip packet for packet ($(wc -l <<<"$sent") packets, timestamps and payloads)"
    else
        diff <(echo "$sent") <(echo "$got") | head -10 >&2 || true
        peer_die "the recording differs from the clip"
    fi
}

main() {
    check_tools
    peer_start_nginx all
    peer_log "nginx RTMP server on 127.0.0.1:$PEER_RTMP_PORT (stat: http://127.0.0.1:$PEER_HTTP_PORT/stat)"
    make_demo_clip
    start_push
    probe_stream
    wait_for_push
    verify_recording
}

main "$@"
