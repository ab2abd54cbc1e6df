#!/usr/bin/env python3
"""A minimal RTMP player (standard library only) that notes when each audio/video message arrives, to measure a
publisher's real-time pacing through a local nginx (scripts/bench-rtmp-push.sh).

  rtmp_play_timing.py PORT STREAM TIMEOUT_S OUT_JSON

Connects to rtmp://127.0.0.1:PORT/live, plays STREAM (before anyone publishes it), prints "ready" on stdout once
the play command is answered, then records (arrival time, message timestamp) for every audio/video message until
the publisher goes away (UnpublishNotify), the connection closes, 3 s pass without media, or TIMEOUT_S. Writes:

  lead_ms = (timestamp - first timestamp) - (arrival - first arrival), per media message; positive = the media
  arrived ahead of real time (anchored at the first media message). Summary: max ahead, max behind, median, and
  the spread around the median (p1..p99), which does not depend on the anchor.

  rtmp_play_timing.py --publish PORT STREAM FLV_FILE

publishes a file paced on its timestamps against the monotonic clock: a calibration of nginx and of this
measurement, independent of ffmpeg and mediactl.

Handshake without digest (nginx accepts it), outgoing chunk size raised first, acknowledgements and ping
responses sent as the server asks.
"""
import json
import os
import socket
import struct
import sys
import time


# --- AMF0, only what command messages need ---------------------------------------------------------------------

def amf_encode(value):
    if value is None:
        return b"\x05"
    if isinstance(value, bool):
        return b"\x01" + (b"\x01" if value else b"\x00")
    if isinstance(value, (int, float)):
        return b"\x00" + struct.pack(">d", float(value))
    if isinstance(value, str):
        data = value.encode()
        return b"\x02" + struct.pack(">H", len(data)) + data
    if isinstance(value, dict):
        out = b"\x03"
        for key, item in value.items():
            k = key.encode()
            out += struct.pack(">H", len(k)) + k + amf_encode(item)
        return out + b"\x00\x00\x09"
    raise TypeError(value)


def amf_decode(data, pos=0, depth=0):
    if depth > 32:
        raise ValueError("AMF nesting too deep")
    marker = data[pos]
    pos += 1
    if marker == 0x00:
        return struct.unpack(">d", data[pos:pos + 8])[0], pos + 8
    if marker == 0x01:
        return data[pos] != 0, pos + 1
    if marker == 0x02:
        n = struct.unpack(">H", data[pos:pos + 2])[0]
        return data[pos + 2:pos + 2 + n].decode(errors="replace"), pos + 2 + n
    if marker in (0x03, 0x08):
        if marker == 0x08:
            pos += 4
        obj = {}
        while True:
            n = struct.unpack(">H", data[pos:pos + 2])[0]
            pos += 2
            if n == 0 and data[pos] == 0x09:
                return obj, pos + 1
            key = data[pos:pos + n].decode(errors="replace")
            obj[key], pos = amf_decode(data, pos + n, depth + 1)
    if marker in (0x05, 0x06):
        return None, pos
    raise ValueError(f"AMF0 marker {marker:#x} not handled")


def amf_decode_all(data):
    values, pos = [], 0
    while pos < len(data):
        value, pos = amf_decode(data, pos)
        values.append(value)
    return values


# --- RTMP chunk stream --------------------------------------------------------------------------------------------

