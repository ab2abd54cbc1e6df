#!/usr/bin/env bash
# Benchmark (not a test): mediactl rtmp push against ffmpeg -c copy -f flv, same clip, same local nginx, one run.
#  1. Throughput: a 10-minute 8 Mbit/s H.264+AAC FLV (made once, cached in .build/bench/) pushed as fast as the
#     server takes it, BENCH_RUNS (5) times per tool, alternating; /usr/bin/time gives wall, CPU and peak RSS.
#     Prints medians, ratios and the targets (throughput >= 1.5x, CPU <= 0.7x, memory <= 0.5x of ffmpeg).
#  2. Pacing: the first 20 s of the clip in real time (mediactl's default, ffmpeg -re), BENCH_PACING_RUNS (3)
#     each; how far ahead of or behind real time the media reaches a player through nginx (a small Python
#     RTMP player timestamps every message), plus the fields of mediactl's own `done` event. A third publisher,
#     `reference` (same script, tags sent at their timestamps by the monotonic clock), shows the floor of the
#     measurement on this machine at this moment (nginx's relay, scheduling noise of a shared 2-core box).
#
# Environment: MEDIACTL (default .build/release/mediactl), BENCH_RUNS, BENCH_PACING_RUNS, BENCH_SECONDS (600),
# BENCH_STRICT=1 (exit 3 when a target is missed), PEER_KEEP=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/rtmp-peer.sh
source scripts/lib/rtmp-peer.sh
PEER_LOG_NAME=bench

MEDIACTL=${MEDIACTL:-.build/release/mediactl}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_PACING_RUNS=${BENCH_PACING_RUNS:-3}
BENCH_SECONDS=${BENCH_SECONDS:-600}
PACING_SECONDS=20
CACHE=.build/bench
CLIP=$CACHE/clip-${BENCH_SECONDS}s-720p30-8M.flv
PACING_CLIP=$CACHE/clip-${PACING_SECONDS}s-720p30-8M.flv
STATS=scripts/lib/bench_stats.py
RESULTS=""
BACKGROUND_PID=""

cleanup() {
    if [[ -n $BACKGROUND_PID ]]; then kill -KILL "$BACKGROUND_PID" 2>/dev/null || true; fi
    peer_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
    [[ -x $MEDIACTL ]] || peer_die "$MEDIACTL is not built: run 'swift build -c release --product mediactl'"
    [[ -x /usr/bin/time ]] || peer_die "GNU time is missing: run scripts/install-deps.sh --test"
    peer_require ffmpeg python3 timeout
}

# The clip: testsrc2 1280x720 30 fps, x264 ultrafast capped at 8 Mbit/s, keyframe every 2 s, AAC 128k.
make_bench_clip() {
    mkdir -p "$CACHE"
    if [[ -s $CLIP ]]; then
        peer_log "using cached $CLIP ($(du -m "$CLIP" | cut -f1) MB)"
    else
        peer_log "making $CLIP (${BENCH_SECONDS} s of 720p30 at 8 Mbit/s; takes a few minutes, once)"
        local started=$SECONDS last=0 key value
        if ! ffmpeg -hide_banner -loglevel error -nostdin -nostats -y -progress pipe:1 \
            -f lavfi -i "testsrc2=size=1280x720:rate=30" -f lavfi -i "sine=frequency=1000:sample_rate=44100" \
            -t "$BENCH_SECONDS" -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 60 \
            -b:v 8M -maxrate 8M -bufsize 16M -c:a aac -b:a 128k -f flv "$CLIP.tmp" |
            while IFS='=' read -r key value; do
                if [[ $key == out_time_us && $value =~ ^[0-9]+$ ]] && ((value / 1000000 >= last + 60)); then
                    last=$((value / 1000000))
                    peer_log "  ${last}/${BENCH_SECONDS} s of media after $((SECONDS - started)) s"
                fi
            done || [[ ! -s $CLIP.tmp ]]; then
            rm -f "$CLIP.tmp"
            peer_die "ffmpeg could not make the clip"
        fi
        mv "$CLIP.tmp" "$CLIP"
        peer_log "made the clip in $((SECONDS - started)) s ($(du -m "$CLIP" | cut -f1) MB)"
    fi
    if [[ ! -s $PACING_CLIP ]]; then
        ffmpeg -hide_banner -loglevel error -nostdin -y -i "$CLIP" -t "$PACING_SECONDS" -c copy -f flv \
            "$PACING_CLIP.tmp" || peer_die "ffmpeg could not cut the pacing clip"
        mv "$PACING_CLIP.tmp" "$PACING_CLIP"
    fi
}

