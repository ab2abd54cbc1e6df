#!/usr/bin/python3
"""A small RTMP publishing server with the Adobe (authmod=adobe) and Limelight (authmod=llnw) challenges,
written from ../../../shared/reference/rtmp-peer-notes.md ("The publish conversation", "Authentication
challenges"), standard library only. For end-to-end tests of an RTMP publisher's authentication.

  rtmp_auth_server.py --port 0 --scheme adobe|llnw|none --user U --password P [--summary FILE]
                      [--no-opaque] [--llnw-no-user] [--once] [--max-seconds 120]

stdout: {"ready":true,"port":P,"scheme":...} when listening on 127.0.0.1, and a last line with the summary.
--summary FILE (rewritten after every connection closes, atomically):
  {"connects": n, "auth": "ok"|"failed"|"challenged"|"rejected"|"none", "tcUrl": .., "app": .. (of the last
   successful connect, else the last connect), "publish_name": .., "audio": n, "video": n, "data": n,
   "metadata": [keys of the first onMetaData], "connect_log": [{"app","tcUrl","flashVer","result"}, ...],
   "password_in_connect": bool (the password appeared in some connect's app or tcUrl),
   "connections": [{"connection", "publish_name", "audio", "video", "data", "published", "first_ts", "last_ts"
                    (ms, per audio/video), "bytes", "md5" (of the concatenated message payloads), "end"}]}
Exit: 0 after --once's publishing connection closed or on SIGTERM/SIGINT; 3 when --max-seconds was reached.

Protocol: handshake C0=3 / C1 -> S0 S1 S2 (S2 echoes C1) / C2; chunk stream reader (header types 0-3, extended
timestamps also on type-3 chunks, the client's Set Chunk Size, Abort); AMF0 commands; connect ->
authentication; releaseStream/FCPublish/FCUnpublish -> _result; createStream -> _result 1; publish ->
onStatus NetStream.Publish.Start; ping requests answered; acknowledgements sent per the client's window.
"""
import argparse
import asyncio
import base64
import hashlib
import json
import os
import secrets
import signal
import struct
import sys
import threading
import urllib.parse

# ------------------------------------------------------------------------------------------------------------------
# AMF0


class Undefined:
    pass


class EcmaArray(dict):
    pass


class AMFError(Exception):
    pass


def amf_decode(buf: bytes, pos: int):
    """One AMF0 value at pos -> (value, new pos). Objects keep key order (dict)."""
    if pos >= len(buf):
        raise AMFError("truncated")
    marker = buf[pos]
    pos += 1

    def need(n):
        if pos + n > len(buf):
            raise AMFError("truncated")

    if marker == 0x00:
        need(8)
        return struct.unpack(">d", buf[pos:pos + 8])[0], pos + 8
    if marker == 0x01:
        need(1)
        return buf[pos] != 0, pos + 1
    if marker == 0x02:
        need(2)
        n = struct.unpack(">H", buf[pos:pos + 2])[0]
        pos += 2
        need(n)
        return buf[pos:pos + n].decode("utf-8", "replace"), pos + n
    if marker == 0x0C or marker == 0x0F:  # long string, XML document
        need(4)
        n = struct.unpack(">I", buf[pos:pos + 4])[0]
        pos += 4
        need(n)
        return buf[pos:pos + n].decode("utf-8", "replace"), pos + n
    if marker in (0x03, 0x08, 0x10):  # object, ECMA array, typed object
        if marker == 0x08:
            need(4)
            pos += 4  # associative count: advisory, the end marker decides
        if marker == 0x10:
            need(2)
            n = struct.unpack(">H", buf[pos:pos + 2])[0]
            pos += 2 + n  # class name
        obj = EcmaArray() if marker == 0x08 else {}
        while True:
            need(2)
            n = struct.unpack(">H", buf[pos:pos + 2])[0]
            pos += 2
            if n == 0:
                need(1)
                if buf[pos] == 0x09:
                    return obj, pos + 1
            need(n)
            key = buf[pos:pos + n].decode("utf-8", "replace")
            pos += n
            obj[key], pos = amf_decode(buf, pos)
    if marker == 0x05:
        return None, pos
    if marker == 0x06:
        return Undefined(), pos
    if marker == 0x07:
        need(2)
        return {"$ref": struct.unpack(">H", buf[pos:pos + 2])[0]}, pos + 2
    if marker == 0x0A:
        need(4)
        n = struct.unpack(">I", buf[pos:pos + 4])[0]
        pos += 4
        out = []
        for _ in range(n):
            v, pos = amf_decode(buf, pos)
            out.append(v)
        return out, pos
    if marker == 0x0B:
        need(10)
        return {"$date": struct.unpack(">d", buf[pos:pos + 8])[0]}, pos + 10
    raise AMFError(f"unsupported AMF0 marker 0x{marker:02x}")