class Player:
    def __init__(self, port, deadline):
        self.deadline = deadline
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        self.buffer = b""
        self.received = 0
        self.acked = 0
        self.window = 2500000
        self.in_chunk_size = 128
        self.headers = {}   # csid -> [timestamp, length, type, stream id, delta]
        self.partial = {}   # csid -> bytes of the message being assembled
        self.idle_limit = 30.0  # lowered to 3 s once media flows

    def recv_exact(self, n):
        while len(self.buffer) < n:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            self.sock.settimeout(min(remaining, self.idle_limit))
            data = self.sock.recv(65536)
            # nginx may not set TCP_NODELAY on players: with Nagle on its side and delayed ACKs on ours, small
            # messages would wait up to 40 ms for an ACK. Acknowledge at once (Linux resets QUICKACK, so re-arm).
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            if not data:
                raise ConnectionError("server closed the connection")
            self.buffer += data
            self.received += len(data)
            if self.received - self.acked >= self.window // 2:
                self.send_message(2, 3, 0, struct.pack(">I", self.received & 0xFFFFFFFF))
                self.acked = self.received
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    OUT_CHUNK_SIZE = 65536

    def send_message(self, csid, mtype, stream_id, payload, timestamp=0):
        # One type-0 chunk, then type-3 continuations of OUT_CHUNK_SIZE (announced right after the handshake).
        header = bytes([csid]) + struct.pack(">I", timestamp & 0xFFFFFF)[1:] + struct.pack(">I", len(payload))[1:]
        header += bytes([mtype]) + struct.pack("<I", stream_id)
        parts = [header, payload[:self.OUT_CHUNK_SIZE]]
        for offset in range(self.OUT_CHUNK_SIZE, len(payload), self.OUT_CHUNK_SIZE):
            parts += [bytes([0xC0 | csid]), payload[offset:offset + self.OUT_CHUNK_SIZE]]
        self.sock.sendall(b"".join(parts))

    def command(self, csid, stream_id, *values):
        self.send_message(csid, 20, stream_id, b"".join(amf_encode(v) for v in values))

    def handshake(self):
        c1 = struct.pack(">II", 0, 0) + os.urandom(1528)
        self.sock.sendall(b"\x03" + c1)
        s0 = self.recv_exact(1)
        if s0 != b"\x03":
            raise ValueError(f"server version {s0!r}")
        s1 = self.recv_exact(1536)
        self.recv_exact(1536)  # S2
        self.sock.sendall(s1)
        self.send_message(2, 1, 0, struct.pack(">I", self.OUT_CHUNK_SIZE))  # our chunk size

    def read_message(self):
        """The next complete message as (type, timestamp, payload, arrival monotonic time)."""
        while True:
            first = self.recv_exact(1)[0]
            fmt, csid = first >> 6, first & 0x3F
            if csid == 0:
                csid = 64 + self.recv_exact(1)[0]
            elif csid == 1:
                b = self.recv_exact(2)
                csid = 64 + b[0] + 256 * b[1]
            # [timestamp, length, type, stream id, timestamp delta, extended-timestamp flag]
            state = self.headers.setdefault(csid, [0, 0, 0, 0, 0, False])
            starts_message = csid not in self.partial
            if fmt <= 2:
                raw = self.recv_exact((11, 7, 3)[fmt])
                field = int.from_bytes(raw[0:3], "big")
                if fmt <= 1:
                    state[1] = int.from_bytes(raw[3:6], "big")
                    state[2] = raw[6]
                if fmt == 0:
                    state[3] = struct.unpack("<I", raw[7:11])[0]
                state[5] = field == 0xFFFFFF
                if state[5]:
                    field = struct.unpack(">I", self.recv_exact(4))[0]
                if fmt == 0:
                    state[0], state[4] = field, 0
                else:
                    state[4] = field
                    state[0] = (state[0] + field) & 0xFFFFFFFF
            else:
                if state[5]:
                    self.recv_exact(4)  # the extended timestamp is repeated on type-3 chunks
                if starts_message:
                    state[0] = (state[0] + state[4]) & 0xFFFFFFFF
            have = self.partial.get(csid, b"")
            take = min(self.in_chunk_size, state[1] - len(have))
            have += self.recv_exact(take)
            if len(have) < state[1]:
                self.partial[csid] = have
                continue
            self.partial.pop(csid, None)
            arrival = time.monotonic()
            mtype = state[2]
            if mtype == 1:
                self.in_chunk_size = struct.unpack(">I", have[:4])[0] & 0x7FFFFFFF
                if self.in_chunk_size > 16 * 1024 * 1024:
                    raise ValueError("chunk size too large")
                continue
            if mtype == 5:
                self.window = struct.unpack(">I", have[:4])[0]
                continue
            if mtype == 4 and len(have) >= 6 and struct.unpack(">H", have[:2])[0] == 6:
                self.send_message(2, 4, 0, struct.pack(">H", 7) + have[2:6])  # ping response
                continue
            return mtype, state[0], have, arrival


