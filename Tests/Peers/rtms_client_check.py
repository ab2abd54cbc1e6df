#!/usr/bin/python3
"""A minimal, independent RTMS client, written from the reference documents, to check an RTMS server
(Tests/Peers/rtms_server.py, or mediactl's own emulator) from the outside.

Signaling handshake, one `all` media connection (or one per offered type with --per-type), client ready ack after
every media handshake, event subscription, keep-alive responses echoing timestamp and sequence on every
connection, reconnection (a new signaling handshake) when a connection drops or no keep-alive came for
--keepalive-timeout seconds, until the server says the stream is terminated (msg 8, state 4) or --seconds pass.

  rtms_client_check.py --ready server-ready.json --seconds 20 --out got.ndjson [--compare-log server.ndjson]
  rtms_client_check.py --signaling-url ws://127.0.0.1:P/signaling --meeting-uuid U --stream-id S ...

--out: NDJSON, one line per received message: {"t":s,"wall_ms":ms,"connection":"media-2","frame":"text","msg":{...}}
stdout: one JSON summary line. Exit codes: 0 the stream ended (and, with --compare-log, matched the server's log),
1 comparison failed, 3 a handshake answered a non-zero status_code, 4 gave up reconnecting, 5 --seconds passed
before the stream ended, 6 never connected.
"""
import argparse
import asyncio
import json
import os
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rtms_common import (  # noqa: E402
    MEDIA_ALL, MEDIA_BITS, MEDIA_NAMES, decode_frame, encode, rtms_signature, ws_connect,
)
from websockets.exceptions import ConnectionClosed  # noqa: E402
import rtms_compare  # noqa: E402

DEFAULT_PARAMS = {
    "audio": {"content_type": 2, "sample_rate": 1, "channel": 1, "codec": 1, "data_opt": 1, "send_rate": 20},
    "video": {"codec": 7, "resolution": 2, "fps": 25},
    "deskshare": {"codec": 5, "resolution": 3, "fps": 1},
    "transcript": {"content_type": 5, "src_language": 9, "enable_lid": True},
}


class HandshakeFailed(Exception):
    def __init__(self, which, status, reason):
        super().__init__(f"{which} handshake status {status}: {reason}")
        self.which, self.status, self.reason = which, status, reason


