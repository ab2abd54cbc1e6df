#!/usr/bin/env bash
# Benchmark (not a test): ingest capacity of `mediactl rtms listen`.
#
# One mediactl process in webhook mode records N concurrent streams to disk; each stream is 16 kHz mono L16 audio
# every 20 ms plus 720p H.264-sized video at 30 fps (5000-byte frames, a 40000-byte key frame every 60 frames:
# about 1.3 Mbit/s), served in real time by one `rtms-loadgen serve` process (Swift, Hummingbird websockets) on
# 127.0.0.1. N rises through LEVELS. Per level:
#   - sent: what the load generator sent, and how late its sends were against the schedule (a reader that falls
#     behind makes TCP push back, and the sends slip);
#   - recorded: `rtms-loadgen verify` reads every recording with the core's reader: media messages recorded,
#     damage, and latency from each message's scheduled time to its recorded arrival;
#   - mediactl's CPU (utime+stime from /proc over the run) and peak RSS (VmHWM) minus its RSS before the streams.
# A level keeps up when nothing was dropped (recorded == sent), no recording is damaged, and messages do not fall
# behind real time: median latency under 100 ms and p99 under 1 s (short stalls of the shared disk and CPU recover;
# a receiver that cannot keep up builds a backlog, and its median grows to seconds). The load generator shares
# the 2 cores, so the figures are conservative.
#
# mediactl prints its readable log (media is not printed per message); JSON=1 adds --json, one NDJSON line per
# message on stdout (to a file), to measure that cost too.
#
# Environment: LEVELS ("25 50 100 200 300"), DURATION (20 s of media per stream), REPEAT (1 run per level),
# JSON=1, KEEP=1 keeps the work directory, BUILD=0 skips the release build, BENCH_DIR (/tmp) where the work
# directory and the recordings go (/dev/shm takes the disk out of the measurement), MEDIACTL and LOADGEN: other
# binaries to run (to compare two builds of mediactl under the same load generator; BUILD=0 with them).
#
# The machine must be otherwise idle: anything else on the 2 cores (a build) shows up as falling behind. The
# script prints the load average before each level.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

LEVELS=${LEVELS:-"25 50 100 200 300"}
DURATION=${DURATION:-20}
REPEAT=${REPEAT:-1}
JSON_FLAG=$([ "${JSON:-0}" = 1 ] && echo --json || true)
BIN=.build/release
MEDIACTL=${MEDIACTL:-$BIN/mediactl}
LOADGEN=${LOADGEN:-$BIN/rtms-loadgen}
HELPER=scripts/lib/rtms_bench.py
SECRET=bench-webhook-secret
WORK=$(mktemp -d "${BENCH_DIR:-/tmp}/bench-rtms.XXXXXX")
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ "${KEEP:-0}" = 1 ] && echo "kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT

if [ "${BUILD:-1}" = 1 ]; then
    swift build -c release --product mediactl >&2
    swift build -c release --product rtms-loadgen >&2
fi

# Waits (at most $3 s) for a line matching $2 in file $1 and prints it.
wait_line() {
    local deadline=$((SECONDS + $3))
    while [ $SECONDS -lt $deadline ]; do
        if grep -m1 -- "$2" "$1" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "timed out waiting for $2 in $1" >&2
    return 1
}