def is_sequence_header(mtype, payload):
    if mtype == 9:
        return len(payload) >= 2 and (payload[0] & 0x0F) == 7 and payload[1] == 0
    if mtype == 8:
        return len(payload) >= 2 and (payload[0] >> 4) == 10 and payload[1] == 0
    return False


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def flv_tags(path):
    """(type, timestamp ms, body) of every tag of an FLV file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:3] != b"FLV":
        raise ValueError(f"{path} is not FLV")
    pos = int.from_bytes(data[5:9], "big") + 4
    while pos + 11 <= len(data):
        size = int.from_bytes(data[pos + 1:pos + 4], "big")
        ts = int.from_bytes(data[pos + 4:pos + 7], "big") | (data[pos + 7] << 24)
        yield data[pos] & 0x1F, ts, data[pos + 11:pos + 11 + size]
        pos += 11 + size + 4


def publish(port, stream, path):
    """Calibration publisher: sends every tag at its timestamp against the monotonic clock (sleep, then spin for
    the last millisecond), so what the player measures is nginx's and the measurement's own jitter."""
    tags = list(flv_tags(path))
    player = Player(port, time.monotonic() + 3600)
    player.handshake()
    player.command(3, 0, "connect", 1, {"app": "live", "type": "nonprivate", "flashVer": "FMLE/3.0 (compatible; calibration)",
                                        "tcUrl": f"rtmp://127.0.0.1:{port}/live"})
    stream_id = None
    while True:
        mtype, _, payload, _ = player.read_message()
        if mtype != 20:
            continue
        values = amf_decode_all(payload)
        if values[0] == "_result" and values[1] == 1:
            player.command(3, 0, "createStream", 2, None)
        elif values[0] == "_result" and values[1] == 2:
            stream_id = int(values[3])
            player.command(8, stream_id, "publish", 3, None, stream, "live")
        elif values[0] == "onStatus":
            code = (values[3] or {}).get("code", "")
            if code == "NetStream.Publish.Start":
                break
            raise ValueError(f"publish refused: {code}")
        elif values[0] == "_error":
            raise ValueError(f"server error: {values}")
    start, first = time.monotonic(), None
    for mtype, ts, body in tags:
        if mtype not in (8, 9):
            continue
        first = ts if first is None else first
        due = start + (ts - first) / 1000.0
        while True:
            left = due - time.monotonic()
            if left <= 0:
                break
            time.sleep(left - 0.001 if left > 0.002 else 0)
        player.send_message(4 if mtype == 8 else 6, mtype, stream_id, body, ts)
    player.sock.close()


def main(argv):
    if len(argv) == 5 and argv[1] == "--publish":
        publish(int(argv[2]), argv[3], argv[4])
        return
    if len(argv) != 5:
        sys.exit(__doc__)
    port, stream, timeout_s, out_path = int(argv[1]), argv[2], float(argv[3]), argv[4]
    deadline = time.monotonic() + timeout_s
    player = Player(port, deadline)
    player.handshake()
    player.command(3, 0, "connect", 1, {"app": "live", "flashVer": "LNX 9,0,124,2",
                                        "tcUrl": f"rtmp://127.0.0.1:{port}/live", "fpad": False,
                                        "capabilities": 15, "audioCodecs": 3191, "videoCodecs": 252,
                                        "videoFunction": 1})
    stream_id, ready = None, False
    media = []  # (arrival, timestamp)
    end = "timeout"
    try:
        while True:
            mtype, ts, payload, arrival = player.read_message()
            if mtype == 20:
                values = amf_decode_all(payload)
                name = values[0] if values else None
                if name == "_result" and values[1] == 1:
                    player.command(3, 0, "createStream", 2, None)
                elif name == "_result" and values[1] == 2:
                    stream_id = int(values[3])
                    player.command(8, stream_id, "play", 3, None, stream)
                elif name == "onStatus":
                    code = (values[3] or {}).get("code", "") if len(values) > 3 else ""
                    if code == "NetStream.Play.Start" and not ready:
                        ready = True
                        print("ready", flush=True)
                    elif code in ("NetStream.Play.UnpublishNotify", "NetStream.Play.Stop") and media:
                        end = code
                        break
                    elif "Failed" in code or "NotFound" in code:
                        raise ValueError(code)
                elif name == "_error":
                    raise ValueError(f"server error: {values}")
            elif mtype in (8, 9) and payload and not is_sequence_header(mtype, payload):
                media.append((arrival, ts))
                player.idle_limit = 3.0
    except TimeoutError:
        end = "no media for 3 s" if media else "timeout"
    except ConnectionError:
        end = "connection closed"
    leads = [(ts - media[0][1]) - (arrival - media[0][0]) * 1000.0 for arrival, ts in media] if media else []
    summary = {"end": end, "messages": len(media)}
    if leads:
        middle = percentile(leads, 50)
        summary.update({
            "max_ahead_ms": max(leads), "max_behind_ms": -min(leads), "median_lead_ms": middle,
            "p1_ms": percentile(leads, 1), "p99_ms": percentile(leads, 99),
            "max_from_median_ms": max(abs(x - middle) for x in leads),
            "media_seconds": (media[-1][1] - media[0][1]) / 1000.0,
            "wall_seconds": media[-1][0] - media[0][0],
            # [ms since the first media message arrived, media ms since the first one] per message
            "series": [[round((arrival - media[0][0]) * 1000.0, 2), ts - media[0][1]] for arrival, ts in media],
        })
    with open(out_path, "w") as f:
        json.dump(summary, f)


if __name__ == "__main__":
    main(sys.argv)
