#!/usr/bin/python3
"""Self-test of rtmp_auth_server.py.

1. Cross-check with an independent client: Debian's ffmpeg 5.1 (its RTMP client implements both challenges)
   publishes `testsrc` to the server with the right password (must succeed and be counted), a wrong password
   and a wrong user (must fail), per scheme, plus the variants (no opaque; an app with an instance, where the
   llnw hash has no "/_definst_"). The password must never appear in any connect's app or tcUrl.
2. A hand-built chunk stream (this file writes the bytes itself): the client's Set Chunk Size, header types
   0-3, chunk stream ids in the 1- and 2-byte forms, extended timestamps repeated on type-3 chunks, and every
   AMF0 type the server decodes, checked against the server's summary.
Prints one line per case; exit 1 if any failed.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from rtmp_auth_server import amf_encode, EcmaArray  # noqa: E402

PY = sys.executable  # the peers run under the interpreter that runs the self-test


def start(tmp, *args):
    summary = os.path.join(tmp, "summary.json")
    proc = subprocess.Popen([PY, os.path.join(HERE, "rtmp_auth_server.py"), "--summary", summary, "--once",
                             "--max-seconds", "20", "--user", "alice", "--password", "s3cret", *args],
                            stdout=subprocess.PIPE, text=True)
    ready = json.loads(proc.stdout.readline())
    return proc, ready["port"], summary


def ffmpeg_case(name, scheme, user, password, path="app/stream", extra=(), expect_ok=True):
    tmp = tempfile.mkdtemp(prefix="rtmp-selftest-")
    proc, port, summary = start(tmp, "--scheme", scheme, *extra)
    res = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                          "testsrc=size=160x120:rate=10", "-t", "2", "-c:v", "libx264", "-f", "flv",
                          f"rtmp://{user}:{password}@127.0.0.1:{port}/{path}"], capture_output=True, text=True,
                         timeout=60)
    if expect_ok:
        proc.wait(timeout=20)
    else:
        proc.terminate()
        proc.wait(timeout=20)
    s = json.load(open(summary))
    results = [c["result"] for c in s["connect_log"]]
    problems = []
    if expect_ok:
        if res.returncode != 0:
            problems.append(f"ffmpeg rc {res.returncode}: {res.stderr[-300:]}")
        want_auth = "none" if scheme == "none" else "ok"
        if s["auth"] != want_auth or s["video"] < 15 or s["data"] != 1 or not s["metadata"]:
            problems.append(f"summary {s['auth']} video={s['video']} data={s['data']}")
        if s["publish_name"] != path.rsplit("/", 1)[1]:
            problems.append(f"publish_name {s['publish_name']}")
    else:
        if res.returncode == 0:
            problems.append("ffmpeg succeeded")
        if s["auth"] != "failed" or s["video"] != 0:
            problems.append(f"summary auth={s['auth']} video={s['video']}")
    if s["password_in_connect"]:
        problems.append("password seen in a connect")
    detail = f"ffmpeg rc={res.returncode} connects={results}" + (
        f" app={s['app']!r}" if expect_ok else f" ffmpeg said {res.stderr.strip().splitlines()[0]!r}")
    return name, not problems, detail + ("" if not problems else " PROBLEMS: " + "; ".join(problems))


# -- hand-built chunk stream -----------------------------------------------------------------------------------------


def basic_header(fmt, csid):
    if csid < 64:
        return bytes([fmt << 6 | csid])
    if csid < 320:
        return bytes([fmt << 6 | 0, csid - 64])
    return bytes([fmt << 6 | 1]) + struct.pack("<H", csid - 64)


def chunks(csid, type_id, stream_id, payload, ts, chunk_size, fmt=0, delta=None):
    """A message as chunks: first chunk header of type `fmt` (0: absolute ts, 1/2: delta), then type 3."""
    field = ts if fmt == 0 else delta
    ext = field >= 0xFFFFFF
    f24 = struct.pack(">I", 0xFFFFFF if ext else field)[1:]
    out = bytearray(basic_header(fmt, csid))
    if fmt == 0:
        out += f24 + struct.pack(">I", len(payload))[1:] + bytes([type_id]) + struct.pack("<I", stream_id)
    elif fmt == 1:
        out += f24 + struct.pack(">I", len(payload))[1:] + bytes([type_id])
    elif fmt == 2:
        out += f24
    if ext:
        out += struct.pack(">I", field)
    pos = 0
    first = True
    while first or pos < len(payload):
        if not first:
            out += basic_header(3, csid)
            if ext:
                out += struct.pack(">I", field)
        out += payload[pos:pos + chunk_size]
        pos += chunk_size
        first = False
    return bytes(out)


def cmd(*values):
    return b"".join(amf_encode(v) for v in values)


def recv_until(sock, needle, timeout=5):
    sock.settimeout(timeout)
    data = b""
    end = time.time() + timeout
    while needle not in data and time.time() < end:
        part = sock.recv(65536)
        if not part:
            break
        data += part
    return data


def handbuilt_case():
    tmp = tempfile.mkdtemp(prefix="rtmp-selftest-")
    proc, port, summary = start(tmp, "--scheme", "none")
    problems = []
    s = socket.create_connection(("127.0.0.1", port))
    c1 = bytes(8) + os.urandom(1528)
    s.sendall(b"\x03" + c1)
    hs = b""
    while len(hs) < 1 + 1536 * 2:
        hs += s.recv(65536)
    if hs[0] != 3 or hs[1 + 1536:1 + 3072] != c1:
        problems.append("S2 does not echo C1")
    s.sendall(hs[1:1 + 1536])  # C2 echoes S1
    cs = 64
    s.sendall(chunks(2, 1, 0, struct.pack(">I", cs), 0, 128))  # Set Chunk Size 64
    s.sendall(chunks(3, 20, 0, cmd("connect", 1.0, {"app": "live", "type": "nonprivate", "flashVer": "FMLE/3.0 (test)",
                                                     "tcUrl": f"rtmp://127.0.0.1:{port}/live"}), 0, cs))
    if b"NetConnection.Connect.Success" not in recv_until(s, b"NetConnection.Connect.Success"):
        problems.append("no connect success")
    s.sendall(chunks(3, 20, 0, cmd("releaseStream", 2.0, None, "key"), 0, cs))
    s.sendall(chunks(3, 20, 0, cmd("FCPublish", 3.0, None, "key"), 0, cs))
    s.sendall(chunks(3, 20, 0, cmd("createStream", 4.0, None), 0, cs))
    s.sendall(chunks(8, 20, 1, cmd("publish", 5.0, None, "key", "live"), 0, cs))
    if b"NetStream.Publish.Start" not in recv_until(s, b"NetStream.Publish.Start"):
        problems.append("no publish start")
    meta = EcmaArray([("duration", 0.0), ("width", 160.0), ("stereo", True), ("nothing", None),
                      ("list", [1.0, "two", False]), ("nested", {"a": "b"}), ("encoder", "selftest")])
    s.sendall(chunks(70, 18, 1, cmd("@setDataFrame", "onMetaData", meta), 0, cs))  # csid 70: 1-byte form
    big = 0xFFFFFF + 5000  # past the 24-bit field: extended timestamps
    video = [bytes([0x17, 1]) + os.urandom(300) for _ in range(3)]
    s.sendall(chunks(400, 9, 1, video[0], big, cs))  # csid 400: 2-byte form, 300 bytes -> type-3 chunks with ext
    s.sendall(chunks(400, 9, 1, video[1], 0, cs, fmt=1, delta=40))  # type 1: new length, delta
    s.sendall(chunks(400, 9, 1, video[2], 0, cs, fmt=2, delta=0xFFFFFF + 1))  # type 2, ext delta
    audio = [bytes([0xAF, 1]) + os.urandom(20) for _ in range(2)]
    s.sendall(chunks(5, 8, 1, audio[0], 1000, cs))
    s.sendall(chunks(5, 8, 1, audio[1], 0, cs, fmt=2, delta=23))
    s.sendall(chunks(3, 20, 0, cmd("FCUnpublish", 6.0, None, "key"), 0, cs))
    s.sendall(chunks(3, 20, 0, cmd("deleteStream", 7.0, None, 1.0), 0, cs))
    time.sleep(0.3)
    s.close()
    proc.wait(timeout=10)
    summ = json.load(open(summary))
    c = summ["connections"][0]
    import hashlib
    want = {"audio": 2, "video": 3, "data": 1, "publish_name": "key",
            "metadata": ["duration", "width", "stereo", "nothing", "list", "nested", "encoder"]}
    for k, v in want.items():
        if summ[k] != v:
            problems.append(f"{k}: {summ[k]!r} != {v!r}")
    if c.get("first_ts") != {"video": big, "audio": 1000}:
        problems.append(f"first_ts {c.get('first_ts')}")
    if c.get("last_ts") != {"video": big + 40 + 0xFFFFFF + 1, "audio": 1023}:
        problems.append(f"last_ts {c.get('last_ts')}")
    if c.get("md5", {}).get("video") != hashlib.md5(b"".join(video)).hexdigest():
        problems.append("video payload bytes differ")
    if c.get("md5", {}).get("audio") != hashlib.md5(b"".join(audio)).hexdigest():
        problems.append("audio payload bytes differ")
    return "hand-built-chunk-stream", not problems, "; ".join(problems) or (
        f"ts ok (ext {big}), payload md5 ok, metadata keys {summ['metadata']}")


def main():
    cases = [
        ("adobe-right-password", "adobe", "alice", "s3cret", "app/stream", (), True),
        ("adobe-wrong-password", "adobe", "alice", "wrong", "app/stream", (), False),
        ("adobe-wrong-user", "adobe", "bob", "s3cret", "app/stream", (), False),
        ("adobe-no-opaque", "adobe", "alice", "s3cret", "app/stream", ("--no-opaque",), True),
        ("llnw-right-password", "llnw", "alice", "s3cret", "app/stream", (), True),
        ("llnw-wrong-password", "llnw", "alice", "wrong", "app/stream", (), False),
        ("llnw-app-instance", "llnw", "alice", "s3cret", "app/inst/stream", (), True),
        ("llnw-challenge-without-user", "llnw", "alice", "s3cret", "app/stream", ("--llnw-no-user",), False),
        ("no-auth", "none", "alice", "s3cret", "app/stream", (), True),
    ]
    failed = 0
    for name, scheme, user, pw, path, extra, ok in cases:
        n, passed, detail = ffmpeg_case(name, scheme, user, pw, path, extra, ok)
        print(("PASS " if passed else "FAIL ") + n + ": " + detail)
        failed += not passed
    n, passed, detail = handbuilt_case()
    print(("PASS " if passed else "FAIL ") + n + ": " + detail)
    failed += not passed
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
