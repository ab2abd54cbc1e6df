#!/usr/bin/python3
"""Send a Zoom-style webhook (signed as rtms-protocol-notes.md "Webhooks" describes) and print the answer.

  send_webhook.py --url http://127.0.0.1:P/path --secret TOKEN --event meeting.rtms_started \\
                  (--payload-file F | --payload-json '{...}' | --body-file F | --body-json '{...}')
                  [--bad-signature] [--stale-seconds 600] [--timestamp T] [--no-signature] [--pretty]
                  [--nest-object] [--header 'K: V'] [--timeout 5]
  send_webhook.py --url ... --secret TOKEN --validation PLAINTOKEN

Body: {"event": E, "event_ts": <ms>, "payload": P} built from --event and the payload (compact JSON; --pretty
indents it, which a server that hashes a re-serialised body instead of the raw bytes gets wrong); --nest-object
puts P under payload.object; --body-* sends the given bytes verbatim (--event ignored).
Headers: x-zm-request-timestamp = Unix seconds (now, or now - --stale-seconds, or --timestamp);
x-zm-signature = "v0=" + hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body). --bad-signature flips
the last hex digit of a correct signature.
--validation P: sends {"event":"endpoint.url_validation","payload":{"plainToken":P}} and checks the answer:
HTTP 200 with plainToken P and encryptedToken = hex HMAC-SHA256(secret, P) -> "validation_ok": true.

stdout: one JSON line {"status":..., "body":..., "json":..., "elapsed_ms":..., "timestamp":..., "signature":...,
"validation_ok":... (only with --validation)}. Exit 0 when an HTTP response came back (whatever its status),
1 when none did (connection refused, timeout).
"""
import argparse
import hashlib
import hmac
import http.client
import json
import os
import ssl
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rtms_common import webhook_signature  # noqa: E402


def build_body(args):
    if args.body_file:
        with open(args.body_file, "rb") as f:
            return f.read()
    if args.body_json is not None:
        return args.body_json.encode()
    if args.validation is not None:
        event, payload = "endpoint.url_validation", {"plainToken": args.validation}
    else:
        if not args.event:
            raise SystemExit("--event is required with a payload")
        if args.payload_file:
            with open(args.payload_file, encoding="utf-8") as f:
                payload = json.load(f)
        elif args.payload_json is not None:
            payload = json.loads(args.payload_json)
        else:
            payload = {}
        if args.nest_object:
            payload = {"account_id": "test-account", "object": payload}
        event = args.event
    body = {"event": event, "event_ts": int(time.time() * 1000), "payload": payload}
    if args.pretty:
        return json.dumps(body, indent=2).encode()
    return json.dumps(body, separators=(",", ":")).encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--secret", default=os.environ.get("ZM_RTMS_WEBHOOK_SECRET") or os.environ.get("ZOOM_SECRET_TOKEN"),
                    help="webhook secret token (default: $ZM_RTMS_WEBHOOK_SECRET or $ZOOM_SECRET_TOKEN)")
    ap.add_argument("--event")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--payload-file")
    g.add_argument("--payload-json")
    g.add_argument("--body-file")
    g.add_argument("--body-json")
    g.add_argument("--validation", metavar="PLAINTOKEN")
    ap.add_argument("--nest-object", action="store_true")
    ap.add_argument("--pretty", action="store_true")
    ap.add_argument("--bad-signature", action="store_true")
    ap.add_argument("--no-signature", action="store_true", help="send neither signature nor timestamp header")
    ap.add_argument("--stale-seconds", type=float, default=0.0)
    ap.add_argument("--timestamp", help="use this x-zm-request-timestamp value verbatim")
    ap.add_argument("--header", action="append", default=[], help="extra header 'Name: value'")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--ca-file")
    ap.add_argument("--insecure", action="store_true")
    args = ap.parse_args()
    if not args.secret and not args.no_signature:
        ap.error("--secret (or $ZM_RTMS_WEBHOOK_SECRET) is required unless --no-signature")

    body = build_body(args)
    ts = args.timestamp or str(int(time.time() - args.stale_seconds))
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Zoom Marketplace/1.0a"}
    sig = None
    if not args.no_signature:
        sig = webhook_signature(args.secret, ts, body)
        if args.bad_signature:
            sig = sig[:-1] + ("0" if sig[-1] != "0" else "1")
        headers["x-zm-request-timestamp"] = ts
        headers["x-zm-signature"] = sig
    for h in args.header:
        k, _, v = h.partition(":")
        headers[k.strip()] = v.strip()

    u = urllib.parse.urlsplit(args.url)
    path = (u.path or "/") + (f"?{u.query}" if u.query else "")
    if u.scheme == "https":
        ctx = ssl.create_default_context(cafile=args.ca_file)
        if args.insecure:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(u.hostname, u.port or 443, timeout=args.timeout, context=ctx)
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=args.timeout)
    started = time.monotonic()
    try:
        conn.request("POST", path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
    except (OSError, http.client.HTTPException) as e:
        print(json.dumps({"error": f"{type(e).__name__}: {e}", "timestamp": ts, "signature": sig}))
        sys.exit(1)
    finally:
        conn.close()
    text = data.decode("utf-8", "replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    out = {"status": resp.status, "body": text, "json": parsed,
           "elapsed_ms": round((time.monotonic() - started) * 1000, 1), "timestamp": ts, "signature": sig,
           "body_sent": body.decode("utf-8", "replace")}
    if args.validation is not None:
        expected = hmac.new(args.secret.encode(), args.validation.encode(), hashlib.sha256).hexdigest()
        out["expected_encrypted_token"] = expected
        out["validation_ok"] = (resp.status == 200 and isinstance(parsed, dict)
                                and parsed.get("plainToken") == args.validation
                                and parsed.get("encryptedToken") == expected)
    print(json.dumps(out))
    sys.exit(0)


if __name__ == "__main__":
    main()
