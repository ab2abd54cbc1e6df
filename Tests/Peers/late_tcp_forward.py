#!/usr/bin/env python3
"""A TCP forwarder that starts listening late: a server that is not there yet, then is.

Listens on 127.0.0.1:--port only after --delay seconds (connections before then are refused by the kernel), then
forwards every connection to 127.0.0.1:--target-port, both directions, until either side closes. Exits after
--max-seconds at the latest.

stdout: {"ready":true,"port":P} once bound (the port is reserved at start: --port 0 picks a free one, which is
printed first as {"port":P}), then {"accepted":N,"t":seconds since start} for every connection.
Exit codes: 0 after --max-seconds, 2 usage.
"""
import argparse
import json
import socket
import sys
import threading
import time


def pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one, chosen at start)")
    ap.add_argument("--target-port", type=int, required=True)
    ap.add_argument("--delay", type=float, default=1.0, help="seconds before listening")
    ap.add_argument("--max-seconds", type=float, default=60.0)
    args = ap.parse_args()
    start = time.monotonic()

    # Reserve the port now (bound, not listening: connections are refused) so the test knows it at once.
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    port = server.getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    time.sleep(args.delay)
    server.listen(16)
    server.settimeout(0.2)
    print(json.dumps({"ready": True, "port": port}), flush=True)
    accepted = 0
    while time.monotonic() - start < args.max_seconds:
        try:
            client, _ = server.accept()
        except socket.timeout:
            continue
        accepted += 1
        print(json.dumps({"accepted": accepted, "t": round(time.monotonic() - start, 3)}), flush=True)
        target = socket.create_connection(("127.0.0.1", args.target_port), timeout=5)
        target.settimeout(None)
        client.settimeout(None)
        threading.Thread(target=pump, args=(client, target), daemon=True).start()
        threading.Thread(target=pump, args=(target, client), daemon=True).start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
