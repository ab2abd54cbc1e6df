#!/usr/bin/python3
"""An independent Zoom RTMS server for end-to-end tests, written from the reference documents
(zoom-rtms-event-reference.txt, rtms-protocol-notes.md), not from mediactl's code.

One stream (meeting/webinar/session/contact-center), one signaling websocket at /signaling, media websockets at
/media/{audio,video,transcript,deskshare,chat,all}. Binds 127.0.0.1 only and exits after --max-seconds at the latest.

stdout: one JSON line when ready ({"ready":true,"signaling_url":...}), one JSON line when done ({"done":true,...}).
--log FILE: NDJSON, one object per line, flushed per line:
  {"dir":"sent","connection":"media-2","kind":"media","path":"/media/all","sequence":17,"msg_type":14,"msg":{...}}
      every message the server wrote; `sequence` counts per connection and direction from 1; `msg` re-encodes
      with compact separators (json.dumps(msg, separators=(",",":"))) to the exact text that went on the wire.
  {"dir":"recv",...,"frame":"text"|"binary","msg":{...} or null,"raw":"..." (only when not JSON)}
  {"dir":"send_failed",...} a message logged as sent whose write raised (connection already closed)
  {"dir":"unsent","reason":...,"msg_type":..,"msg":{...}} media/state produced while no live connection took it
  {"dir":"buffered"|"flushed",...} audio held during a disconnection (--buffer-audio) and later sent
  {"dir":"conn","event":"open"|"handshake"|"live"|"close",...,"closed_by":"server"|"client","code":..}
  {"dir":"ws-ping","payload":..,"answered":true|false,"rtt_ms":..} a websocket Ping (--ws-ping-interval) and its Pong
  {"dir":"fault",...} {"dir":"note",...} (protocol deviations seen, e.g. a keep-alive response mismatch)
  {"dir":"stream","event":"started"|"ended",...} {"dir":"summary",...}
  Every record also has "log_seq" (line number from 1), "t" (seconds since server start), "wall_ms".
Exit codes: 0 stream ended (duration over or client stream-close request), 3 --max-seconds reached,
4 stream ended because no client came back within --reconnect-wait, 2 usage.
"""
import argparse
import asyncio
import base64
import hashlib
import http
import json
import math
import os
import signal
import ssl
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rtms_common import (  # noqa: E402
    ID_FIELD, MEDIA_ALL, MEDIA_BITS, MEDIA_NAMES, WEBHOOK_PREFIX, decode_frame, encode,
    WEBSOCKETS_VERSION, rtms_signature, ws_serve,
)
from websockets.exceptions import ConnectionClosed  # noqa: E402

# Non-zero status codes. Two incompatible public tables exist (notes, "Status codes"); these follow the one in
# which 15 is "invalid signature". Clients must show the number and the reason text, never a name.
STATUS_INVALID_JSON = 3
STATUS_INVALID_MESSAGE_TYPE = 4
STATUS_SESSION_NOT_FOUND = 13
STATUS_SIGNATURE_NOT_EXIST = 14
STATUS_INVALID_SIGNATURE = 15
STATUS_MEDIA_NOT_AVAILABLE = 20

PARTICIPANTS = [(16778240, "Alice Tester"), (16779264, "Bob Tester")]
HANDSHAKE_TIMEOUT = 10.0


def now_ms() -> int:
    return int(time.time() * 1000)


# ----------------------------------------------------------------------------------------------------------------
# Deterministic media content


def sine_l16(sample_index: int, count: int, rate: int, channels: int, freq: float) -> bytes:
    """`count` frames of a sine at `freq` starting at absolute frame `sample_index`: signed 16-bit LE PCM."""
    amp = 8000
    out = []
    for k in range(sample_index, sample_index + count):
        v = int(round(amp * math.sin(2 * math.pi * freq * k / rate)))
        out.extend([v] * channels)
    return struct.pack("<%dh" % len(out), *out)


