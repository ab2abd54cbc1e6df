#!/usr/bin/env python3
"""Helpers for scripts/bench-rtms-listen.sh (standard library only).

  rtms_bench.py webhooks URL SECRET SIGNALING_URL COUNT PREFIX
      Sends COUNT signed meeting.rtms_started webhooks (streams PREFIX-1 ... PREFIX-COUNT, all pointing at
      SIGNALING_URL) from one process; prints how many got HTTP 200.
  rtms_bench.py proc PID
      One JSON line: the process's CPU seconds so far (utime+stime), current and peak RSS in KiB.
  rtms_bench.py row LEVEL_JSON...
      Prints the table of all levels (medians over repetitions) and the verdict against the issue's target.
"""
import hashlib
import hmac
import json
import os
import statistics
import sys
import time
import urllib.request


def webhooks(url, secret, signaling_url, count, prefix):
    ok = 0
    for i in range(1, count + 1):
        body = json.dumps({"event": "meeting.rtms_started", "event_ts": int(time.time() * 1000),
                           "payload": {"meeting_uuid": f"{prefix}-meeting-{i}", "rtms_stream_id": f"{prefix}-{i}",
                                       "server_urls": signaling_url}}, separators=(",", ":")).encode()
        ts = str(int(time.time()))
        sig = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "content-type": "application/json", "x-zm-request-timestamp": ts, "x-zm-signature": sig})
        with urllib.request.urlopen(req, timeout=10) as resp:
            ok += resp.status == 200
    print(ok)


def proc(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = hwm = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    print(json.dumps({"cpu_s": cpu, "rss_kib": rss, "hwm_kib": hwm}))


def row(paths):
    levels = {}
    for p in paths:
        with open(p) as f:
            r = json.load(f)
        levels.setdefault(r["streams"], []).append(r)
    cores = os.cpu_count() or 1
    print(f"{'streams':>7} {'runs':>4} {'recorded/sent':>14} {'dropped':>8} {'lag p99':>8} {'lat p50':>8} "
          f"{'lat p99':>8} {'cpu %':>7} {'cpu/stream':>10} {'MiB/stream':>10} {'loadgen cpu%':>12} {'keeps up':>8}")
    best = 0
    for n in sorted(levels):
        runs = levels[n]
        med = lambda k: statistics.median(r[k] for r in runs)
        keeps_up = all(r["keeps_up"] for r in runs)
        if keeps_up:
            best = max(best, n)
        print(f"{n:>7} {len(runs):>4} {med('recorded_ratio'):>14.4f} {med('dropped'):>8.0f} "
              f"{med('send_lag_p99_ms'):>6.0f}ms {med('latency_median_ms'):>6.0f}ms {med('latency_p99_ms'):>6.0f}ms "
              f"{med('cpu_percent'):>7.1f} {med('cpu_percent') / n:>9.3f}% {med('mib_per_stream'):>10.3f} "
              f"{med('loadgen_cpu_percent'):>12.1f} {'yes' if keeps_up else 'NO':>8}")
    print()
    print(f"highest level that kept up with nothing dropped: {best} streams "
          f"({best / cores:.0f} streams per core on {cores} cores, load generator on the same cores)")
    target = 200
    at_target = levels.get(target)
    if at_target:
        mib = statistics.median(r["mib_per_stream"] for r in at_target)
        ok = all(r["keeps_up"] for r in at_target) and mib < 2
        print(f"target (200 streams, nothing dropped, < 2 MiB per stream): {'PASS' if ok else 'MISS'} "
              f"({mib:.2f} MiB per stream)")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "webhooks":
        webhooks(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    elif cmd == "proc":
        proc(int(sys.argv[2]))
    elif cmd == "row":
        row(sys.argv[2:])
    else:
        raise SystemExit(__doc__)
