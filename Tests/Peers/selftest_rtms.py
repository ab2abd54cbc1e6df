#!/usr/bin/python3
"""Self-test of the RTMS peers: rtms_server.py against rtms_client_check.py in every mode and fault.

  selftest_rtms.py [-k NAME] [--keep DIR]

Each scenario starts the server on a free 127.0.0.1 port, runs the client against it, and checks the client's
summary, the server's exit code and the server's log (including a message-by-message comparison of what the client
received with what the server logged as sent). Prints one line per scenario; exit 1 if any failed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
PY = sys.executable  # the peers run under the interpreter that runs the self-test


def make_cert(tmp):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    h264 = os.path.join(tmp, "clip.h264")
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "2",
                    "-c:v", "libx264", "-g", "25", "-bf", "2", "-f", "h264", h264], check=True, capture_output=True)
    return {"cert": cert, "key": key, "h264": h264, "tmp": tmp}


def start_server(tmp, args):
    log = os.path.join(tmp, "server.ndjson")
    ready_path = os.path.join(tmp, "ready.json")
    out = open(ready_path, "w")
    err = open(os.path.join(tmp, "server.err"), "w")
    proc = subprocess.Popen([PY, os.path.join(HERE, "rtms_server.py"), "--log", log, "--max-seconds", "40",
                             "--keepalive-interval", "0.5"] + args, stdout=out, stderr=err)
    deadline = time.time() + 10
    while time.time() < deadline:
        with open(ready_path) as f:
            line = f.readline()
        if line.endswith("\n"):
            return proc, ready_path, log
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + open(os.path.join(tmp, "server.err")).read())
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server not ready")


def run_client(tmp, ready, log, args):
    got = os.path.join(tmp, "got.ndjson")
    cmd = [PY, os.path.join(HERE, "rtms_client_check.py"), "--ready", ready, "--out", got, "--seconds", "25",
           "--compare-log", log] + args
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    summary = json.loads(res.stdout.strip().splitlines()[-1]) if res.stdout.strip() else {}
    return res.returncode, summary, res.stderr


def read_log(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def media_total(log, t):
    return sum(1 for r in log if r["dir"] in ("sent", "unsent", "buffered") and r.get("msg_type") == t
               and r.get("reason") != "connection closed")


SCENARIOS = []
FILES = {}


def fill(arg, files):
    """Substitute {cert} {key} {h264} {tmp} placeholders (and nothing else: JSON arguments keep their braces)."""
    for k, v in files.items():
        arg = arg.replace("{" + k + "}", v)
    return arg


def scenario(name, server_args, client_args, server_rc=0, client_rc=0):
    def deco(check):
        SCENARIOS.append((name, server_args, client_args, server_rc, client_rc, check))
        return check
    return deco


def faults(log):
    return [r for r in log if r["dir"] == "fault"]


def notes(log, what):
    return [r for r in log if r["dir"] == "note" and r["note"] == what]


@scenario("all-connection", ["--duration", "3"], [])
def _(s, log):
    assert s["compare"]["ok"], s["compare"]
    assert s["counts"]["14"] == 150 and s["counts"]["15"] == 75 and s["counts"]["17"] == 2, s["counts"]
    assert s["events"] == [1, 3, 2], s["events"]
    assert s["ended"]["state"] == 4 and s["ended"]["reason"] == 6
    assert s["session_stopped"]["state"] == 5
    assert s["keepalives_answered"] >= 8
    assert not [r for r in log if r["dir"] == "note"], [r for r in log if r["dir"] == "note"]
    assert not [r for r in log if r["dir"] == "unsent"]


@scenario("compare-catches-defects", ["--duration", "2"], [])
def _(s, log):
    """The comparer must fail on each kind of defect a recording can have (a test that cannot fail is a defect)."""
    import copy
    import rtms_compare
    got = [r["msg"] for r in log if r["dir"] == "sent"]
    assert rtms_compare.compare(log, got)["ok"]
    audio = [k for k, m in enumerate(got) if m["msg_type"] == 14]
    hole = got[:audio[10]] + got[audio[10] + 1:]
    r = rtms_compare.compare(log, hole)
    assert not r["ok"] and r["hole_count"] == 1, r
    swapped = list(got)
    swapped[audio[3]], swapped[audio[4]] = swapped[audio[4]], swapped[audio[3]]
    assert not rtms_compare.compare(log, swapped)["ok"]
    dup = got[:audio[5] + 1] + [got[audio[5]]] + got[audio[5] + 1:]
    assert rtms_compare.compare(log, dup)["types"]["14"]["extra_count"] == 1
    changed = copy.deepcopy(got)
    data = changed[audio[7]]["content"]["data"]
    changed[audio[7]]["content"]["data"] = ("B" if data[0] != "B" else "C") + data[1:]
    assert not rtms_compare.compare(log, changed)["ok"]
    media_conn = [r for r in log if r["dir"] == "sent" and r["msg_type"] == 14][0]["connection"]
    last_three = {r["log_seq"] for r in log if r["dir"] == "sent" and r["connection"] == media_conn}
    last_three = set(sorted(last_three)[-3:])
    cut = [r["msg"] for r in log if r["dir"] == "sent" and r["log_seq"] not in last_three]
    r = rtms_compare.compare(log, cut)
    assert not r["ok"] and r["tail_loss_count"] == 3 and r["hole_count"] == 0, r
    assert rtms_compare.compare(log, cut, allow_tail_loss=True)["ok"]


@scenario("per-type-connections", ["--duration", "2"], ["--per-type"])
def _(s, log):
    assert s["compare"]["ok"], s["compare"]
    paths = sorted(r["path"] for r in log if r["dir"] == "conn" and r["event"] == "handshake" and r["kind"] == "media")
    assert paths == ["/media/audio", "/media/transcript", "/media/video"], paths
    assert s["counts"]["14"] == 100 and s["counts"]["17"] == 1, s["counts"]


@scenario("only-per-type-urls-offered", ["--duration", "1", "--media-urls", "per-type"], [])
def _(s, log):
    assert s["compare"]["ok"]
    assert len([r for r in log if r["dir"] == "conn" and r["event"] == "handshake" and r["kind"] == "media"]) == 3


@scenario("binary-frames-both-ways", ["--duration", "1", "--send-binary"], ["--binary"])
def _(s, log):
    assert s["compare"]["ok"]
    assert all(r["frame"] == "binary" for r in log if r["dir"] == "recv")


@scenario("video-sdk-session-id", ["--duration", "1", "--product", "session"], [])
def _(s, log):
    assert s["compare"]["ok"]
    assert "session_id" in [r for r in log if r["dir"] == "recv"][0]["msg"]


@scenario("all-scopes-jpg-video", ["--duration", "2.5", "--scopes", "audio,video,deskshare,transcript,chat"],
          ["--media", "audio,video,deskshare,transcript,chat", "--media-params", json.dumps({"video": {"fps": 10}})])
def _(s, log):
    assert s["compare"]["ok"]
    c = s["counts"]
    assert c["15"] == 13 and c["16"] == 3 and c["18"] == 1, c  # JPG 5 fps, share 1 fps, chat every 2 s
    assert notes(log, "negotiation")  # fps without codec -> JPG 5 fps


@scenario("drop-media", ["--duration", "4", "--fault", "drop-media-at=1.5"], ["--keepalive-timeout", "3"])
def _(s, log):
    assert s["compare"]["ok"], s["compare"]
    assert len(s["reconnects"]) == 1 and s["reconnects"][0]["why"].startswith("dropped"), s["reconnects"]
    assert faults(log)[0]["fault"] == "drop-media-at"
    unsent = s["compare"]["unsent_by_server"].get("14", 0)
    assert 0 < unsent < 50, unsent  # the gap while reconnecting
    assert s["counts"]["14"] + unsent == 200, (s["counts"]["14"], unsent)
    assert s["ended"]["reason"] == 6


@scenario("drop-media-buffered-audio", ["--duration", "4", "--fault", "drop-media-at=1.5", "--buffer-audio"],
          ["--keepalive-timeout", "3"])
def _(s, log):
    assert s["compare"]["ok"], s["compare"]
    assert s["counts"]["14"] == 200, s["counts"]  # nothing lost: held and flushed after reconnection
    assert [r for r in log if r["dir"] == "flushed"]


@scenario("drop-signaling", ["--duration", "4", "--fault", "drop-signaling-at=1.5"], ["--keepalive-timeout", "3"])
def _(s, log):
    assert s["compare"]["ok"], s["compare"]
    assert len(s["reconnects"]) == 1, s["reconnects"]
    assert s["counts"]["2"] == 2 and s["ended"]["reason"] == 6


@scenario("stop-keepalive", ["--duration", "5", "--fault", "stop-keepalive-at=1.5"], ["--keepalive-timeout", "1.2"])
def _(s, log):
    assert s["compare"]["ok"], s["compare"]
    assert len(s["reconnects"]) == 1 and s["reconnects"][0]["why"].startswith("keepalive-timeout"), s["reconnects"]
    t = s["reconnects"][0]["t"]
    assert s["ended"]["reason"] == 6
    assert s["compare"]["unsent_by_server"].get("14", 0) > 40  # about 1.2 s of silence plus the reconnection
    closes = [r for r in log if r["dir"] == "conn" and r["event"] == "close"]
    assert len(closes) == 4, closes
    assert t > 1.5


@scenario("status-failure", ["--duration", "1", "--fault", "status=7", "--reconnect-wait", "1"], [],
          server_rc=4, client_rc=3)
def _(s, log):
    assert s["handshake_failure"] == {"which": "signaling", "status_code": 7, "reason": "simulated failure 7"}


@scenario("media-status-failure", ["--duration", "1", "--fault", "media-status=9", "--reconnect-wait", "1"], [],
          server_rc=4, client_rc=3)
def _(s, log):
    assert s["handshake_failure"] == {"which": "media", "status_code": 9, "reason": "simulated failure 9"}


@scenario("bad-signature", ["--duration", "1", "--reconnect-wait", "1"], ["--signature", "00" * 32],
          server_rc=4, client_rc=3)
def _(s, log):
    f = s["handshake_failure"]
    assert f["which"] == "signaling" and f["status_code"] != 0 and f["reason"] == "invalid signature", f


@scenario("wrong-secret", ["--duration", "1", "--reconnect-wait", "1", "--client-secret", "other"], [],
          server_rc=4, client_rc=3)
def _(s, log):
    assert s["handshake_failure"]["reason"] == "invalid signature"


@scenario("client-stream-close", ["--duration", "10"], ["--close-stream-after", "1"])
def _(s, log):
    assert s["compare"]["ok"]
    assert s["counts"]["22"] == 1 and s["ended"]["reason"] == 20
    assert s["elapsed"] < 4


@scenario("ws-pings", ["--duration", "1.5", "--ws-ping-interval", "0.25"], [])
def _(s, log):
    pings = [r for r in log if r["dir"] == "ws-ping"]
    assert len(pings) >= 6 and all(r["answered"] for r in pings), pings
    assert s["compare"]["ok"], s["compare"]


@scenario("tls-wss", ["--duration", "1", "--tls-cert", "{cert}", "--tls-key", "{key}"], ["--ca-file", "{cert}"])
def _(s, log):
    assert s["compare"]["ok"] and s["ended"]["reason"] == 6


@scenario("tls-wss-untrusted", ["--duration", "1", "--tls-cert", "{cert}", "--tls-key", "{key}", "--reconnect-wait",
                                "1"], ["--max-reconnects", "0"], server_rc="sigterm", client_rc=6)
def _(s, log):
    assert "CERTIFICATE_VERIFY_FAILED" in s["reconnects"][0]["why"], s["reconnects"]


@scenario("real-h264-access-units", ["--duration", "1.6", "--video-h264", "{h264}"], [])
def _(s, log):
    import base64
    assert s["compare"]["ok"]
    frames = [base64.b64decode(r["msg"]["content"]["data"]) for r in log if r["dir"] == "sent" and r["msg_type"] == 15]
    assert len(frames) == 40, len(frames)
    clip = open(FILES["h264"], "rb").read()
    joined = b"".join(frames)
    assert clip.startswith(joined), "access units are not the file's bytes in order"
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v", "-show_entries",
                          "stream=nb_read_frames", "-of", "csv=p=0", "-f", "h264", "-"], input=joined,
                         capture_output=True, check=True).stdout.decode().strip()
    assert out == "40", out


@scenario("client-ignores-keepalives", ["--duration", "6", "--reconnect-wait", "1"],
          ["--ignore-keepalives", "--max-reconnects", "0"], server_rc=4, client_rc=4)
def _(s, log):
    assert notes(log, "keepalive-unanswered")
    assert s["compare"]["ok"], s["compare"]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-k", help="run scenarios whose name contains this")
    ap.add_argument("--keep", help="keep the files of each scenario under this directory")
    args = ap.parse_args()
    failed = 0
    files = make_cert(tempfile.mkdtemp(prefix="rtms-selftest-files-"))
    FILES.update(files)
    for name, sargs, cargs, server_rc, client_rc, check in SCENARIOS:
        if args.k and args.k not in name:
            continue
        tmp = os.path.join(args.keep, name) if args.keep else tempfile.mkdtemp(prefix="rtms-selftest-")
        os.makedirs(tmp, exist_ok=True)
        started = time.time()
        proc = None
        try:
            proc, ready, log = start_server(tmp, [fill(a, files) for a in sargs])
            rc, summary, err = run_client(tmp, ready, log, [fill(a, files) for a in cargs])
            if server_rc == "sigterm":  # nothing ends this server but a signal
                proc.terminate()
                server_rc = 143
            src = proc.wait(timeout=30)
            assert rc == client_rc, \
                f"client exit {rc}, expected {client_rc}: {json.dumps(summary)[:1500]} {err[-1500:]}"
            assert src == server_rc, f"server exit {src}, expected {server_rc}"
            check(summary, read_log(log))
            print(f"PASS {name} ({time.time() - started:.1f}s)")
        except Exception as e:  # noqa: BLE001 - report and go on with the next scenario
            failed += 1
            print(f"FAIL {name}: {type(e).__name__}: {str(e)[:3000]}  [{tmp}]")
        finally:
            if proc and proc.poll() is None:
                proc.kill()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
