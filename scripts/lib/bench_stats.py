#!/usr/bin/env python3
"""Helpers for scripts/bench-rtmp-push.sh (standard library only).

  bench_stats.py table RESULTS_DIR CLIP_BYTES CLIP_SECONDS
      RESULTS_DIR holds mediactl.N.time / ffmpeg.N.time files, each one line of `/usr/bin/time -f '%e %U %S %M'`
      (wall s, user s, sys s, max RSS KiB). Prints medians, ratios and the targets with PASS/MISS; exits 3 when
      BENCH_STRICT=1 and a target is missed.
  bench_stats.py pacing RESULTS_DIR
      Prints the pacing section from the player's summaries (mediactl.N.pacing.json, ffmpeg.N.pacing.json, see
      rtmp_play_timing.py) and the fields of mediactl's own final `done` event (mediactl.N.ndjson).
"""
import glob
import json
import os
import statistics
import sys


def median(values):
    return statistics.median(values) if values else float("nan")


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def read_times(directory, tool):
    runs = []
    for path in sorted(glob.glob(os.path.join(directory, f"{tool}.*.time"))):
        with open(path) as f:
            # GNU time may print "Command exited with non-zero status" first: take the last line.
            fields = f.read().strip().splitlines()[-1].split()
        wall, user, system, rss = (float(x) for x in fields[:4])
        runs.append({"wall": wall, "cpu": user + system, "user": user, "sys": system, "rss": rss})
    return runs


def table(directory, clip_bytes, clip_seconds):
    m, f = read_times(directory, "mediactl"), read_times(directory, "ffmpeg")
    if not m or not f:
        sys.exit("bench: no timing results")
    med = {tool: {k: median([r[k] for r in runs]) for k in ("wall", "cpu", "user", "sys", "rss")}
           for tool, runs in (("mediactl", m), ("ffmpeg", f))}
    mb = clip_bytes / 1e6
    throughput = med["ffmpeg"]["wall"] / med["mediactl"]["wall"]
    cpu = med["mediactl"]["cpu"] / med["ffmpeg"]["cpu"]
    memory = med["mediactl"]["rss"] / med["ffmpeg"]["rss"]
    results = [
        ("throughput", throughput, ">= 1.5x", throughput >= 1.5, "ffmpeg wall / mediactl wall"),
        ("CPU time", cpu, "<= 0.7x", cpu <= 0.7, "mediactl CPU / ffmpeg CPU"),
        ("peak memory", memory, "<= 0.5x", memory <= 0.5, "mediactl RSS / ffmpeg RSS"),
    ]
    print(f"\nThroughput: {mb:.1f} MB, {clip_seconds:.0f} s FLV pushed to nginx on 127.0.0.1 "
          f"(chunk_size 4096, record off); median of {len(m)} mediactl and {len(f)} ffmpeg runs, alternating\n")
    print(f"{'':24}{'mediactl':>12}{'ffmpeg':>12}")
    print(f"{'wall time (s)':24}{med['mediactl']['wall']:>12.2f}{med['ffmpeg']['wall']:>12.2f}")
    print(f"{'throughput (MB/s)':24}{mb / med['mediactl']['wall']:>12.1f}{mb / med['ffmpeg']['wall']:>12.1f}")
    print(f"{'CPU user+sys (s)':24}{med['mediactl']['cpu']:>12.2f}{med['ffmpeg']['cpu']:>12.2f}")
    print(f"{'  user / sys (s)':24}"
          f"{med['mediactl']['user']:>6.2f}/{med['mediactl']['sys']:<5.2f}"
          f"{med['ffmpeg']['user']:>6.2f}/{med['ffmpeg']['sys']:<5.2f}")
    print(f"{'peak RSS (MiB)':24}{med['mediactl']['rss'] / 1024:>12.1f}{med['ffmpeg']['rss'] / 1024:>12.1f}")
    print(f"\n{'ratio':14}{'value':>8}  {'target':9}{'result':8}definition")
    for name, value, target, ok, definition in results:
        print(f"{name:14}{value:>7.2f}x  {target:9}{'PASS' if ok else 'MISS':8}{definition}")
    print("\nruns (wall s, CPU s, RSS MiB):")
    for tool, runs in (("mediactl", m), ("ffmpeg", f)):
        print(f"  {tool:9}" + "  ".join(f"{r['wall']:.2f}/{r['cpu']:.2f}/{r['rss'] / 1024:.0f}" for r in runs))
    if os.environ.get("BENCH_STRICT") == "1" and not all(ok for *_, ok, _ in results):
        sys.exit(3)