def amf_decode_all(buf: bytes):
    out, pos = [], 0
    while pos < len(buf):
        v, pos = amf_decode(buf, pos)
        out.append(v)
    return out


def amf_encode(v) -> bytes:
    if v is None:
        return b"\x05"
    if isinstance(v, Undefined):
        return b"\x06"
    if isinstance(v, bool):
        return b"\x01" + (b"\x01" if v else b"\x00")
    if isinstance(v, (int, float)):
        return b"\x00" + struct.pack(">d", float(v))
    if isinstance(v, str):
        b = v.encode()
        if len(b) > 0xFFFF:
            return b"\x0c" + struct.pack(">I", len(b)) + b
        return b"\x02" + struct.pack(">H", len(b)) + b
    if isinstance(v, dict):
        head = b"\x08" + struct.pack(">I", len(v)) if isinstance(v, EcmaArray) else b"\x03"
        body = b"".join(struct.pack(">H", len(k.encode())) + k.encode() + amf_encode(x) for k, x in v.items())
        return head + body + b"\x00\x00\x09"
    if isinstance(v, list):
        return b"\x0a" + struct.pack(">I", len(v)) + b"".join(amf_encode(x) for x in v)
    raise TypeError(type(v))


def jsonable(v):
    if isinstance(v, Undefined):
        return None
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    return v


# ------------------------------------------------------------------------------------------------------------------
# Authentication (rtmp-peer-notes.md, "Authentication challenges")


def md5(b: bytes) -> bytes:
    return hashlib.md5(b).digest()


def md5hex(s: str) -> str:
    return hashlib.md5(s.encode()).hexdigest()


def adobe_response(user, salt, password, opaque_or_challenge, client_challenge) -> str:
    """R = base64(md5(base64(md5(U + S + P)) + (O or C) + C2))"""
    h1 = base64.b64encode(md5((user + salt + password).encode())).decode()
    return base64.b64encode(md5((h1 + opaque_or_challenge + client_challenge).encode())).decode()