def filler(seed: str, size: int) -> bytes:
    """Deterministic bytes without 0x00 (no Annex B start code can appear inside) and without 0xFF."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        block = hashlib.sha256(f"{seed}/{counter}".encode()).digest()
        out.extend(b % 254 + 1 for b in block)
        counter += 1
    return bytes(out[:size])


def fake_frame(kind: str, codec: int, index: int, size: int, gop: int) -> bytes:
    """A frame that looks like its codec at a glance (start codes / magic bytes) but is not decodable."""
    key = index % max(gop, 1) == 0
    if codec == 7:  # H.264 Annex B: SPS + PPS + IDR on key frames, one non-IDR slice otherwise
        if key:
            return (b"\x00\x00\x00\x01\x67" + filler(f"{kind}-sps", 9)
                    + b"\x00\x00\x00\x01\x68" + filler(f"{kind}-pps", 4)
                    + b"\x00\x00\x00\x01\x65" + filler(f"{kind}-{index}", size * 4))
        return b"\x00\x00\x00\x01\x41" + filler(f"{kind}-{index}", size)
    if codec == 6:  # PNG signature
        return b"\x89PNG\r\n\x1a\n" + filler(f"{kind}-{index}", size)
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + filler(f"{kind}-{index}", size) + b"\xff\xd9"  # JPG


def h264_access_units(data: bytes) -> list:
    """Split an Annex B elementary stream into access units (each a bytes object with its start codes)."""
    starts = []
    i = 0
    n = len(data)
    while i + 3 <= n:
        if data[i] == 0 and data[i + 1] == 0 and data[i + 2] == 1:
            begin = i - 1 if i > 0 and data[i - 1] == 0 else i
            starts.append((begin, i + 3))
            i += 3
        else:
            i += 1
    nals = []
    for j, (begin, payload) in enumerate(starts):
        end = starts[j + 1][0] if j + 1 < len(starts) else n
        nals.append((data[begin:end], data[payload] & 0x1F if payload < n else 0,
                     data[payload + 1] if payload + 1 < n else 0))
    units, current, has_vcl = [], [], False
    for raw, nal_type, next_byte in nals:
        first_slice = nal_type in (1, 5) and next_byte & 0x80  # first_mb_in_slice == 0 (ue(v) "1")
        if has_vcl and (nal_type in (6, 7, 8, 9) or first_slice):
            units.append(b"".join(current))
            current, has_vcl = [], False
        current.append(raw)
        has_vcl = has_vcl or nal_type in (1, 5)
    if current:
        units.append(b"".join(current))
    return [u for u in units if u]


# ----------------------------------------------------------------------------------------------------------------
# Parameter negotiation (reference: "Media handshake request", field table)

AUDIO_RATES = {0: 8000, 1: 16000, 2: 32000, 3: 48000}


def negotiate(name: str, req: dict, notes: list) -> dict:
    req = req if isinstance(req, dict) else {}
    if name == "audio":
        p = {"content_type": 2, "sample_rate": 1, "channel": 1, "codec": 1, "data_opt": 1, "send_rate": 20}
        for k in p:
            if isinstance(req.get(k), int) and not isinstance(req.get(k), bool):
                p[k] = req[k]
        if p["codec"] != 1:
            notes.append(f"audio codec {p['codec']} requested; this server only generates L16 (1)")
            p["codec"] = 1
        if p["sample_rate"] not in AUDIO_RATES:
            p["sample_rate"] = 1
        if p["channel"] != 1:
            notes.append("stereo is for Opus only; answering mono")
            p["channel"] = 1
        if p["data_opt"] not in (1, 2):
            p["data_opt"] = 1
        rate = p["send_rate"]
        rate = min(1000, max(20, (rate // 20) * 20))
        if rate != p["send_rate"]:
            notes.append(f"audio send_rate {p['send_rate']} is not a multiple of 20 up to 1000; using {rate}")
        p["send_rate"] = rate
        p["content_type"] = 2
        return p
    if name in ("video", "deskshare"):
        limit = 5 if name == "video" else 1
        p = {"content_type": 3, "codec": 5, "resolution": 2 if name == "video" else 3, "fps": limit}
        if name == "video":
            p["data_opt"] = 3
        for k in ("codec", "resolution", "fps", "data_opt"):
            if k in p and isinstance(req.get(k), int) and not isinstance(req.get(k), bool):
                p[k] = req[k]
        if p["fps"] < 1:
            p["fps"] = 1
        if p["fps"] > 30:
            p["fps"] = 30
        if p["codec"] not in (5, 6, 7):
            p["codec"] = 5
        if p["fps"] > limit and "codec" not in req:
            notes.append(f"{name} fps > {limit} without a codec: JPG at {limit} fps (reference)")
            p["codec"], p["fps"] = 5, limit
        if p["codec"] in (5, 6) and p["fps"] > limit:
            notes.append(f"{name} JPG/PNG only at fps <= {limit}")
            p["fps"] = limit
        if p["resolution"] not in (1, 2, 3, 4):
            p["resolution"] = 2
        return p
    if name == "transcript":
        p = {"content_type": 5, "src_language": 9, "enable_lid": True}
        if isinstance(req.get("src_language"), int):
            p["src_language"] = req["src_language"]
        if isinstance(req.get("enable_lid"), bool):
            p["enable_lid"] = req["enable_lid"]
        return p
    return {"content_type": 5}  # chat


# ----------------------------------------------------------------------------------------------------------------


class Log:
    def __init__(self, path):
        self.f = open(path, "w", encoding="utf-8") if path else None
        self.n = 0
        self.start = time.monotonic()
        self.counts = {}

    def write(self, rec: dict):
        self.n += 1
        key = rec["dir"] + (":%s" % rec["msg_type"] if "msg_type" in rec else "")
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.f:
            base = {"log_seq": self.n, "t": round(time.monotonic() - self.start, 6), "wall_ms": now_ms()}
            base.update(rec)
            self.f.write(json.dumps(base, separators=(",", ":")) + "\n")
            self.f.flush()


class Conn:
    counter = 0

    def __init__(self, server, ws, kind, path):
        Conn.counter += 1
        self.id = f"{kind}-{Conn.counter}"
        self.server, self.ws, self.kind, self.path = server, ws, kind, path
        self.queue = asyncio.Queue()
        self.sent = 0
        self.received = 0
        self.ka_seq = 0
        self.outstanding = {}  # keep-alive sequence -> timestamp
        self.silenced = False
        self.live = False
        self.handshaken = False
        self.types = set()
        self.closed = False
        self.server_closing = False
        self.writer_task = asyncio.ensure_future(self.writer())
        self.ka_task = None
        self.ping_task = asyncio.ensure_future(self.pinger()) if server.args.ws_ping_interval else None

    def ident(self):
        return {"connection": self.id, "kind": self.kind, "path": self.path}

    def enqueue(self, msg):
        self.queue.put_nowait(msg)

    async def writer(self):
        log = self.server.log
        binary = self.server.args.send_binary
        while True:
            msg = await self.queue.get()
            try:
                if msg is None:
                    return
                if self.closed:
                    log.write({"dir": "unsent", "reason": "connection closed", **self.ident(),
                               "msg_type": msg.get("msg_type"), "msg": msg})
                    continue
                self.sent += 1
                text = encode(msg)
                log.write({"dir": "sent", **self.ident(), "sequence": self.sent, "msg_type": msg.get("msg_type"),
                           "msg": msg})
                try:
                    await self.ws.send(text.encode() if binary else text)
                except ConnectionClosed:
                    log.write({"dir": "send_failed", **self.ident(), "sequence": self.sent,
                               "msg_type": msg.get("msg_type")})
            finally:
                self.queue.task_done()

    async def pinger(self):
        """RFC 6455 5.5.2/5.5.3: a Ping must be answered by a Pong with the same application data. Logs
        {"dir":"ws-ping","payload":...,"answered":true|false,"rtt_ms":...} per ping (unanswered after 2 intervals)."""
        interval = self.server.args.ws_ping_interval
        n = 0
        while not self.closed:
            await asyncio.sleep(interval)
            if self.closed:
                return
            n += 1
            payload = f"{self.id}/{n}".encode()
            sent = time.monotonic()
            try:
                waiter = await self.ws.ping(payload)
                await asyncio.wait_for(asyncio.shield(waiter), 2 * interval)
                self.server.log.write({"dir": "ws-ping", **self.ident(), "payload": payload.decode(), "answered": True,
                                       "rtt_ms": round((time.monotonic() - sent) * 1000, 3)})
            except asyncio.TimeoutError:
                self.server.log.write({"dir": "ws-ping", **self.ident(), "payload": payload.decode(),
                                       "answered": False})
            except ConnectionClosed:
                return

    def drain_unsent(self, reason):
        while not self.queue.empty():
            msg = self.queue.get_nowait()
            self.queue.task_done()
            if msg is not None:
                self.server.log.write({"dir": "unsent", "reason": reason, **self.ident(),
                                       "msg_type": msg.get("msg_type"), "msg": msg})

    def abort(self, why):
        """Close the TCP connection without a websocket close frame (what a network drop looks like).
        Messages already written are flushed first (FIN, not RST): what the log calls sent does arrive."""
        if self.closed:
            return
        self.server_closing = True
        self.writer_task.cancel()
        self.drain_unsent(why)
        self.server.log.write({"dir": "conn", "event": "abort", **self.ident(), "why": why})
        self.ws.transport.close()

    async def close(self, code, reason):
        """Send what is queued, then a websocket close handshake."""
        if self.closed:
            return
        self.server_closing = True
        self.enqueue(None)
        try:
            await asyncio.wait_for(asyncio.shield(self.writer_task), 5)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            pass
        try:
            await asyncio.wait_for(self.ws.close(code, reason), 3)
        except Exception:  # noqa: BLE001 - a peer that vanished while closing is fine here
            self.ws.transport.close()


class Track:
    def __init__(self, name, period, first_due, make):
        self.name, self.period, self.first_due, self.make, self.i = name, period, first_due, make, 0

    def due(self):
        return self.first_due + self.i * self.period


class RTMSServer:
    def __init__(self, args):
        self.args = args
        self.log = Log(args.log)
        self.id_field = ID_FIELD[args.product]
        self.scopes = [s for s in MEDIA_NAMES if s in args.scopes.split(",")]
        self.signature = rtms_signature(args.client_secret, args.client_id, args.meeting_uuid, args.stream_id)
        self.session_id = hashlib.sha1(("session/" + args.stream_id).encode()).hexdigest()[:32]
        self.signaling = None
        self.media = []  # open media connections
        self.conns = set()  # every open connection
        self.ever_connected = False
        self.idle_since = None
        self.t0 = None
        self.wall0 = None
        self.params = {}  # negotiated per media name, first negotiation wins
        self.buffer = []
        self.ended = False
        self.exit_code = None
        self.done = asyncio.Event()
        self.subscriptions = {}
        self.video_user = None
        self.faults = parse_faults(args.fault)
        self.h264_units = None
        if args.video_h264:
            with open(args.video_h264, "rb") as f:
                self.h264_units = h264_access_units(f.read())
            if not self.h264_units:
                raise SystemExit("no access units in --video-h264 file")

    # -- helpers ------------------------------------------------------------------------------------------------
    def note(self, conn, note, **detail):
        rec = {"dir": "note", "note": note}
        if conn:
            rec.update(conn.ident())
        rec.update(detail)
        self.log.write(rec)

    def url(self, path):
        scheme = "wss" if self.args.tls_cert else "ws"
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def server_urls(self):
        urls = {}
        if self.args.media_urls in ("per-type", "both"):
            for name in self.scopes:
                urls[name] = self.url(f"/media/{name}")
        if self.args.media_urls in ("all", "both"):
            urls["all"] = self.url("/media/all")
        return urls

    # -- connection plumbing --------------------------------------------------------------------------------------
    async def process_request(self, path, headers):
        bare = path.split("?", 1)[0]
        allowed = ["/signaling"] + [f"/media/{m}" for m in MEDIA_NAMES] + ["/media/all"]
        if bare not in allowed:
            return http.HTTPStatus.NOT_FOUND, [], b"no such endpoint\n"
        return None

    async def handler(self, ws):
        path = ws.path.split("?", 1)[0]
        kind = "signaling" if path == "/signaling" else "media"
        conn = Conn(self, ws, kind, path)
        self.conns.add(conn)
        self.ever_connected = True
        self.idle_since = None
        peer = ws.remote_address
        self.log.write({"dir": "conn", "event": "open", **conn.ident(), "remote": f"{peer[0]}:{peer[1]}"})
        try:
            if kind == "signaling":
                await self.run_signaling(conn)
            else:
                await self.run_media(conn)
        except ConnectionClosed:
            pass
        finally:
            await self.closed(conn)

    async def recv(self, conn, timeout=None):
        frame = await (asyncio.wait_for(conn.ws.recv(), timeout) if timeout else conn.ws.recv())
        msg, kind, text = decode_frame(frame)
        conn.received += 1
        rec = {"dir": "recv", **conn.ident(), "sequence": conn.received,
               "msg_type": msg.get("msg_type") if isinstance(msg, dict) else None, "frame": kind, "msg": msg}
        if msg is None:
            rec["raw"] = text[:4096]
        self.log.write(rec)
        return msg if isinstance(msg, dict) else None

    async def closed(self, conn):
        conn.closed = True
        if conn.ka_task:
            conn.ka_task.cancel()
        if conn.ping_task:
            conn.ping_task.cancel()
        conn.drain_unsent("connection closed")
        conn.enqueue(None)
        self.conns.discard(conn)
        if conn in self.media:
            self.media.remove(conn)
        if self.signaling is conn:
            self.signaling = None
        ws = conn.ws
        self.log.write({"dir": "conn", "event": "close", **conn.ident(),
                        "closed_by": "server" if conn.server_closing else "client",
                        "code": ws.close_code, "reason": ws.close_reason,
                        "sent": conn.sent, "received": conn.received,
                        "keepalive_unanswered": len(conn.outstanding)})
        if not self.conns:
            self.idle_since = time.monotonic()

    def start_keepalive(self, conn):
        conn.ka_task = asyncio.ensure_future(self.keepalive(conn))

    async def keepalive(self, conn):
        interval = self.args.keepalive_interval
        while not conn.closed and not self.ended:
            await asyncio.sleep(interval)
            if conn.closed or self.ended:
                return
            if conn.silenced:
                continue
            misses = self.args.keepalive_misses
            if misses and len(conn.outstanding) >= misses:
                self.note(conn, "keepalive-unanswered", count=len(conn.outstanding),
                          sequences=sorted(conn.outstanding))
                conn.abort("keep-alive requests unanswered")
                return
            conn.ka_seq += 1
            ts = now_ms()
            conn.outstanding[conn.ka_seq] = ts
            conn.enqueue({"msg_type": 12, "timestamp": ts, "sequence": conn.ka_seq})

    def keepalive_response(self, conn, msg):
        seq, ts = msg.get("sequence"), msg.get("timestamp")
        if seq is None:
            self.note(conn, "keepalive-response-without-sequence", msg=msg)
            match = [s for s, t in conn.outstanding.items() if t == ts]
            if match:
                del conn.outstanding[match[0]]
            else:
                self.note(conn, "keepalive-response-unmatched", msg=msg)
            return
        if seq not in conn.outstanding:
            self.note(conn, "keepalive-response-unknown-sequence", msg=msg)
            return
        expected = conn.outstanding.pop(seq)
        if ts != expected:
            self.note(conn, "keepalive-timestamp-mismatch", sequence=seq, expected=expected, got=ts)
        # answers to older requests that were skipped stay outstanding and count as misses

    # -- handshakes -------------------------------------------------------------------------------------------------
    def check_handshake(self, conn, msg, want_type):
        """-> (status, reason); notes for lenient deviations."""
        if msg is None:
            return STATUS_INVALID_JSON, "message is not valid JSON"
        if msg.get("msg_type") != want_type:
            return STATUS_INVALID_MESSAGE_TYPE, f"expected msg_type {want_type}, got {msg.get('msg_type')!r}"
        if msg.get("protocol_version") != 1:
            self.note(conn, "protocol_version-not-1", got=msg.get("protocol_version"))
        sid = msg.get(self.id_field)
        if sid is None and self.id_field != "meeting_uuid" and "meeting_uuid" in msg:
            self.note(conn, f"meeting_uuid sent instead of {self.id_field}")
            sid = msg.get("meeting_uuid")
        if sid != self.args.meeting_uuid:
            return STATUS_SESSION_NOT_FOUND, f"unknown {self.id_field} {sid!r}"
        if msg.get("rtms_stream_id") != self.args.stream_id:
            return STATUS_SESSION_NOT_FOUND, f"unknown rtms_stream_id {msg.get('rtms_stream_id')!r}"
        sig = msg.get("signature")
        if not sig:
            return STATUS_SIGNATURE_NOT_EXIST, "signature missing"
        if sig != self.signature:
            return STATUS_INVALID_SIGNATURE, "invalid signature"
        return 0, ""

    async def run_signaling(self, conn):
        try:
            msg = await self.recv(conn, HANDSHAKE_TIMEOUT)
        except asyncio.TimeoutError:
            self.note(conn, "no-signaling-handshake-within-timeout")
            await conn.close(1008, "no handshake")
            return
        status, reason = self.check_handshake(conn, msg, 1)
        if status == 0 and msg.get("sequence") != 1:
            self.note(conn, "signaling-sequence-not-1", got=msg.get("sequence"))
        if status == 0 and "status" in self.faults:
            status, reason = self.faults["status"], f"simulated failure {self.faults['status']}"
            self.log.write({"dir": "fault", "fault": "status", "status_code": status, **conn.ident()})
        resp = {"msg_type": 2, "protocol_version": 1, "sequence": 0, "status_code": status, "reason": reason}
        if status != 0:
            conn.enqueue(resp)
            await conn.close(1000, "handshake failed")
            return
        resp["media_server"] = {"server_urls": self.server_urls()}
        old = self.signaling
        self.signaling = conn
        conn.handshaken = True
        if old is not None:
            self.supersede(old)
        conn.enqueue(resp)
        self.log.write({"dir": "conn", "event": "handshake", **conn.ident()})
        self.start_keepalive(conn)
        while True:
            msg = await self.recv(conn)
            if msg is None:
                self.note(conn, "unparseable-message")
                continue
            await self.on_signaling_message(conn, msg)

    def supersede(self, old_sig):
        """A second signaling connection for the stream knocks out the first and its media connections."""
        self.note(old_sig, "superseded-by-new-signaling-connection")
        victims = [old_sig] + [m for m in self.media]
        for m in victims:
            m.live = False
        asyncio.ensure_future(asyncio.gather(*(c.close(1000, "superseded by a new signaling connection")
                                               for c in victims)))

    async def on_signaling_message(self, conn, msg):
        t = msg.get("msg_type")
        if conn is not self.signaling:
            self.note(conn, "message-on-stale-signaling", msg_type=t)
        if t == 13:
            self.keepalive_response(conn, msg)
        elif t == 7:
            await self.client_ready(conn, msg)
        elif t == 5:
            for ev in msg.get("events") or []:
                if isinstance(ev, dict):
                    self.subscriptions[ev.get("event_type")] = bool(ev.get("subscribe"))
        elif t == 10:
            state = 5 if self.ended else (2 if self.t0 is not None else 1)
            conn.enqueue({"msg_type": 11, "rtms_session_id": self.session_id, "state": state, "timestamp": now_ms()})
        elif t == 19:
            state = 4 if self.ended else 1
            conn.enqueue({"msg_type": 20, "state": state, "rtms_stream_id": self.args.stream_id, "timestamp": now_ms()})
        elif t == 21:
            conn.enqueue({"msg_type": 22, "rtms_stream_id": self.args.stream_id, "status_code": 0, "reason": "OK",
                          "timestamp": now_ms()})
            asyncio.ensure_future(self.finish(20, 0))
        elif t == 28:
            self.video_user = msg.get("user_id") if msg.get("subscribe", True) else None
            conn.enqueue({"msg_type": 29, "user_id": msg.get("user_id"), "status_code": 0, "reason": "OK",
                          "timestamp": now_ms()})
        else:
            self.note(conn, "unexpected-message-on-signaling", msg_type=t)

    async def client_ready(self, conn, msg):
        if msg.get("rtms_stream_id") not in (None, self.args.stream_id):
            self.note(conn, "client-ready-ack-wrong-stream", got=msg.get("rtms_stream_id"))
        newly = [m for m in self.media if m.handshaken and not m.live and not m.closed]
        if not newly:
            self.note(conn, "client-ready-ack-without-new-media-connection")
        first = self.t0 is None
        if first:
            self.start_stream(conn)
        for m in newly:
            m.live = True
            self.log.write({"dir": "conn", "event": "live", **m.ident(), "types": sorted(m.types)})
            if self.buffer and "audio" in m.types:
                self.log.write({"dir": "flushed", "count": len(self.buffer), **m.ident()})
                for b in self.buffer:
                    m.enqueue(b)
                self.buffer = []
        if first:
            asyncio.ensure_future(self.media_loop())
            for name, value in self.faults.items():
                if name.endswith("-at"):
                    asyncio.ensure_future(self.fault_at(name, value))

    def start_stream(self, sig):
        self.t0 = time.monotonic()
        self.wall0 = now_ms()
        self.log.write({"dir": "stream", "event": "started", "wall0_ms": self.wall0, "params": self.params})
        ts = self.wall0
        sig.enqueue({"msg_type": 6, "event": {"event_type": 1, "timestamp": ts}})
        sig.enqueue({"msg_type": 9, "state": 2, "timestamp": ts, "rtms_session_id": self.session_id})
        people = [{"user_id": u, "user_name": n} for u, n in PARTICIPANTS]
        sig.enqueue({"msg_type": 6, "event": {"event_type": 3, "timestamp": ts, "participants": people}})
        sig.enqueue({"msg_type": 6, "event": {"event_type": 2, "timestamp": ts,
                                                "user_id": PARTICIPANTS[0][0], "user_name": PARTICIPANTS[0][1]}})

    async def run_media(self, conn):
        try:
            msg = await self.recv(conn, HANDSHAKE_TIMEOUT)
        except asyncio.TimeoutError:
            self.note(conn, "no-media-handshake-within-timeout")
            await conn.close(1008, "no handshake")
            return
        status, reason = self.check_handshake(conn, msg, 3)
        types, notes = set(), []
        if status == 0 and self.signaling is None:
            status, reason = STATUS_SESSION_NOT_FOUND, "no signaling connection for this stream"
        if status == 0:
            path_type = conn.path.rsplit("/", 1)[-1]
            path_types = set(self.scopes) if path_type == "all" else {path_type}
            mt = msg.get("media_type")
            if not isinstance(mt, int):
                self.note(conn, "media_type-missing; using the URL's type")
                mt = MEDIA_ALL if path_type == "all" else MEDIA_BITS[path_type]
            requested = set(self.scopes) if mt & MEDIA_ALL else {n for n, b in MEDIA_BITS.items() if mt & b}
            if not requested <= path_types and path_type != "all":
                self.note(conn, "media_type-does-not-match-url", media_type=mt, path=conn.path)
            types = requested & path_types & set(self.scopes)
            if not types:
                status, reason = STATUS_MEDIA_NOT_AVAILABLE, f"media_type {mt} not available on {conn.path}"
        if status == 0 and "media-status" in self.faults:
            status = self.faults["media-status"]
            reason = f"simulated failure {status}"
            self.log.write({"dir": "fault", "fault": "media-status", "status_code": status, **conn.ident()})
        resp = {"msg_type": 4, "protocol_version": 1, "status_code": status, "reason": reason, "sequence": 0,
                "payload_encrypted": False}
        if status != 0:
            conn.enqueue(resp)
            await conn.close(1000, "handshake failed")
            return
        req_params = msg.get("media_params") if isinstance(msg.get("media_params"), dict) else {}
        answer = {}
        for name in MEDIA_NAMES:
            if name not in types:
                continue
            p = negotiate(name, req_params.get(name), notes)
            if name in self.params and self.params[name] != p:
                if self.t0 is not None:
                    notes.append(f"{name} params differ from the stream's; answering the stream's")
                    p = self.params[name]
                else:
                    self.params[name] = p
            else:
                self.params.setdefault(name, p)
            answer[name] = p
        for n in notes:
            self.note(conn, "negotiation", detail=n)
        resp["media_params"] = answer
        conn.types = types
        conn.handshaken = True
        self.media.append(conn)
        conn.enqueue(resp)
        self.log.write({"dir": "conn", "event": "handshake", **conn.ident(), "types": sorted(types)})
        self.start_keepalive(conn)

        def waiting_for_ack():
            if not conn.live and not conn.closed and not self.ended:
                self.note(conn, "media-connection-waiting-for-client-ready-ack",
                          detail="media flows on a connection only after a client ready ack (7) that follows "
                                 "its handshake")
        asyncio.get_running_loop().call_later(2.0, waiting_for_ack)
        while True:
            msg = await self.recv(conn)
            if msg is None:
                self.note(conn, "unparseable-message")
            elif msg.get("msg_type") == 13:
                self.keepalive_response(conn, msg)
            else:
                self.note(conn, "unexpected-message-on-media", msg_type=msg.get("msg_type"))

    # -- media ------------------------------------------------------------------------------------------------------
    def build_tracks(self):
        a = self.args
        tracks = []
        wall0 = self.wall0
        if "audio" in self.scopes:
            p = self.params.get("audio") or negotiate("audio", {}, [])
            rate = AUDIO_RATES[p["sample_rate"]]
            per = rate * p["send_rate"] // 1000
            users = PARTICIPANTS if p["data_opt"] == 2 else PARTICIPANTS[:1]

            def make_audio(i, p=p, rate=rate, per=per, users=users):
                out = []
                for k, (uid, uname) in enumerate(users):
                    data = sine_l16(i * per, per, rate, p["channel"], 440.0 + 220.0 * k)
                    out.append({"msg_type": 14, "content": {
                        "user_id": uid, "user_name": uname, "data": base64.b64encode(data).decode(),
                        "length": len(data), "timestamp": wall0 + i * p["send_rate"]}})
                return out
            tracks.append(Track("audio", p["send_rate"] / 1000.0, 0.0, make_audio))
        for name, mt in (("video", 15), ("deskshare", 16)):
            if name not in self.scopes:
                continue
            p = self.params.get(name) or negotiate(name, {}, [])
            fps = p["fps"]

            def make_video(i, p=p, fps=fps, name=name, mt=mt):
                if name == "video" and p.get("data_opt") == 4:
                    if self.video_user is None:
                        return []
                    uid, uname = self.video_user, dict(PARTICIPANTS).get(self.video_user, "")
                else:
                    uid, uname = PARTICIPANTS[0]
                if name == "video" and p["codec"] == 7 and self.h264_units:
                    data = self.h264_units[i % len(self.h264_units)]
                else:
                    data = fake_frame(name, p["codec"], i, self.args.video_bytes, fps)
                return [{"msg_type": mt, "content": {
                    "user_id": uid, "user_name": uname, "data": base64.b64encode(data).decode(),
                    "length": len(data), "timestamp": wall0 + int(round(i * 1000 / fps))}}]
            tracks.append(Track(name, 1.0 / fps, 0.0, make_video))
        if "transcript" in self.scopes:
            p = self.params.get("transcript") or negotiate("transcript", {}, [])

            def make_transcript(i, p=p):
                n = i + 1
                uid, uname = PARTICIPANTS[i % len(PARTICIPANTS)]
                return [{"msg_type": 17, "content": {
                    "user_id": uid, "user_name": uname, "start_time": wall0 + i * 1000,
                    "end_time": wall0 + n * 1000 - 1, "timestamp": wall0 + n * 1000,
                    "language": p["src_language"], "data": f"line {n}"}}]
            tracks.append(Track("transcript", a.transcript_interval, a.transcript_interval, make_transcript))
        if "chat" in self.scopes:
            def make_chat(i):
                uid, uname = PARTICIPANTS[i % len(PARTICIPANTS)]
                return [{"msg_type": 18, "content": {"user_id": uid, "user_name": uname,
                                                      "timestamp": wall0 + (i + 1) * 2000, "data": f"chat {i + 1}"}}]
            tracks.append(Track("chat", 2.0, 2.0, make_chat))
        return tracks

    def dispatch(self, name, msg):
        targets = [m for m in self.media if m.live and not m.silenced and not m.closed and name in m.types]
        if targets:
            for m in targets:
                m.enqueue(msg)
        elif self.args.buffer_audio and name == "audio":
            self.buffer.append(msg)
            self.log.write({"dir": "buffered", "msg_type": 14, "msg": msg})
        else:
            self.log.write({"dir": "unsent",
                            "reason": "no live connection" if name in self.params else "not requested",
                            "msg_type": msg["msg_type"], "msg": msg})

    async def media_loop(self):
        tracks = self.build_tracks()
        end = self.args.duration
        order = {t.name: k for k, t in enumerate(tracks)}
        while not self.ended:
            pending = [t for t in tracks if t.due() < end - 1e-9]
            if not pending:
                break
            tr = min(pending, key=lambda t: (t.due(), order[t.name]))
            delay = self.t0 + tr.due() - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.ended:
                return
            for msg in tr.make(tr.i):
                self.dispatch(tr.name, msg)
            tr.i += 1
        await self.finish(6, 0)

    async def finish(self, reason, exit_code):
        if self.ended:
            return
        self.ended = True
        self.log.write({"dir": "stream", "event": "ended", "reason": reason})
        # media already queued goes out before the stream state says the stream is over
        for m in list(self.media):
            if not m.closed and not m.server_closing:
                try:
                    await asyncio.wait_for(m.queue.join(), 5)
                except asyncio.TimeoutError:
                    self.note(m, "media-queue-not-drained")
        ts = now_ms()
        msgs = [{"msg_type": 8, "state": 4, "reason": reason, "timestamp": ts},
                {"msg_type": 9, "state": 5, "stop_reason": reason, "timestamp": ts, "rtms_session_id": self.session_id}]
        sig = self.signaling
        for msg in msgs:
            if sig is not None and not sig.closed and not sig.silenced:
                sig.enqueue(msg)
            else:
                self.log.write({"dir": "unsent", "reason": "no live signaling connection", "msg_type": msg["msg_type"],
                                "msg": msg})
        if sig is not None and not sig.closed:
            try:
                await asyncio.wait_for(sig.queue.join(), 5)
            except asyncio.TimeoutError:
                pass
        await asyncio.sleep(self.args.close_delay)
        await asyncio.gather(*(c.close(1000, "stream ended") for c in list(self.conns)))
        self.exit_code = exit_code
        self.done.set()

    # -- faults -----------------------------------------------------------------------------------------------------
    async def fault_at(self, name, seconds):
        delay = self.t0 + seconds - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        if self.ended:
            return
        if name == "drop-media-at":
            victims = [m for m in self.media if not m.closed]
            self.log.write({"dir": "fault", "fault": name, "at": seconds, "connections": [m.id for m in victims]})
            for m in victims:
                m.live = False
                m.abort("fault drop-media")
        elif name == "drop-signaling-at":
            sig = self.signaling
            self.log.write({"dir": "fault", "fault": name, "at": seconds, "connections": [sig.id] if sig else []})
            if sig:
                sig.abort("fault drop-signaling")
        elif name == "stop-keepalive-at":
            victims = [c for c in self.conns if not c.closed]
            self.log.write({"dir": "fault", "fault": name, "at": seconds, "connections": [c.id for c in victims]})
            for c in victims:
                c.silenced = True


def parse_faults(items):
    faults = {}
    for item in items or []:
        for part in item.split(","):
            part = part.strip()
            if not part:
                continue
            key, _, value = part.partition("=")
            if key in ("drop-media-at", "drop-signaling-at", "stop-keepalive-at"):
                faults[key] = float(value)
            elif key in ("status", "media-status"):
                faults[key] = int(value)
                if faults[key] == 0:
                    raise SystemExit(f"--fault {key}=0 simulates nothing")
            else:
                raise SystemExit(f"unknown fault {part!r}")
    return faults


async def amain(args):
    server = RTMSServer(args)
    ssl_ctx = None
    if args.tls_cert:
        ssl_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ssl_ctx.load_cert_chain(args.tls_cert, args.tls_key)
    loop = asyncio.get_running_loop()

    def hard_stop(code, why):
        if server.exit_code is None:
            server.log.write({"dir": "stream", "event": "server-stop", "why": why})
            server.exit_code = code
        server.done.set()
    loop.call_later(args.max_seconds, hard_stop, 3, "max-seconds")
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, hard_stop, 130 if sig == signal.SIGINT else 143, f"signal {sig.name}")

    async def idle_watch():
        while not server.done.is_set():
            await asyncio.sleep(0.1)
            if (server.ever_connected and not server.ended and server.idle_since is not None
                    and time.monotonic() - server.idle_since > args.reconnect_wait):
                server.note(None, "no-connection-within-reconnect-wait", seconds=args.reconnect_wait)
                await server.finish(19, 4)
    async with ws_serve(server.handler, "127.0.0.1", args.port, ssl=ssl_ctx, max_size=None,
                                ping_interval=None, close_timeout=2, process_request=server.process_request,
                                compression="deflate" if args.compression else None) as ws_server:
        server.port = ws_server.sockets[0].getsockname()[1]
        sig_url = server.url("/signaling")
        payload = {server.id_field: args.meeting_uuid, "rtms_stream_id": args.stream_id, "server_urls": sig_url}
        ready = {"ready": True, "websockets": WEBSOCKETS_VERSION, "port": server.port, "signaling_url": sig_url,
                 "meeting_uuid": args.meeting_uuid,
                 "id_field": server.id_field, "rtms_stream_id": args.stream_id, "server_urls": sig_url,
                 "media_server_urls": server.server_urls(),
                 "webhook_body": {"event": f"{WEBHOOK_PREFIX[args.product]}.rtms_started", "event_ts": now_ms(),
                                  "payload": payload}}
        sys.stdout.write(json.dumps(ready) + "\n")
        sys.stdout.flush()
        watcher = asyncio.ensure_future(idle_watch())
        await server.done.wait()
        watcher.cancel()
        for c in list(server.conns):
            if not c.closed:
                c.abort("server exiting")
    summary = {"exit_code": server.exit_code, "counts": server.log.counts, "stream_started": server.t0 is not None,
               "ended": server.ended}
    server.log.write({"dir": "summary", **summary})
    sys.stdout.write(json.dumps({"done": True, **summary}) + "\n")
    sys.stdout.flush()
    return server.exit_code or 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    ap.add_argument("--client-id", default=os.environ.get("ZM_RTMS_CLIENT", "testclient"))
    ap.add_argument("--client-secret", default=os.environ.get("ZM_RTMS_SECRET", "testsecret"))
    ap.add_argument("--meeting-uuid", default="4nYtdqLVTVqGJ+QB62ED7Q==",
                    help="the session id (meeting_uuid, or session_id/engagement_id per --product)")
    ap.add_argument("--stream-id", default="03db704592624398931a588dd78200cb")
    ap.add_argument("--product", choices=sorted(ID_FIELD), default="meeting",
                    help="which handshake field carries the id (meeting_uuid, session_id, engagement_id)")
    ap.add_argument("--duration", type=float, default=5.0, help="seconds of media before the stream ends")
    ap.add_argument("--media-urls", choices=("per-type", "all", "both"), default="both",
                    help="what the signaling response offers in media_server.server_urls")
    ap.add_argument("--scopes", default="audio,video,transcript",
                    help="media the app may have: any of audio,video,deskshare,transcript,chat")
    ap.add_argument("--keepalive-interval", type=float, default=10.0)
    ap.add_argument("--keepalive-misses", type=int, default=3,
                    help="interrupt a connection when this many keep-alives are unanswered (0: never)")
    ap.add_argument("--reconnect-wait", type=float, default=60.0,
                    help="end the stream (reason 19, exit 4) when no connection is open for this long")
    ap.add_argument("--buffer-audio", action="store_true",
                    help="hold audio produced while no media connection is live and send it on reconnection")
    ap.add_argument("--transcript-interval", type=float, default=1.0)
    ap.add_argument("--video-bytes", type=int, default=1500, help="size of a fake video frame (key frames x4)")
    ap.add_argument("--video-h264", help="Annex B file: its access units (looped) are the H.264 video frames")
    ap.add_argument("--close-delay", type=float, default=0.2,
                    help="seconds between the stream-ended messages and the server's close")
    ap.add_argument("--ws-ping-interval", type=float, default=0.0,
                    help="send a websocket Ping every S seconds on every connection and log whether the Pong came "
                         "(0: never; RTMS itself uses keep-alive messages, not websocket pings)")
    ap.add_argument("--send-binary", action="store_true", help="send JSON in binary frames instead of text")
    ap.add_argument("--compression", action="store_true", help="offer permessage-deflate")
    ap.add_argument("--tls-cert", help="PEM certificate: serve wss:// instead of ws://")
    ap.add_argument("--tls-key", help="PEM key for --tls-cert")
    ap.add_argument("--fault", action="append", default=[],
                    help="drop-media-at=S | drop-signaling-at=S | stop-keepalive-at=S (S: seconds after media "
                         "start) | status=N | media-status=N; repeatable or comma-separated")
    ap.add_argument("--log", help="NDJSON log of every message sent and received")
    ap.add_argument("--max-seconds", type=float, default=120.0, help="hard limit on the server's lifetime")
    args = ap.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        ap.error("--tls-cert and --tls-key go together")
    parse_faults(args.fault)
    # Belt and braces: even if the event loop is wedged, the process ends.
    killer = threading.Timer(args.max_seconds + 5, lambda: os._exit(3))
    killer.daemon = True
    killer.start()
    code = asyncio.run(amain(args))
    sys.exit(code)


if __name__ == "__main__":
    main()
