#!/usr/bin/python3
"""A Zoom webhook endpoint for tests, written from rtms-protocol-notes.md ("Webhooks"), not from mediactl's code:
it receives what an RTMS emulator sends an app (the URL validation challenge, *.rtms_started, *.rtms_stopped).

  webhook_sink.py --secret S [--log FILE] [--wrong-token] [--max-seconds 60]

stdout: one line when ready, {"ready":true,"url":"http://127.0.0.1:PORT/webhook"}.
--log: NDJSON, one line per request: {"event":...,"signature_ok":bool,"timestamp":"<x-zm-request-timestamp>",
"body":{...},"answered":status}. The signature is checked as the notes give it: "v0=" + lowercase
hex(HMAC-SHA256(key: secret, message: "v0:" + timestamp + ":" + raw body)). A URL validation is answered with
{"plainToken": p, "encryptedToken": lowercase hex(HMAC-SHA256(key: secret, message: p))}, or with a wrong token
under --wrong-token. Everything else gets 200 and {}. Exits after --max-seconds.
"""
import argparse
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--log")
    ap.add_argument("--wrong-token", action="store_true")
    ap.add_argument("--max-seconds", type=float, default=60)
    a = ap.parse_args()
    log = open(a.log, "w", encoding="utf-8") if a.log else None
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            stamp = self.headers.get("x-zm-request-timestamp") or ""
            given = self.headers.get("x-zm-signature") or ""
            wanted = "v0=" + hmac.new(a.secret.encode(), b"v0:" + stamp.encode() + b":" + raw,
                                      hashlib.sha256).hexdigest()
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            event = body.get("event") if isinstance(body, dict) else None
            answer = {}
            if event == "endpoint.url_validation":
                plain = (body.get("payload") or {}).get("plainToken", "")
                key = (a.secret + "-wrong") if a.wrong_token else a.secret
                answer = {"plainToken": plain,
                          "encryptedToken": hmac.new(key.encode(), plain.encode(), hashlib.sha256).hexdigest()}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            if log:
                with lock:
                    log.write(json.dumps({"event": event, "signature_ok": hmac.compare_digest(given, wanted),
                                          "timestamp": stamp, "body": body, "answered": 200}) + "\n")
                    log.flush()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(json.dumps({"ready": True, "url": f"http://127.0.0.1:{server.server_address[1]}/webhook"}), flush=True)
    threading.Timer(a.max_seconds, server.shutdown).start()
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
