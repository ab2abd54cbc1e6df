#!/usr/bin/python3
"""Compare what a client received with what rtms_server.py logged as sent, message by message.

  rtms_compare.py --server-log server.ndjson --received got.ndjson [--types 14,15,17] [--ignore-types 12]
                  [--allow-tail-loss]

--received: NDJSON, one received RTMS message per line, either the message itself ({"msg_type":14,...}) or a
wrapper with the message under "msg" (what rtms_client_check.py --out writes). Lines in arrival order (for
messages of one msg_type the order is what counts; across types it is not compared).

Per msg_type, the received messages must be the sent ones (JSON-equal, including base64 data and timestamps), in
the order sent, with no extras and no duplicates. The order is checked across the whole log, except for keep-alive
requests (12), which every connection sends on its own clock: their order is checked per server connection.
A sent message the client lacks is
  - a "hole" if the client did get a later message from the same server connection (TCP keeps order, so
    something was lost or dropped by the client): always a failure;
  - a "tail" loss otherwise (it was in flight when that connection ended): a failure unless --allow-tail-loss,
    reported with who closed that connection.
Messages the server never sent (log "unsent": produced while no client connection was live) are listed as a
count only: they are the gap a client has to record as a gap.
Prints one JSON report; exit 0 when it matches, 1 when it does not, 2 on bad input.
"""
import argparse
import json
import sys


# Types the server sends on every connection (media handshake responses, keep-alive requests): how two TCP
# streams interleave is not defined, so their order is checked per connection.
PER_CONNECTION_ORDER = {4, 12}


def load_ndjson(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except ValueError:
                raise SystemExit(f"{path}:{n}: not JSON")
    return out


def received_messages(records):
    msgs = []
    for r in records:
        m = r.get("msg") if isinstance(r.get("msg"), dict) else r
        if isinstance(m, dict) and "msg_type" in m:
            msgs.append(m)
    return msgs


def brief(rec):
    m = rec.get("msg") or {}
    c = m.get("content") if isinstance(m.get("content"), dict) else m
    return {"connection": rec.get("connection"), "sequence": rec.get("sequence"), "log_seq": rec.get("log_seq"),
            "msg_type": rec.get("msg_type"), "timestamp": c.get("timestamp")}


def compare(log, received, types=None, ignore_types=(), allow_tail_loss=False):
    failed = {(r.get("connection"), r.get("sequence")) for r in log if r.get("dir") == "send_failed"}
    sent = [r for r in log if r.get("dir") == "sent" and (r.get("connection"), r.get("sequence")) not in failed]
    closes = {r["connection"]: r for r in log if r.get("dir") == "conn" and r.get("event") == "close"}
    unsent = {}
    for r in log:
        if r.get("dir") == "unsent":
            unsent[str(r.get("msg_type"))] = unsent.get(str(r.get("msg_type")), 0) + 1

    all_types = sorted({r["msg_type"] for r in sent if r.get("msg_type") is not None}
                       | {m["msg_type"] for m in received if isinstance(m.get("msg_type"), int)})
    if types:
        all_types = [t for t in all_types if t in types] + [t for t in types if t not in all_types]
    all_types = [t for t in all_types if t not in ignore_types]

    per_type = {}
    matched_records = []
    missing_records = []
    extras_total = 0
    for t in all_types:
        s = [r for r in sent if r.get("msg_type") == t]
        got = [m for m in received if m.get("msg_type") == t]
        # Order is checked per server connection for keep-alive requests (every connection sends its own, and
        # how two TCP streams interleave is not defined); for every other type across the whole log (one
        # connection carries a type at a time, and after a reconnection the new one continues the old one).
        keys = [r.get("connection") if t in PER_CONNECTION_ORDER else "" for r in s]
        lanes = {}
        for k, key in enumerate(keys):
            lanes.setdefault(key, []).append(k)
        ptrs = {key: 0 for key in lanes}
        matched = set()
        extras = []
        for idx, m in enumerate(got):
            best = None
            for key, lane in lanes.items():
                j = ptrs[key]
                while j < len(lane) and s[lane[j]]["msg"] != m:
                    j += 1
                if j < len(lane) and (best is None or (j - ptrs[key], lane[j]) < best[0]):
                    best = ((j - ptrs[key], lane[j]), key, j)
            if best is None:
                dup = any(x["msg"] == m for x in s)
                extras.append({"index": idx, "kind": "duplicate-or-reordered" if dup else "never-sent",
                               "msg": m if t not in (14, 15, 16) else {"msg_type": t, "content_timestamp":
                                                                      (m.get("content") or {}).get("timestamp")}})
            else:
                _, key, j = best
                k = lanes[key][j]
                matched.add(k)
                matched_records.append(s[k])
                ptrs[key] = j + 1
        missing = [s[k] for k in range(len(s)) if k not in matched]
        missing_records.extend(missing)
        extras_total += len(extras)
        per_type[str(t)] = {"sent": len(s), "received": len(got), "matched": len(matched),
                            "missing": len(missing), "extras": extras[:10], "extra_count": len(extras)}

    last_matched = {}
    for r in matched_records:
        c = r.get("connection")
        last_matched[c] = max(last_matched.get(c, 0), r.get("log_seq", 0))
    holes, tails = [], []
    for r in missing_records:
        c = r.get("connection")
        entry = brief(r)
        if r.get("log_seq", 0) < last_matched.get(c, 0):
            holes.append(entry)
        else:
            close = closes.get(c, {})
            entry["connection_closed_by"] = close.get("closed_by")
            entry["close_code"] = close.get("code")
            tails.append(entry)
    for key, v in per_type.items():
        v["holes"] = sum(1 for h in holes if str(h["msg_type"]) == key)
        v["tail_losses"] = sum(1 for h in tails if str(h["msg_type"]) == key)
    ok = not holes and extras_total == 0 and (allow_tail_loss or not tails)
    return {"ok": ok, "types": per_type, "holes": holes[:20], "hole_count": len(holes), "tail_losses": tails[:20],
            "tail_loss_count": len(tails), "unsent_by_server": unsent}


def parse_types(text):
    return [int(x) for x in text.split(",") if x.strip()] if text else []


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server-log", required=True)
    ap.add_argument("--received", required=True)
    ap.add_argument("--types", help="only these msg_types (comma-separated)")
    ap.add_argument("--ignore-types", default="", help="msg_types to leave out, e.g. 12 when keep-alives are not kept")
    ap.add_argument("--allow-tail-loss", action="store_true")
    args = ap.parse_args()
    report = compare(load_ndjson(args.server_log), received_messages(load_ndjson(args.received)),
                     parse_types(args.types), parse_types(args.ignore_types), args.allow_tail_loss)
    print(json.dumps(report))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
