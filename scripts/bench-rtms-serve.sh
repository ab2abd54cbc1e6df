#!/usr/bin/env bash
# Capacity of `mediactl rtms replay --serve`: how many concurrent audio+transcript client sessions one emulator
# process serves at the recorded pace. For each count N: one emulator serving a 60 s audio+transcript meeting
# (16 kHz L16 every 20 ms, a transcript line every 1.5 s), and rtms-serve-load opening N client sessions
# (--ramp per second), each asking for audio and transcript on one media connection, answering keep-alives and
# measuring how late every message arrives against the recording's timestamps. A count passes when every session
# got the whole meeting (every audio message and the terminated update) and the 99th percentile of lateness stays
# under LATE_LIMIT_MS (a server that cannot keep up falls behind by seconds, not by a few hundred milliseconds).
#
# Environment: MEDIACTL (.build/release/mediactl), LOAD (.build/release/rtms-serve-load), COUNTS ("1000 1500 2000"),
# BENCH_SECONDS (60), RAMP (150 sessions/s), LATE_LIMIT_MS (500), LOAD_THREADS (2), KEEP=1 keeps the work dir.
# Prints one JSON line per count and a table on stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MEDIACTL=${MEDIACTL:-.build/release/mediactl}
LOAD=${LOAD:-.build/release/rtms-serve-load}
COUNTS=${COUNTS:-"1000 1500 2000"}
BENCH_SECONDS=${BENCH_SECONDS:-60}
RAMP=${RAMP:-150}
LATE_LIMIT_MS=${LATE_LIMIT_MS:-500}
LOAD_THREADS=${LOAD_THREADS:-2}
for tool in "$MEDIACTL" "$LOAD"; do
    [[ -x $tool ]] || { echo "bench-rtms-serve: $tool is not built (swift build -c release --product mediactl --product rtms-serve-load)" >&2; exit 69; }
done
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null || true
    [[ ${KEEP:-0} == 1 ]] && echo "work dir kept: $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

export ZM_RTMS_CLIENT=bench-client ZM_RTMS_SECRET=bench-secret
bash scripts/make-bench-meeting.sh "$WORK/meeting" "$BENCH_SECONDS" >/dev/null
AUDIO_PER_SESSION=$(( (BENCH_SECONDS * 1000 - 120) / 20 ))

printf '%8s %6s %6s %10s %10s %8s %8s %8s %10s %8s %10s %s\n' sessions ended failed audio expected p50_ms p99_ms max_ms server_cpu rss_mb client_cpu verdict >&2
for N in $COUNTS; do
    LIMIT=$(( N / RAMP + BENCH_SECONDS + 120 ))
    "$MEDIACTL" rtms replay --serve 0 --json --sessions "$N" --max-seconds "$LIMIT" "$WORK/meeting" \
        > "$WORK/server-$N.ndjson" 2> "$WORK/server-$N.err" &
    SERVER_PID=$!
    for _ in $(seq 100); do grep -q '"rtms.serve"' "$WORK/server-$N.ndjson" 2>/dev/null && break; sleep 0.1; done
    URL=$(head -1 "$WORK/server-$N.ndjson" | python3 -c 'import json,sys; print(json.load(sys.stdin)["signaling_url"])')
    START=$(date +%s.%N)
    LOAD_STATUS=0
    "$LOAD" --url "$URL" --meeting-uuid "qL7vS2mPR0y3Zk+9xWcTbA==" --stream-id 5a3d1c0e9b8f4a7e6d2c1b0a9f8e7d6c \
        --sessions "$N" --ramp "$RAMP" --seconds "$LIMIT" --threads "$LOAD_THREADS" > "$WORK/load-$N.ndjson" || LOAD_STATUS=$?
    END=$(date +%s.%N)
    wait "$SERVER_PID" || true
    SERVER_PID=""
    python3 - "$N" "$WORK/load-$N.ndjson" "$START" "$END" "$WORK/server-$N.ndjson" "$AUDIO_PER_SESSION" \
        "$LATE_LIMIT_MS" "$LOAD_STATUS" <<'PY'
import json, sys
n, path, start, end, server, per, limit, status = sys.argv[1:]
n, per, limit = int(n), int(per), int(limit)
lines = [json.loads(l) for l in open(path) if l.strip()]
s = lines[-1] if lines else {}
done = [json.loads(l) for l in open(server) if '"rtms.serve.done"' in l]
done = done[-1] if done else {}
wall = float(end) - float(start)
cpu = done.get("cpu_s", 0)
rss = done.get("max_rss_mb", 0)
expected = n * per
ok = s.get("ended") == n and s.get("audio") == expected and s.get("late_p99_ms", 10**9) < limit
row = {"type": "bench.rtms_serve", "sessions": n, "ended": s.get("ended"), "failed": s.get("failed"),
       "audio": s.get("audio"), "audio_expected": expected, "transcripts": s.get("transcripts"),
       "late_p50_ms": s.get("late_p50_ms"), "late_p99_ms": s.get("late_p99_ms"), "late_max_ms": s.get("late_max_ms"),
       "wall_s": round(wall, 1), "server_cpu_s": round(cpu, 1), "server_cpu_pct": round(100 * cpu / wall, 1),
       "server_rss_mb": int(rss), "server_sent_late": done.get("items_sent_late"),
       "server_max_lag_ms": done.get("max_send_lag_ms"), "client_cpu_pct": round(100 * s.get("cpu_s", 0) / wall, 1), "messages_per_s": round((s.get("audio", 0) + s.get("transcripts", 0)) / wall),
       "load_exit": int(status), "failures": s.get("failures"), "pass": ok}
print(json.dumps(row), flush=True)
print(f'{n:8d} {row["ended"]!s:>6} {row["failed"]!s:>6} {row["audio"]!s:>10} {expected:10d} {row["late_p50_ms"]!s:>8} '
      f'{row["late_p99_ms"]!s:>8} {row["late_max_ms"]!s:>8} {row["server_cpu_pct"]:9.1f}% {int(rss):8d} '
      f'{row["client_cpu_pct"]:9.1f}% {"pass" if ok else "FAIL"}', file=sys.stderr)
PY
done
