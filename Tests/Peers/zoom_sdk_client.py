#!/usr/bin/env python3
"""Zoom's own RTMS SDK (PyPI `rtms`: Python bindings around Zoom's RTMS C SDK) joining a stream, as an app would.

Run with the interpreter of the virtual environment scripts/install-deps.sh --test makes (.build/peers/zoom-rtms).
The SDK does the whole client side itself (signature, signaling and media websockets, handshakes, keep-alives);
this script only registers the callbacks, joins with what the `*.rtms_started` webhook carries, and writes what
the callbacks got:

  zoom_sdk_client.py --server-urls URL --meeting-uuid U --stream-id S --seconds N --out FILE

Credentials come from ZM_RTMS_CLIENT / ZM_RTMS_SECRET, and the CA for wss:// from ZM_RTMS_CA (the SDK reads
them; its join() takes a `ca` argument but version 1.1.0 does not use it), as for any app using the SDK. FILE gets one JSON line per
media callback: {"kind": "audio"|"video"|"deskshare"|"transcript", "timestamp": T, "data": base64, "user_id": N}.
stdout gets one summary line: {"join_reason": R, "leave_reason": R, "counts": {...}, "events": [...]}. Exits 0
when the join was confirmed with reason 0 and the session was left by the server before --seconds ran out; a
join confirmed with another reason ends it at once.
"""

import argparse
import base64
import json
import os
import sys
import threading
import time

import rtms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-urls", required=True)
    parser.add_argument("--meeting-uuid", required=True)
    parser.add_argument("--stream-id", required=True)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    lock = threading.Lock()
    out = open(args.out, "w", encoding="utf-8")
    counts = {"audio": 0, "video": 0, "deskshare": 0, "transcript": 0}
    summary = {"join_reason": None, "leave_reason": None, "events": []}
    left = threading.Event()

    def media(kind):
        def callback(data, size, timestamp, metadata):
            payload = bytes(data[:size])
            with lock:
                if out.closed:
                    return
                counts[kind] += 1
                line = {"kind": kind, "timestamp": timestamp, "data": base64.b64encode(payload).decode("ascii"),
                        "user_id": getattr(metadata, "userId", None)}
                out.write(json.dumps(line) + "\n")
        return callback

    client = rtms.Client()
    client.on_audio_data(media("audio"))
    client.on_video_data(media("video"))
    client.on_deskshare_data(media("deskshare"))
    client.on_transcript_data(media("transcript"))

    def joined(reason):
        summary["join_reason"] = reason
        if reason != 0:
            left.set()

    def leave(reason):
        summary["leave_reason"] = reason
        # SDK 1.1.0's event loop goes on polling a session the server ended, and the C SDK then crashes now and
        # then (SIGSEGV in poll, about one run in six here): stop polling it, as its own leave() does first.
        if hasattr(client, "_running"):
            client._running = False
        else:
            print("zoom_sdk_client: this SDK version has no Client._running; polling goes on", file=sys.stderr)
        left.set()

    client.on_join_confirm(joined)
    client.on_leave(leave)
    client.on_session_update(lambda op, session: summary["events"].append({"session_update": op}))

    client.join(meeting_uuid=args.meeting_uuid, rtms_stream_id=args.stream_id, server_urls=args.server_urls)
    ended = left.wait(args.seconds)
    if not ended:
        client.leave()
    # The SDK calls back on its own thread: let a last callback finish before the counts are read.
    time.sleep(0.2)
    with lock:
        out.close()
        summary["counts"] = dict(counts)
    summary["left_by_server"] = ended
    print(json.dumps(summary), flush=True)
    return 0 if summary["join_reason"] == 0 and ended else 1


if __name__ == "__main__":
    code = main()
    sys.stderr.flush()
    # Not sys.exit: at interpreter shutdown the SDK 1.1.0's C++ threads are still joinable and std::terminate
    # aborts the process ("terminate called without an active exception"), which would hide the exit code.
    os._exit(code)