class Client:
    def __init__(self, args):
        self.args = args
        self.start = time.monotonic()
        self.out = open(args.out, "w", encoding="utf-8") if args.out else None
        self.received = []
        self.counts = {}
        self.conn_no = 0
        self.keepalives_answered = 0
        self.reconnects = []
        self.ended = None  # the stream state update that ended the stream
        self.session_stopped = None
        self.handshake_failure = None
        self.events = []
        self.transcripts = []
        self.media_bytes = {}
        self.signature = args.signature or rtms_signature(args.client_secret, args.client_id, args.meeting_uuid,
                                                          args.stream_id)
        self.ssl = None
        if args.signaling_url.startswith("wss:"):
            self.ssl = ssl.create_default_context(cafile=args.ca_file)
            if args.insecure:
                self.ssl.check_hostname = False
                self.ssl.verify_mode = ssl.CERT_NONE
        self.subscribed = False
        self.close_requested = False
        self.notes = []

    def elapsed(self):
        return time.monotonic() - self.start

    def record(self, name, frame):
        msg, kind, text = decode_frame(frame)
        rec = {"t": round(self.elapsed(), 6), "wall_ms": int(time.time() * 1000), "connection": name, "frame": kind,
               "msg": msg}
        if msg is None:
            rec["raw"] = text[:4096]
        self.received.append(rec)
        if self.out:
            self.out.write(json.dumps(rec, separators=(",", ":")) + "\n")
            self.out.flush()
        if isinstance(msg, dict):
            t = msg.get("msg_type")
            self.counts[str(t)] = self.counts.get(str(t), 0) + 1
            content = msg.get("content") if isinstance(msg.get("content"), dict) else {}
            if t in (14, 15, 16) and isinstance(content.get("length"), int):
                self.media_bytes[str(t)] = self.media_bytes.get(str(t), 0) + content["length"]
            if t == 17:
                self.transcripts.append(content.get("data"))
            if t == 6 and isinstance(msg.get("event"), dict):
                self.events.append(msg["event"].get("event_type"))
        return msg if isinstance(msg, dict) else None

    async def send(self, ws, msg):
        text = encode(msg)
        await ws.send(text.encode() if self.args.binary else text)

    async def connect(self, url):
        return await ws_connect(url, ssl=self.ssl, max_size=None, ping_interval=None, open_timeout=5,
                                        close_timeout=1, compression=None)

    async def handshake(self, url, kind, msg, want):
        ws = await self.connect(url)
        self.conn_no += 1
        name = f"{kind}-{self.conn_no}"
        await self.send(ws, msg)
        while True:
            resp = self.record(name, await asyncio.wait_for(ws.recv(), 10))
            if resp and resp.get("msg_type") == want:
                break
            self.notes.append(f"{name}: message before the handshake response: {resp and resp.get('msg_type')}")
        if resp.get("status_code") != 0:
            await ws.close()
            raise HandshakeFailed(kind, resp.get("status_code"), resp.get("reason"))
        return name, ws, resp

    async def session(self, deadline):
        a = self.args
        ident = {a.id_field: a.meeting_uuid, "rtms_stream_id": a.stream_id}
        conns = []
        try:
            sig_name, sig, resp = await self.handshake(a.signaling_url, "signaling", {
                "msg_type": 1, "protocol_version": 1, "sequence": 1, **ident, "signature": self.signature,
                "buffer_data": False}, 2)
            conns.append((sig_name, sig))
            urls = (resp.get("media_server") or {}).get("server_urls") or {}
            if not a.per_type and "all" in urls:
                targets = [("all", urls["all"])]
            else:
                targets = [(n, urls[n]) for n in MEDIA_NAMES if n in urls and n in a.media.split(",")]
            if not targets:
                raise HandshakeFailed("media", "none", f"no usable media URL in {urls}")
            for name, url in targets:
                mt = MEDIA_ALL if name == "all" else MEDIA_BITS[name]
                wanted = [n for n in a.media.split(",") if n in MEDIA_BITS] if name == "all" else [name]
                params = {n: a.params[n] for n in wanted if n in a.params}
                m_name, m, _ = await self.handshake(url, "media", {
                    "msg_type": 3, "protocol_version": 1, "sequence": 0, **ident, "signature": self.signature,
                    "media_type": mt, "media_params": params}, 4)
                conns.append((m_name, m))
                await self.send(sig, {"msg_type": 7, "rtms_stream_id": a.stream_id})
            if not self.subscribed:
                self.subscribed = True
                await self.send(sig, {"msg_type": 5, "events": [{"event_type": e, "subscribe": True}
                                                                 for e in (2, 3, 4)]})
        except HandshakeFailed:
            for _, ws in conns:
                await ws.close()
            raise
        except (OSError, ConnectionClosed, asyncio.TimeoutError) as e:
            for _, ws in conns:
                await ws.close()
            return f"connect-failed: {type(e).__name__}: {e}"

        last_ka = {name: time.monotonic() for name, _ in conns}
        finished = {}
        if a.ignore_keepalives:
            a.keepalive_timeout = float("inf")

        async def reader(name, ws):
            try:
                async for frame in ws:
                    msg = self.record(name, frame)
                    if not msg:
                        continue
                    t = msg.get("msg_type")
                    if t == 12:
                        last_ka[name] = time.monotonic()
                        if a.ignore_keepalives:
                            continue
                        reply = {"msg_type": 13, "timestamp": msg.get("timestamp")}
                        if "sequence" in msg:
                            reply["sequence"] = msg["sequence"]
                        await self.send(ws, reply)
                        self.keepalives_answered += 1
                    elif t == 8 and msg.get("state") == 4:
                        self.ended = msg
                    elif t == 9 and msg.get("state") == 5:
                        self.session_stopped = msg
            except ConnectionClosed:
                pass
            finished[name] = (ws.close_code, ws.close_reason)

        tasks = [asyncio.ensure_future(reader(n, w)) for n, w in conns]
        if a.close_stream_after is not None and not self.close_requested:
            async def request_close():
                await asyncio.sleep(a.close_stream_after)
                self.close_requested = True
                await self.send(sig, {"msg_type": 21, "rtms_stream_id": a.stream_id})
            tasks.append(asyncio.ensure_future(request_close()))
        outcome = None
        ended_at = None
        while outcome is None:
            await asyncio.sleep(0.05)
            now = time.monotonic()
            if self.ended is not None:
                ended_at = ended_at or now
                if len(finished) == len(conns) or now - ended_at > 5:
                    outcome = "ended"
            elif finished:
                outcome = "dropped: " + ", ".join(f"{n} closed ({c})" for n, (c, _) in finished.items())
            elif any(now - t > a.keepalive_timeout for t in last_ka.values()):
                quiet = [n for n, t in last_ka.items() if now - t > a.keepalive_timeout]
                outcome = f"keepalive-timeout: {', '.join(quiet)}"
            elif now > deadline:
                outcome = "deadline"
        for _, ws in conns:
            try:
                await asyncio.wait_for(ws.close(), 2)
            except Exception:  # noqa: BLE001
                ws.transport.close()
        for t in tasks:
            t.cancel()
        return outcome

    async def run(self):
        a = self.args
        deadline = self.start + a.seconds
        backoff = 0.2
        connected_once = False
        code = None
        while True:
            try:
                outcome = await self.session(deadline)
            except HandshakeFailed as e:
                self.handshake_failure = {"which": e.which, "status_code": e.status, "reason": e.reason}
                code = 3
                break
            if not outcome.startswith("connect-failed"):
                connected_once = True
            if outcome == "ended":
                code = 0
                break
            if outcome == "deadline" or time.monotonic() > deadline:
                code = 5
                break
            if not a.reconnect or len(self.reconnects) >= a.max_reconnects:
                self.reconnects.append({"t": round(self.elapsed(), 3), "why": outcome, "gave_up": True})
                code = 4 if connected_once else 6
                break
            self.reconnects.append({"t": round(self.elapsed(), 3), "why": outcome})
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 2.0)
        summary = {"exit_code": code, "ended": self.ended, "session_stopped": self.session_stopped,
                   "handshake_failure": self.handshake_failure, "reconnects": self.reconnects,
                   "counts": self.counts, "media_bytes": self.media_bytes,
                   "keepalives_answered": self.keepalives_answered, "events": self.events,
                   "transcripts": self.transcripts[:5] + (["..."] if len(self.transcripts) > 5 else []),
                   "transcript_count": len(self.transcripts), "elapsed": round(self.elapsed(), 3),
                   "notes": self.notes}
        if a.compare_log:
            log = rtms_compare.load_ndjson(a.compare_log)
            msgs = rtms_compare.received_messages(self.received)
            report = rtms_compare.compare(log, msgs, ignore_types=rtms_compare.parse_types(a.ignore_types),
                                          allow_tail_loss=a.allow_tail_loss)
            summary["compare"] = report
            if code == 0 and not report["ok"]:
                code = 1
                summary["exit_code"] = 1
        print(json.dumps(summary))
        return code


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ready", help="file whose first line is rtms_server.py's ready JSON (fills the ids and URL)")
    ap.add_argument("--signaling-url")
    ap.add_argument("--meeting-uuid", help="the session id value (meeting_uuid / session_id / engagement_id)")
    ap.add_argument("--id-field", default=None, help="handshake field for the id (default meeting_uuid)")
    ap.add_argument("--stream-id")
    ap.add_argument("--client-id", default=os.environ.get("ZM_RTMS_CLIENT", "testclient"))
    ap.add_argument("--client-secret", default=os.environ.get("ZM_RTMS_SECRET", "testsecret"))
    ap.add_argument("--signature", help="use this signature instead of computing one (e.g. a wrong one)")
    ap.add_argument("--media", default="audio,video,transcript", help="media to ask for")
    ap.add_argument("--media-params", help="JSON object replacing the default media_params")
    ap.add_argument("--per-type", action="store_true", help="one media connection per type instead of `all`")
    ap.add_argument("--binary", action="store_true", help="send JSON in binary frames, as Zoom's SDK does")
    ap.add_argument("--seconds", type=float, default=30.0, help="give up after this long")
    ap.add_argument("--keepalive-timeout", type=float, default=65.0,
                    help="reconnect when a connection has had no keep-alive request for this long")
    ap.add_argument("--close-stream-after", type=float, help="send a stream close request (21) after S seconds")
    ap.add_argument("--ignore-keepalives", action="store_true", help="never answer keep-alives (server test)")
    ap.add_argument("--no-reconnect", dest="reconnect", action="store_false")
    ap.add_argument("--max-reconnects", type=int, default=5)
    ap.add_argument("--out", help="NDJSON of every received message")
    ap.add_argument("--compare-log", help="rtms_server.py --log file to compare the received messages with")
    ap.add_argument("--ignore-types", default="", help="msg_types left out of the comparison")
    ap.add_argument("--allow-tail-loss", action="store_true")
    ap.add_argument("--ca-file")
    ap.add_argument("--insecure", action="store_true")
    args = ap.parse_args()
    if args.ready:
        with open(args.ready, encoding="utf-8") as f:
            ready = json.loads(f.readline())
        args.signaling_url = args.signaling_url or ready["signaling_url"]
        args.meeting_uuid = args.meeting_uuid or ready["meeting_uuid"]
        args.stream_id = args.stream_id or ready["rtms_stream_id"]
        args.id_field = args.id_field or ready.get("id_field")
    args.id_field = args.id_field or "meeting_uuid"
    if not (args.signaling_url and args.meeting_uuid and args.stream_id):
        ap.error("need --ready, or --signaling-url, --meeting-uuid and --stream-id")
    args.params = json.loads(args.media_params) if args.media_params else DEFAULT_PARAMS
    sys.exit(asyncio.run(Client(args).run()))


if __name__ == "__main__":
    main()
