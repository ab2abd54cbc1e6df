#!/usr/bin/python3
"""Self-test of send_webhook.py against a tiny reference receiver (127.0.0.1, in this process) that checks
the signature over the raw body, refuses stale timestamps (> 300 s) and answers URL validation, per
rtms-protocol-notes.md "Webhooks". Prints one line per case; exit 1 if any failed.
"""
import hashlib
import hmac
import http.server
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "whsecret"
received = []


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ts = self.headers.get("x-zm-request-timestamp", "")
        sig = self.headers.get("x-zm-signature", "")
        want = "v0=" + hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(sig, want):
            return self.reply(401, {"error": "bad signature"})
        if not ts.isdigit() or abs(time.time() - int(ts)) > 300:
            return self.reply(401, {"error": "stale timestamp"})
        body = json.loads(raw)
        received.append(body)
        if body.get("event") == "endpoint.url_validation":
            p = body["payload"]["plainToken"]
            return self.reply(200, {"plainToken": p, "encryptedToken":
                                    hmac.new(SECRET.encode(), p.encode(), hashlib.sha256).hexdigest()})
        self.reply(200, {"ok": True, "path": self.path})

    def reply(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


def send(port, *extra):
    res = subprocess.run([sys.executable, os.path.join(HERE, "send_webhook.py"), "--url",
                          f"http://127.0.0.1:{port}/zoom/webhook", "--secret", SECRET, *extra],
                         capture_output=True, text=True, timeout=20)
    return res.returncode, json.loads(res.stdout)


def main():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    payload = json.dumps({"meeting_uuid": "4nYtdqLVTVqGJ+QB62ED7Q==", "rtms_stream_id": "abc",
                          "server_urls": "wss://127.0.0.1:1/signaling"})
    cases = [
        ("good", ["--event", "meeting.rtms_started", "--payload-json", payload], 0, 200),
        ("good-pretty-body", ["--event", "meeting.rtms_started", "--payload-json", payload, "--pretty"], 0, 200),
        ("good-nested-object", ["--event", "meeting.rtms_stopped", "--payload-json", payload, "--nest-object"], 0, 200),
        ("bad-signature", ["--event", "meeting.rtms_started", "--payload-json", payload, "--bad-signature"], 0, 401),
        ("stale", ["--event", "meeting.rtms_started", "--payload-json", payload, "--stale-seconds", "600"], 0, 401),
        ("no-signature", ["--event", "meeting.rtms_started", "--payload-json", payload, "--no-signature"], 0, 401),
        ("validation", ["--validation", "qgg8vlvZRS6UYooatFL8Aw"], 0, 200),
    ]
    failed = 0
    for name, extra, rc_want, status_want in cases:
        rc, out = send(port, *extra)
        ok = rc == rc_want and out.get("status") == status_want
        if name == "validation":
            ok = ok and out.get("validation_ok") is True
        if name == "good-nested-object":
            ok = ok and received[-1]["payload"]["object"]["rtms_stream_id"] == "abc"
        print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": rc={rc} {out}"))
        failed += not ok
    httpd.shutdown()
    rc, out = send(port, "--event", "meeting.rtms_started", "--payload-json", payload)
    ok = rc == 1 and "error" in out
    print(("PASS " if ok else "FAIL ") + "no-server" + ("" if ok else f": rc={rc} {out}"))
    failed += not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
