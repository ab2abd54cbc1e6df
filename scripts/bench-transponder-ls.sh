#!/usr/bin/env bash
# Benchmark (not a test): how fast `mediactl transponder ls --json` answers with many transponders running.
#  1. Starts one private nginx (record off) and BENCH_TRANSPONDERS (50) `mediactl rtmp push --loop` of a small
#     FLV (2 s, 320x240 H.264 + AAC), each to its own stream name, all registered in a private runtime
#     directory (MEDIACTL_RUNTIME_DIR), and waits until `ls` shows every one of them publishing.
#  2. Times BENCH_RUNS (20) runs of `mediactl transponder ls --json` (each must list all of them, publishing),
#     and side by side the floor: `mediactl --version` (process start) and `ls --json` with no transponders.
# Prints min / median / p90 / max in ms and the target (median under 100 ms with 50 transponders).
#
# Environment: MEDIACTL (default .build/release/mediactl), BENCH_TRANSPONDERS, BENCH_RUNS, BENCH_STRICT=1 (exit 3
# when the target is missed), PEER_KEEP=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/rtmp-peer.sh
source scripts/lib/rtmp-peer.sh
PEER_LOG_NAME=bench-transponder-ls

MEDIACTL=${MEDIACTL:-.build/release/mediactl}
BENCH_TRANSPONDERS=${BENCH_TRANSPONDERS:-50}
BENCH_RUNS=${BENCH_RUNS:-20}
TARGET_MS=100
CACHE=.build/bench
CLIP=$CACHE/transponder-clip-2s.flv
PUSH_PIDS=()
RUNTIME=""
EMPTY=""

cleanup() {
    local pid
    for pid in "${PUSH_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PUSH_PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    [[ -n $RUNTIME ]] && rm -rf "$RUNTIME"
    [[ -n $EMPTY ]] && rm -rf "$EMPTY"
    peer_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ -x $MEDIACTL ]] || peer_die "$MEDIACTL is not built: run 'swift build -c release --product mediactl'"
peer_require ffmpeg python3

mkdir -p "$CACHE"
if [[ ! -s $CLIP ]]; then
    peer_log "making $CLIP"
    peer_make_clip "$CLIP" 2 320x240 25
fi

peer_start_nginx off
RUNTIME=$(mktemp -d "${TMPDIR:-/tmp}/mediactl-bench-rt.XXXXXX")
EMPTY=$(mktemp -d "${TMPDIR:-/tmp}/mediactl-bench-empty.XXXXXX")
chmod 700 "$RUNTIME" "$EMPTY"
peer_log "nginx on 127.0.0.1:$PEER_RTMP_PORT; $(nproc) cores; starting $BENCH_TRANSPONDERS transponders ($MEDIACTL rtmp push --loop)"

for i in $(seq 1 "$BENCH_TRANSPONDERS"); do
    MEDIACTL_RUNTIME_DIR=$RUNTIME "$MEDIACTL" rtmp push --quiet --loop --stats-interval 0 "$CLIP" \
        "$(peer_url "bench_tp_$i")" </dev/null >/dev/null 2>"$PEER_DIR/push.$i.err" &
    PUSH_PIDS+=($!)
done

# Wait (at most 60 s) until every one is listed as publishing.
deadline=$((SECONDS + 60))
while :; do
    publishing=$(MEDIACTL_RUNTIME_DIR=$RUNTIME "$MEDIACTL" transponder ls --json |
        python3 -c 'import json,sys; print(sum(1 for t in json.load(sys.stdin) if t["state"] == "publishing"))')
    ((publishing == BENCH_TRANSPONDERS)) && break
    if ((SECONDS > deadline)); then
        cat "$PEER_DIR"/push.*.err >&2 || true
        peer_die "only $publishing of $BENCH_TRANSPONDERS transponders publishing after 60 s"
    fi
    sleep 0.5
done
peer_log "all $BENCH_TRANSPONDERS publishing; load average $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$MEDIACTL" "$RUNTIME" "$EMPTY" "$BENCH_TRANSPONDERS" "$BENCH_RUNS" "$TARGET_MS" <<'EOF'
import json, os, statistics, subprocess, sys, time

mediactl, runtime, empty, count, runs, target = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])

def timed(args, directory, check=None):
    env = dict(os.environ, MEDIACTL_RUNTIME_DIR=directory)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([mediactl] + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - start) * 1000
        if result.returncode != 0:
            sys.exit(f"{' '.join(args)} exited {result.returncode}: {result.stderr.decode()}")
        if check:
            check(result.stdout)
        times.append(elapsed)
    return times

def all_listed(stdout):
    listing = json.loads(stdout)
    if len(listing) != count or any(t["state"] != "publishing" or t["bytesSent"] <= 0 for t in listing):
        sys.exit(f"ls listed {len(listing)} transponders, not {count} publishing: {stdout[:500]!r}")

def row(name, times):
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    print(f"| {name} | {ordered[0]:.1f} | {statistics.median(times):.1f} | {p90:.1f} | {ordered[-1]:.1f} |")
    return statistics.median(times)

print(f"\n{runs} runs each, ms (wall time from spawn to exit):\n")
print("| command | min | median | p90 | max |")
print("|---|---:|---:|---:|---:|")
floor = row("`mediactl --version` (process start)", timed(["--version"], empty))
zero = row("`transponder ls --json`, 0 transponders", timed(["transponder", "ls", "--json"], empty))
full = row(f"`transponder ls --json`, {count} transponders", timed(["transponder", "ls", "--json"], runtime, all_listed))
verdict = "met" if full < target else "MISSED"
print(f"\ntarget: median under {target:.0f} ms with {count} transponders: {full:.1f} ms, {verdict} "
      f"({full - zero:.1f} ms more than with none; process start {floor:.1f} ms)")
if verdict != "met" and os.environ.get("BENCH_STRICT") == "1":
    sys.exit(3)
EOF