def pacing(directory):
    print("\nReal-time pacing: the first 20 s of the clip in real time. A player (scripts/lib/rtmp_play_timing.py)")
    print("subscribed before the publish notes when each audio/video message arrives through nginx; lead = media")
    print("time - wall time since the first media message (positive: ahead of real time). ms, medians over runs.\n")
    print(f"{'':10}{'runs':>5}{'max ahead':>11}{'max behind':>12}{'median lead':>13}{'p1..p99':>16}"
          f"{'max |lead-median|':>19}")
    summary = {}
    for tool in ("mediactl", "ffmpeg", "reference"):
        runs = []
        for path in sorted(glob.glob(os.path.join(directory, f"{tool}.*.pacing.json"))):
            with open(path) as f:
                s = json.load(f)
            if s.get("messages"):
                runs.append(s)
        if not runs:
            print(f"{tool:10}   no media seen")
            continue
        summary[tool] = {k: median([r[k] for r in runs]) for k in ("max_ahead_ms", "max_behind_ms", "p1_ms", "p99_ms")}
        spread = f"{median([r['p1_ms'] for r in runs]):.1f}..{median([r['p99_ms'] for r in runs]):.1f}"
        print(f"{tool:10}{len(runs):>5}{median([r['max_ahead_ms'] for r in runs]):>11.1f}"
              f"{median([r['max_behind_ms'] for r in runs]):>12.1f}{median([r['median_lead_ms'] for r in runs]):>13.1f}"
              f"{spread:>16}{median([r['max_from_median_ms'] for r in runs]):>19.1f}")
    print("reference = tags sent at their timestamps by the monotonic clock (rtmp_play_timing.py --publish): the floor")
    print("of this measurement here and now.")
    m = summary.get("mediactl")
    if m:
        whole = m["max_ahead_ms"] <= 5 and m["max_behind_ms"] <= 5
        most = m["p99_ms"] <= 5 and m["p1_ms"] >= -5
        print(f"target: within 5 ms of the wall clock: max ahead/behind {'PASS' if whole else 'MISS'}, "
              f"p1..p99 {'PASS' if most else 'MISS'}")
    reports = []
    for path in sorted(glob.glob(os.path.join(directory, "mediactl.*.ndjson"))):
        done = None
        with open(path) as f:
            for line in f:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if isinstance(event, dict) and event.get("type") in ("done", "rtmp.done"):
                    done = event
        if done:
            reports.append(done)
    if not reports:
        print("\nmediactl printed no `done` event with --json")
        return
    print("\nmediactl's own `done` event (numeric fields: median over runs; others from the last run):")
    keys = [k for k in reports[-1] if k != "type"]
    for key in keys:
        values = [r[key] for r in reports if isinstance(r.get(key), (int, float)) and not isinstance(r.get(key), bool)]
        if values:
            mark = "  <- pacing" if any(w in key for w in ("ahead", "behind", "drift", "lag", "late", "pacing")) else ""
            print(f"  {key:28}{median(values):>14.3f}{mark}")
        else:
            print(f"  {key:28}{json.dumps(reports[-1][key])[:60]:>14}")


def main(argv):
    if len(argv) >= 5 and argv[1] == "table":
        table(argv[2], float(argv[3]), float(argv[4]))
    elif len(argv) >= 3 and argv[1] == "pacing":
        pacing(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