results=()
for n in $LEVELS; do
    for run in $(seq 1 "$REPEAT"); do
        dir=$WORK/n$n-r$run
        mkdir -p "$dir"
        echo "== $n streams, run $run: $DURATION s of media each (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
        "$LOADGEN" serve --duration "$DURATION" --streams "$n" --max-seconds $((DURATION * 4 + 120)) \
            > "$dir/loadgen.out" 2> "$dir/loadgen.err" &
        loadgen=$!
        PIDS+=("$loadgen")
        signaling=$(wait_line "$dir/loadgen.out" '"ready"' 10 | python3 -c 'import json,sys; print(json.load(sys.stdin)["signaling_url"])')

        ZM_RTMS_CLIENT=bench ZM_RTMS_SECRET=bench ZM_RTMS_WEBHOOK_SECRET=$SECRET \
            "$MEDIACTL" rtms listen --webhook 127.0.0.1:0/zoom --record "$dir/rec" $JSON_FLAG \
            --media audio,video --video-codec h264 --video-fps 30 --video-resolution hd \
            > "$dir/listen.out" 2> "$dir/listen.err" &
        mediactl=$!
        PIDS+=("$mediactl")
        port=$(wait_line "$dir/listen.err" 'listening for webhooks' 10 | sed -E 's/.*:([0-9]+)\/zoom.*/\1/')
        before=$(python3 "$HELPER" proc "$mediactl")
        loadgen_before=$(python3 "$HELPER" proc "$loadgen")
        started=$(date +%s.%N)

        accepted=$(python3 "$HELPER" webhooks "http://127.0.0.1:$port/zoom" "$SECRET" "$signaling" "$n" "bench$n")
        echo "   $accepted webhooks accepted" >&2

        # The load generator exits once every stream has ended (or at its time limit).
        while kill -0 "$loadgen" 2>/dev/null; do
            after=$(python3 "$HELPER" proc "$mediactl")
            loadgen_after=$(python3 "$HELPER" proc "$loadgen" 2>/dev/null || echo "$loadgen_after")
            sleep 1
        done
        # mediactl may still be working through a backlog: let every stream end (rtms.end) before stopping it.
        deadline=$((SECONDS + 120))
        while [ "$(grep -c '^[0-9:.]* end ' "$dir/listen.out" 2>/dev/null || true)" -lt "$n" ] && [ $SECONDS -lt $deadline ]; do
            after=$(python3 "$HELPER" proc "$mediactl")
            sleep 1
        done
        ended=$(date +%s.%N)
        kill -INT "$mediactl"
        wait "$mediactl" || true
        wait "$loadgen" || true
        verify=$("$LOADGEN" verify "$dir/rec")
        report=$(grep '"loadgen.report"' "$dir/loadgen.out")

        python3 - "$n" "$DURATION" "$started" "$ended" "$before" "$after" "$loadgen_before" "$loadgen_after" \
            "$report" "$verify" > "$dir/level.json" <<'PY'
import json, sys
n, duration, t0, t1 = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
before, after, lg_before, lg_after, report, verify = (json.loads(a) for a in sys.argv[5:11])
wall = t1 - t0
sent = report["audio_sent"] + report["video_sent"]
recorded = verify["audio"] + verify["video"]
cpu = (after["cpu_s"] - before["cpu_s"]) / wall * 100
mib = (after["hwm_kib"] - before["rss_kib"]) / 1024 / n
keeps_up = (recorded == sent and not verify["damaged"] and verify["latency_median_ms"] < 100
            and verify["latency_p99_ms"] < 1000 and report["streams_ended"] == n)
print(json.dumps({"streams": n, "sent": sent, "recorded": recorded, "dropped": sent - recorded,
                  "recorded_ratio": recorded / sent if sent else 0, "expected_per_stream": duration * (50 + 30),
                  "send_lag_p99_ms": report["send_lag_p99_ms"], "send_lag_max_ms": report["send_lag_max_ms"],
                  "latency_median_ms": verify["latency_median_ms"], "latency_p99_ms": verify["latency_p99_ms"],
                  "latency_max_ms": verify["latency_max_ms"], "damaged": len(verify["damaged"]),
                  "recorded_mib": verify["bytes"] / 1048576, "cpu_percent": cpu, "wall_s": wall,
                  "peak_rss_mib": after["hwm_kib"] / 1024, "baseline_rss_mib": before["rss_kib"] / 1024,
                  "mib_per_stream": mib,
                  "loadgen_cpu_percent": (lg_after["cpu_s"] - lg_before["cpu_s"]) / wall * 100,
                  "streams_ended": report["streams_ended"], "keeps_up": keeps_up}))
PY
        cat "$dir/level.json" >&2
        results+=("$dir/level.json")
        # Leave the disk quiet for the next level: delete this level's recordings and let writeback finish.
        if [ "${KEEP:-0}" != 1 ]; then rm -rf "$dir/rec"; fi
        sync
        sleep 3
    done
done

python3 "$HELPER" row "${results[@]}"