# timed NAME RUN -- COMMAND...: runs COMMAND under /usr/bin/time into $RESULTS/NAME.RUN.time; fails loudly.
timed() {
    local name=$1 run=$2
    shift 3
    local status=0
    timeout 900 /usr/bin/time -f '%e %U %S %M' -o "$RESULTS/$name.$run.time" "$@" \
        </dev/null >"$RESULTS/$name.$run.out" 2>"$RESULTS/$name.$run.err" || status=$?
    if ((status != 0)); then
        tail -5 "$RESULTS/$name.$run.err" >&2
        peer_die "$name run $run failed (exit $status)"
    fi
    peer_log "  $name run $run: $(cat "$RESULTS/$name.$run.time") (wall s, user s, sys s, max RSS KiB)"
}

throughput_runs() {
    local i
    peer_log "throughput: $BENCH_RUNS runs each, alternating"
    for ((i = 1; i <= BENCH_RUNS; i++)); do
        timed mediactl "$i" -- "$MEDIACTL" rtmp push --no-realtime "$CLIP" "$(peer_url "bench_mediactl_$i")"
        timed ffmpeg "$i" -- ffmpeg -hide_banner -loglevel error -nostdin -i "$CLIP" -c copy -f flv \
            "$(peer_url "bench_ffmpeg_$i")"
    done
    python3 "$STATS" table "$RESULTS" "$(stat -c %s "$CLIP")" "$BENCH_SECONDS"
}

# paced NAME RUN STREAM -- COMMAND...: a timing player subscribes to STREAM first, then COMMAND publishes it.
paced() {
    local name=$1 run=$2 stream=$3 _
    shift 4
    local ready=$RESULTS/$name.$run.player
    python3 scripts/lib/rtmp_play_timing.py "$PEER_RTMP_PORT" "$stream" $((PACING_SECONDS + 40)) \
        "$RESULTS/$name.$run.pacing.json" >"$ready" 2>"$ready.err" &
    BACKGROUND_PID=$!
    for _ in $(seq 1 200); do  # 10 s
        grep -q ready "$ready" 2>/dev/null && break
        kill -0 "$BACKGROUND_PID" 2>/dev/null || break
        sleep 0.05
    done
    grep -q ready "$ready" 2>/dev/null || { cat "$ready.err" >&2; peer_die "the timing player did not start"; }
    local status=0
    timeout $((PACING_SECONDS + 30)) "$@" </dev/null >"$RESULTS/$name.$run.ndjson" \
        2>"$RESULTS/$name.$run.pacing.err" || status=$?
    if ((status != 0)); then
        tail -5 "$RESULTS/$name.$run.pacing.err" >&2
        peer_die "$name pacing run $run failed (exit $status)"
    fi
    status=0
    wait "$BACKGROUND_PID" || status=$?
    BACKGROUND_PID=""
    ((status == 0)) || { cat "$ready.err" >&2; peer_die "the timing player failed (exit $status)"; }
}

pacing_runs() {
    local i
    ((BENCH_PACING_RUNS > 0)) || return 0
    peer_log "pacing: $BENCH_PACING_RUNS runs each of ${PACING_SECONDS} s in real time"
    for ((i = 1; i <= BENCH_PACING_RUNS; i++)); do
        paced mediactl "$i" "pace_mediactl_$i" -- "$MEDIACTL" rtmp push --json "$PACING_CLIP" \
            "$(peer_url "pace_mediactl_$i")"
        paced ffmpeg "$i" "pace_ffmpeg_$i" -- ffmpeg -hide_banner -loglevel error -nostdin -re \
            -i "$PACING_CLIP" -c copy -f flv "$(peer_url "pace_ffmpeg_$i")"
        paced reference "$i" "pace_reference_$i" -- python3 scripts/lib/rtmp_play_timing.py --publish \
            "$PEER_RTMP_PORT" "pace_reference_$i" "$PACING_CLIP"
    done
    python3 "$STATS" pacing "$RESULTS"
}

main() {
    check_tools
    make_bench_clip
    peer_start_nginx off
    RESULTS=$PEER_DIR/results
    mkdir -p "$RESULTS"
    peer_log "nginx on 127.0.0.1:$PEER_RTMP_PORT (record off); $(nproc) cores; mediactl: $MEDIACTL"
    throughput_runs
    pacing_runs
}

main "$@"