def llnw_response(user, password, nonce, nc, cnonce, app) -> str:
    """R = md5hex(md5hex(U:live:P) : N : nc : CN : auth : md5hex("publish:/" + app [+ "/_definst_"]))
    "/_definst_" is added when the app names no instance (has no "/")."""
    ha1 = md5hex(f"{user}:live:{password}")
    ha2 = md5hex("publish:/" + app + ("" if "/" in app else "/_definst_"))
    return md5hex(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")


REJECT = "[ AccessManager.Reject ] : "


def parse_query(query: str) -> dict:
    """Raw key=value pairs: publishers put base64 values (with '+', '/', '=') in unencoded, so no '+'-to-space
    decoding; a value in %-encoding is decoded when it holds '%'."""
    out = {}
    for part in query.split("&"):
        if not part:
            continue
        k, _, v = part.partition("=")
        if k not in out:
            out[k] = urllib.parse.unquote(v) if "%" in v else v
    return out


class Auth:
    def __init__(self, scheme, user, password, opaque=True, llnw_no_user=False):
        self.scheme, self.user, self.password, self.use_opaque = scheme, user, password, opaque
        self.llnw_no_user = llnw_no_user
        self.adobe = {}  # opaque -> (salt, challenge); key "" when no opaque is used (latest challenge)
        self.nonces = set()

    def check(self, app_raw: str, tc_url: str):
        """-> (result, description or None). result: ok | need-auth | challenge | nosuchuser | authfailed."""
        if self.scheme == "none":
            return "ok", None
        base_app, _, query = app_raw.partition("?")
        if not query and tc_url and "?" in tc_url:
            query = tc_url.rsplit("?", 1)[1]
        q = parse_query(query)
        mod = self.scheme
        if q.get("authmod") != mod:
            return "need-auth", f"{REJECT}[ code=403 need auth; authmod={mod} ] : "
        user = q.get("user", "")
        if user != self.user:
            return "nosuchuser", f"{REJECT}[ authmod={mod} ] : ?reason=nosuchuser"
        if "response" not in q:
            if mod == "adobe":
                salt = base64.b64encode(secrets.token_bytes(6)).decode()
                challenge = base64.b64encode(secrets.token_bytes(6)).decode()
                if self.use_opaque:
                    opaque = base64.b64encode(secrets.token_bytes(6)).decode()
                    self.adobe[opaque] = (salt, challenge)
                    return "challenge", (f"{REJECT}[ authmod=adobe ] : ?reason=needauth&user={user}&salt={salt}"
                                         f"&challenge={challenge}&opaque={opaque}")
                self.adobe[""] = (salt, challenge)
                return "challenge", (f"{REJECT}[ authmod=adobe ] : ?reason=needauth&user={user}&salt={salt}"
                                     f"&challenge={challenge}")
            nonce = secrets.token_hex(8)
            self.nonces.add(nonce)
            who = "" if self.llnw_no_user else f"user={user}&"
            return "challenge", f"{REJECT}[ authmod=llnw ] : ?reason=needauth&{who}nonce={nonce}"
        fail = f"{REJECT}[ authmod={mod} ] : ?reason=authfailed"
        if mod == "adobe":
            opaque = q.get("opaque")
            issued = self.adobe.get(opaque if opaque is not None else "")
            if issued is None:
                return "authfailed", fail
            salt, challenge = issued
            want = adobe_response(user, salt, self.password, opaque if opaque else challenge, q.get("challenge", ""))
        else:
            nonce = q.get("nonce", "")
            if nonce not in self.nonces:
                return "authfailed", fail
            want = llnw_response(user, self.password, nonce, q.get("nc", ""), q.get("cnonce", ""), base_app)
        if q["response"] != want:
            return "authfailed", fail
        return "ok", None


# ------------------------------------------------------------------------------------------------------------------
# Connection

HANDSHAKE_SIZE = 1536
OUT_CHUNK_SIZE = 4096
MAX_CHUNK_SIZE = 0x7FFFFFFF  # the top bit of Set Chunk Size must be zero


class ChunkState:
    __slots__ = ("timestamp", "delta", "length", "type_id", "stream_id", "ext", "buf")

    def __init__(self):
        self.timestamp = self.delta = self.length = self.type_id = self.stream_id = 0
        self.ext = False
        self.buf = None


class Session:
    def __init__(self, server, reader, writer, number):
        self.server, self.reader, self.writer, self.number = server, reader, writer, number
        self.in_chunk = 128
        self.out_chunk = 128
        self.states = {}
        self.received = 0
        self.window = 0
        self.last_ack = 0
        self.info = {"connection": number, "connects": [], "publish_name": None, "audio": 0, "video": 0, "data": 0,
                     "published": False}

    async def read(self, n):
        data = await self.reader.readexactly(n)
        self.received += n
        return data

    def send(self, csid, type_id, stream_id, payload, timestamp=0):
        out = bytearray()
        first = True
        pos = 0
        while first or pos < len(payload):
            if first:
                out.append(csid)  # fmt 0, csid < 64
                out += struct.pack(">I", min(timestamp, 0xFFFFFF))[1:]
                out += struct.pack(">I", len(payload))[1:]
                out.append(type_id)
                out += struct.pack("<I", stream_id)
                first = False
            else:
                out.append(0xC0 | csid)
            out += payload[pos:pos + self.out_chunk]
            pos += self.out_chunk
        self.writer.write(bytes(out))

    def command(self, stream_id, *values):
        self.send(3 if stream_id == 0 else 5, 20, stream_id, b"".join(amf_encode(v) for v in values))

    async def handshake(self):
        c0 = await self.read(1)
        if c0[0] != 3:
            raise ConnectionError(f"C0 version {c0[0]} (want 3)")
        c1 = await self.read(HANDSHAKE_SIZE)
        s1 = b"\x00" * 8 + secrets.token_bytes(HANDSHAKE_SIZE - 8)
        self.writer.write(b"\x03" + s1 + c1)
        await self.writer.drain()
        await self.read(HANDSHAKE_SIZE)  # C2

    async def read_message(self):
        while True:
            b0 = (await self.read(1))[0]
            fmt, csid = b0 >> 6, b0 & 0x3F
            if csid == 0:
                csid = 64 + (await self.read(1))[0]
            elif csid == 1:
                b = await self.read(2)
                csid = 64 + b[0] + 256 * b[1]
            st = self.states.get(csid)
            if st is None:
                if fmt != 0:
                    raise ConnectionError(f"chunk stream {csid} starts with header type {fmt}")
                st = self.states[csid] = ChunkState()
            new = st.buf is None
            if fmt == 0:
                h = await self.read(11)
                ts = int.from_bytes(h[0:3], "big")
                st.length = int.from_bytes(h[3:6], "big")
                st.type_id = h[6]
                st.stream_id = struct.unpack("<I", h[7:11])[0]
                st.ext = ts == 0xFFFFFF
                if st.ext:
                    ts = struct.unpack(">I", await self.read(4))[0]
                st.timestamp, st.delta = ts, 0
            elif fmt in (1, 2):
                h = await self.read(7 if fmt == 1 else 3)
                delta = int.from_bytes(h[0:3], "big")
                if fmt == 1:
                    st.length = int.from_bytes(h[3:6], "big")
                    st.type_id = h[6]
                st.ext = delta == 0xFFFFFF
                if st.ext:
                    delta = struct.unpack(">I", await self.read(4))[0]
                st.delta = delta
                st.timestamp = (st.timestamp + delta) & 0xFFFFFFFF
            else:
                if st.ext:
                    await self.read(4)  # the extended field repeats on type-3 chunks of such messages
                if new:
                    st.timestamp = (st.timestamp + st.delta) & 0xFFFFFFFF
            if new:
                st.buf = bytearray()
            n = min(self.in_chunk, st.length - len(st.buf))
            st.buf += await self.read(n)
            await self.maybe_ack()
            if len(st.buf) >= st.length:
                payload = bytes(st.buf)
                st.buf = None
                return st.type_id, st.stream_id, st.timestamp, payload

    async def maybe_ack(self):
        if self.window and self.received - self.last_ack >= self.window:
            self.last_ack = self.received
            self.send(2, 3, 0, struct.pack(">I", self.received & 0xFFFFFFFF))

    async def run(self):
        await self.handshake()
        while True:
            type_id, stream_id, ts, payload = await self.read_message()
            if type_id == 1:
                size = struct.unpack(">I", payload[:4])[0] & MAX_CHUNK_SIZE
                if size < 1:
                    raise ConnectionError("Set Chunk Size 0")
                self.in_chunk = size
            elif type_id == 2:
                self.states.pop(struct.unpack(">I", payload[:4])[0], None)
            elif type_id == 4:
                event = struct.unpack(">H", payload[:2])[0]
                if event == 6:  # ping request -> ping response
                    self.send(2, 4, 0, struct.pack(">H", 7) + payload[2:6])
            elif type_id == 5:
                self.window = struct.unpack(">I", payload[:4])[0]
            elif type_id in (8, 9):
                self.info["audio" if type_id == 8 else "video"] += 1
                key = "audio" if type_id == 8 else "video"
                self.info.setdefault("first_ts", {}).setdefault(key, ts)
                self.info.setdefault("last_ts", {})[key] = ts
                self.info.setdefault("bytes", {})[key] = self.info.get("bytes", {}).get(key, 0) + len(payload)
                digest = self.info.setdefault("_md5", {}).setdefault(key, hashlib.md5())
                digest.update(payload)
                self.info.setdefault("md5", {})[key] = digest.hexdigest()
            elif type_id in (15, 18):
                self.info["data"] += 1
                try:
                    values = amf_decode_all(payload[1:] if type_id == 15 else payload)
                except AMFError:
                    values = []
                if values and values[0] == "@setDataFrame":
                    values = values[1:]
                if len(values) >= 2 and values[0] == "onMetaData" and isinstance(values[1], dict):
                    if self.server.metadata is None:
                        self.server.metadata = list(values[1].keys())
            elif type_id in (17, 20):
                values = amf_decode_all(payload[1:] if type_id == 17 else payload)
                if await self.on_command(stream_id, values) == "close":
                    return
            await self.writer.drain()

    async def on_command(self, stream_id, values):
        if not values or not isinstance(values[0], str):
            return None
        name = values[0]
        txn = values[1] if len(values) > 1 and isinstance(values[1], float) else 0.0
        args = values[2:]
        if name == "connect":
            obj = args[0] if args and isinstance(args[0], dict) else {}
            app, tc_url = str(obj.get("app", "")), str(obj.get("tcUrl", ""))
            result, description = self.server.auth.check(app, tc_url)
            entry = {"connection": self.number, "app": app, "tcUrl": tc_url, "flashVer": obj.get("flashVer"),
                     "result": result}
            self.server.connect_log.append(entry)
            self.info["connects"].append(entry)
            self.send(2, 5, 0, struct.pack(">I", 2500000))  # Window Acknowledgement Size
            self.send(2, 6, 0, struct.pack(">IB", 2500000, 2))  # Set Peer Bandwidth, dynamic
            self.send(2, 1, 0, struct.pack(">I", OUT_CHUNK_SIZE))  # Set Chunk Size
            self.out_chunk = OUT_CHUNK_SIZE
            if result != "ok":
                self.command(0, "_error", txn, None, {"level": "error", "code": "NetConnection.Connect.Rejected",
                                                      "description": description})
                await self.writer.drain()
                # Give the client a moment to read the error and hang up itself, as servers do.
                try:
                    await asyncio.wait_for(self.reader.read(), 2)
                except asyncio.TimeoutError:
                    pass
                return "close"
            self.server.last_ok_connect = entry
            self.command(0, "_result", txn, {"fmsVer": "FMS/3,5,7,7009", "capabilities": 31.0, "mode": 1.0},
                         {"level": "status", "code": "NetConnection.Connect.Success",
                          "description": "Connection succeeded.", "objectEncoding": 0.0})
            self.command(0, "onBWDone", 0.0, None)
        elif name in ("releaseStream", "FCPublish", "FCUnpublish"):
            self.command(0, "_result", txn, None, Undefined())
        elif name == "createStream":
            self.command(0, "_result", txn, None, 1.0)
        elif name == "publish":
            pname = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
            self.info["publish_name"] = pname
            self.info["published"] = True
            self.server.publish_name = pname
            self.send(2, 4, 0, struct.pack(">HI", 0, stream_id or 1))  # Stream Begin
            self.command(stream_id or 1, "onStatus", 0.0, None,
                         {"level": "status", "code": "NetStream.Publish.Start",
                          "description": f"{pname} is now published.", "details": pname})
        elif name in ("deleteStream", "closeStream", "_checkbw", "getStreamLength"):
            pass
        elif txn:
            self.command(0, "_error", txn, None, {"level": "error", "code": "NetConnection.Call.Failed",
                                                  "description": f"unknown command {name}"})
        return None


class Server:
    def __init__(self, args):
        self.args = args
        self.auth = Auth(args.scheme, args.user, args.password, opaque=not args.no_opaque,
                         llnw_no_user=args.llnw_no_user)
        self.connect_log = []
        self.connections = []
        self.metadata = None
        self.publish_name = None
        self.last_ok_connect = None
        self.count = 0
        self.stop = asyncio.Event()
        self.exit_code = 0

    def summary(self):
        ok = any(c["result"] == "ok" for c in self.connect_log)
        results = {c["result"] for c in self.connect_log}
        if self.args.scheme == "none":
            auth = "none"
        elif ok:
            auth = "ok"
        elif results & {"authfailed", "nosuchuser"}:
            auth = "failed"
        elif "challenge" in results:
            auth = "challenged"
        else:
            auth = "rejected" if results else "none"
        ref = self.last_ok_connect or (self.connect_log[-1] if self.connect_log else {})
        pw = self.args.password
        return {"connects": len(self.connect_log), "auth": auth, "tcUrl": ref.get("tcUrl"), "app": ref.get("app"),
                "publish_name": self.publish_name,
                "audio": sum(c["audio"] for c in self.connections), "video": sum(c["video"] for c in self.connections),
                "data": sum(c["data"] for c in self.connections), "metadata": self.metadata,
                "connect_log": self.connect_log,
                "password_in_connect": bool(pw) and any(pw in (c["app"] + c["tcUrl"]) for c in self.connect_log),
                "connections": [{k: v for k, v in c.items() if k not in ("connects", "_md5")}
                                for c in self.connections]}

    def write_summary(self):
        if not self.args.summary:
            return
        tmp = self.args.summary + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(jsonable(self.summary()), f)
        os.replace(tmp, self.args.summary)

    async def handle(self, reader, writer):
        self.count += 1
        sess = Session(self, reader, writer, self.count)
        self.connections.append(sess.info)
        try:
            await sess.run()
        except (asyncio.IncompleteReadError, ConnectionError, AMFError) as e:
            sess.info["end"] = f"{type(e).__name__}: {e}" if not isinstance(e, asyncio.IncompleteReadError) else "eof"
        finally:
            writer.close()
            self.write_summary()
            if self.args.once and sess.info["published"]:
                self.stop.set()


async def amain(args):
    server = Server(args)
    srv = await asyncio.start_server(server.handle, "127.0.0.1", args.port)
    port = srv.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()

    def stop(code):
        server.exit_code = code
        server.stop.set()
    loop.call_later(args.max_seconds, stop, 3)
    for s in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(s, stop, 0)
    server.write_summary()
    print(json.dumps({"ready": True, "port": port, "scheme": args.scheme}), flush=True)
    await server.stop.wait()
    srv.close()
    server.write_summary()
    print(json.dumps(jsonable(server.summary())), flush=True)
    return server.exit_code


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--scheme", choices=("adobe", "llnw", "none"), default="adobe")
    ap.add_argument("--user", default="user")
    ap.add_argument("--password", default="pass")
    ap.add_argument("--no-opaque", action="store_true", help="adobe: send no opaque (client hashes the challenge)")
    ap.add_argument("--llnw-no-user", action="store_true",
                    help="llnw: challenge with '?reason=needauth&nonce=N' only (the notes' form). ffmpeg 5.1 takes the "
                         "user name from the challenge and then answers with an empty user; by default the challenge "
                         "is '?reason=needauth&user=U&nonce=N', which works for both kinds of client")
    ap.add_argument("--summary")
    ap.add_argument("--once", action="store_true", help="exit after the first connection that published closes")
    ap.add_argument("--max-seconds", type=float, default=120.0)
    args = ap.parse_args()
    killer = threading.Timer(args.max_seconds + 5, lambda: os._exit(3))
    killer.daemon = True
    killer.start()
    sys.exit(asyncio.run(amain(args)))


if __name__ == "__main__":
    main()
