#!/usr/bin/env bash
# `make demo`: the whole pipeline on 127.0.0.1, then the RTMP publisher on its own. Cleans up on any exit.
#   1. `mediactl rtms replay --serve` emulates an RTMS server playing the sample meeting (Tests/Fixtures/sample-meeting)
#   2. `mediactl rtms listen` joins it from the webhook the emulator printed and records it
#   3. `mediactl rtms replay --flv` turns the new recording into an FLV (AAC + H.264), checked with ffprobe
#   4. `mediactl rtms replay --push` publishes the recording live into a private nginx RTMP server, while
#   5. `mediactl rtmp probe --json` asks the live stream what it carries (printed on stdout)
#   6. then: a 10 s test clip made with ffmpeg, published with `mediactl rtmp push`, probed (printed on stdout), and
#      nginx's recording checked against the clip, packet for packet.
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
MEETING_STREAM=meeting
SAMPLE=Tests/Fixtures/sample-meeting
PUSH_PID=""
SERVE_PID=""

stop_process() {
    local pid=$1
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        kill -INT "$pid" 2>/dev/null || true
        sleep 0.5
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

cleanup() {
    stop_process "$PUSH_PID"
    stop_process "$SERVE_PID"
    peer_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
    [[ -x $MEDIACTL ]] || peer_die "$MEDIACTL is not built: run 'swift build -c release --product mediactl'"
    peer_require ffmpeg ffprobe timeout python3
}

# 1 and 2: the emulator serves the sample meeting to one session; listen joins from the printed webhook and records.
serve_and_listen() {
    local serve_out=$PEER_DIR/serve.ndjson webhook status=0
    peer_log "mediactl rtms replay --serve 0 --sessions 1 $SAMPLE"
    ZM_RTMS_CLIENT=demo-client ZM_RTMS_SECRET=demo-secret \
        timeout 60 "$MEDIACTL" rtms replay --serve 0 --json --sessions 1 --max-seconds 45 "$SAMPLE" \
        </dev/null >"$serve_out" 2>"$PEER_DIR/serve.log" &
    SERVE_PID=$!
    for _ in $(seq 1 100); do
        grep -q '"rtms.serve"' "$serve_out" 2>/dev/null && break
        kill -0 "$SERVE_PID" 2>/dev/null || peer_die "the emulator exited: $(cat "$PEER_DIR/serve.log")"
        sleep 0.1
    done
    webhook=$(python3 -c 'import json,sys
for line in open(sys.argv[1]):
    event = json.loads(line)
    if event.get("type") == "rtms.serve":
        print(json.dumps(event["webhook"])); break' "$serve_out")
    [[ -n $webhook ]] || peer_die "the emulator printed no webhook"
    peer_log "mediactl rtms listen --payload - --record $PEER_DIR/rec (the meeting plays in real time)"
    ZM_RTMS_CLIENT=demo-client ZM_RTMS_SECRET=demo-secret \
        timeout 45 "$MEDIACTL" rtms listen --payload - --record "$PEER_DIR/rec" <<<"$webhook" >/dev/null || status=$?
    ((status == 0)) || peer_die "mediactl rtms listen failed (exit $status)"
    status=0
    wait "$SERVE_PID" || status=$?
    SERVE_PID=""
    ((status == 0)) || peer_die "the emulator failed (exit $status): $(cat "$PEER_DIR/serve.log")"
    peer_log "recorded: $(ls "$PEER_DIR"/rec/*/*.mrtms)"
}

# 3: the new recording to FLV, and what ffprobe sees in it.
recording_to_flv() {
    local flv=$PEER_DIR/meeting.flv
    peer_log "mediactl rtms replay --flv $flv $PEER_DIR/rec"
    timeout 60 "$MEDIACTL" rtms replay --flv "$flv" "$PEER_DIR/rec" </dev/null
    peer_log "ffprobe: $(ffprobe -v error -show_entries stream=codec_name,width,height,sample_rate:format=duration \
        -of compact=p=0 "$flv" | tr '\n' ' ')"
}

# 4 and 5: the recording live into nginx, probed while it plays.
push_recording_live() {
    local url status=0
    url=$(peer_url "$MEETING_STREAM")
    peer_log "mediactl rtms replay --push $url $PEER_DIR/rec"
    timeout 60 "$MEDIACTL" rtms replay -q --push "$url" "$PEER_DIR/rec" </dev/null &
    PUSH_PID=$!
    sleep 1.5
    peer_log "mediactl rtmp probe --json --duration 2 $url"
    timeout 30 "$MEDIACTL" rtmp probe --json --duration 2 --require-video h264 --require-audio aac "$url" </dev/null || status=$?
    ((status == 0)) || peer_die "mediactl rtmp probe of the live meeting failed (exit $status)"
    status=0
    wait "$PUSH_PID" || status=$?
    PUSH_PID=""
    ((status == 0)) || peer_die "mediactl rtms replay --push failed (exit $status)"
    peer_log "nginx recorded the meeting: $(ffprobe -v error -show_entries stream=codec_name:format=duration \
        -of compact=p=0 "$(peer_recording "$MEETING_STREAM")" | tr '\n' ' ')"
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
    serve_and_listen
    recording_to_flv
    push_recording_live
    make_demo_clip
    start_push
    probe_stream
    wait_for_push
    verify_recording
}

main "$@"
