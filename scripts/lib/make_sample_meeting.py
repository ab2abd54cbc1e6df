#!/usr/bin/python3
"""Write a small synthetic RTMS meeting recording, from media files made by scripts/make-sample-meeting.sh.

Written from the recording format description (RTMSRecordingFormat.formatDescription, shown in the man page) and
the RTMS event reference, not from mediactl's reader: the sample is also a check that the format is what it says.

  make_sample_meeting.py --audio tone.s16le --video camera.h264 --fps 15 --share share-*.jpg --seconds 6 --out DIR

Writes DIR/<rtms_stream_id>/stream.mrtms (the layout of rtms listen --record) and prints one JSON summary line (counts per msg_type, size).
The meeting: three participants, mixed L16 16 kHz mono audio every 20 ms (the --audio file, signed 16-bit little
endian), H.264 camera video (Annex B access units split at access unit delimiters) from the active speaker, JPG
screen share at 1 fps between a sharing start and a sharing stop event, transcript lines, active speaker changes,
a participant leaving, keep-alive requests, and the end of the stream (session stopped, stream terminated, meeting
ended). Every value is fixed, so the same inputs give the same file.
"""
import argparse
import base64
import json
import os
import struct
import sys

MAGIC = b"MRTMSREC"
RECORD_SYNC = 0x5254
KIND_TEXT, KIND_BINARY, KIND_MARKER, KIND_NOTE = 1, 2, 3, 4
CONN_SIGNALING, CONN_AUDIO, CONN_VIDEO, CONN_DESKSHARE, CONN_TRANSCRIPT, CONN_NONE = 0, 1, 2, 4, 8, 255

START_MS = 1735732800000  # 2025-01-01T12:00:00Z
MEETING_UUID = "qL7vS2mPR0y3Zk+9xWcTbA=="
STREAM_ID = "5a3d1c0e9b8f4a7e6d2c1b0a9f8e7d6c"
SESSION_ID = "b7e3c1d2a4f54e6b8c9d0e1f2a3b4c5d"
PEOPLE = {"alice": (16778240, "Alice Tester"), "bob": (16779264, "Bob Example"), "carol": (16780288, "Carol Sample")}


def crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


TABLE = crc32c_table()


def crc32c(data: bytes) -> int:
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def file_header(metadata: dict) -> bytes:
    meta = compact(metadata)
    head = MAGIC + struct.pack(">HHI", 1, 0, len(meta)) + meta
    return head + struct.pack(">I", crc32c(head))


def record(kind: int, connection: int, arrival_us: int, payload: bytes) -> bytes:
    head = struct.pack(">HBBQI", RECORD_SYNC, kind, connection, arrival_us, len(payload)) + payload
    return head + struct.pack(">I", crc32c(head))


def access_units(annexb: bytes):
    """Split an Annex B stream at its access unit delimiters (NAL type 9), keeping each unit's start codes."""
    starts = []
    i = 0
    while True:
        j = annexb.find(b"\x00\x00\x01\x09", i)
        if j < 0:
            break
        starts.append(j - 1 if j > 0 and annexb[j - 1] == 0 else j)
        i = j + 4
    if not starts:
        raise SystemExit("no access unit delimiters in the H.264 stream (encode with -x264-params aud=1)")
    return [annexb[a:b] for a, b in zip(starts, starts[1:] + [len(annexb)])]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--audio", help="16 kHz mono signed 16-bit little-endian PCM (none: no audio)")
    ap.add_argument("--video", help="H.264 Annex B with access unit delimiters (none: no camera video)")
    ap.add_argument("--fps", type=int, default=15)
    ap.add_argument("--share", nargs="*", default=[], help="JPG frames of the screen share, in order (none: no share)")
    ap.add_argument("--share-fps", type=int, default=1, help="screen share frames per second (default 1)")
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    pcm = open(a.audio, "rb").read() if a.audio else b""
    units = access_units(open(a.video, "rb").read()) if a.video else []
    shares = [open(p, "rb").read() for p in a.share]

    events = []  # (offset_ms, tie, connection, msg)

    def at(ms, connection, msg, tie=0):
        events.append((ms, tie, connection, msg))

    def who(key):
        uid, name = PEOPLE[key]
        return {"user_id": uid, "user_name": name}

    def event(ms, event_type, tie=0, **fields):
        at(ms, CONN_SIGNALING, {"msg_type": 6, "event": {"event_type": event_type, "timestamp": START_MS + ms, **fields}},
           tie)

    duration_ms = int(a.seconds * 1000)
    at(0, CONN_SIGNALING, {
        "msg_type": 2, "protocol_version": 1, "sequence": 0, "status_code": 0, "reason": "",
        "media_server": {"server_urls": {k: "wss://rtms.sample.invalid/media" for k in
                                         ("audio", "video", "deskshare", "transcript", "all")}}})
    if pcm:
        at(50, CONN_AUDIO, {"msg_type": 4, "protocol_version": 1, "status_code": 0, "reason": "", "sequence": 0,
                            "payload_encrypted": False,
                            "media_params": {"audio": {"content_type": 2, "sample_rate": 1, "channel": 1, "codec": 1,
                                                       "data_opt": 1, "send_rate": 20}}})
    at(52, CONN_VIDEO, {"msg_type": 4, "protocol_version": 1, "status_code": 0, "reason": "", "sequence": 0,
                        "payload_encrypted": False,
                        "media_params": {"video": {"content_type": 3, "codec": 7, "resolution": 1, "data_opt": 3,
                                                   "fps": a.fps}}})
    at(54, CONN_DESKSHARE, {"msg_type": 4, "protocol_version": 1, "status_code": 0, "reason": "", "sequence": 0,
                            "payload_encrypted": False,
                            "media_params": {"deskshare": {"content_type": 3, "codec": 5, "resolution": 1,
                                                           "fps": a.share_fps}}})
    at(56, CONN_TRANSCRIPT, {"msg_type": 4, "protocol_version": 1, "status_code": 0, "reason": "", "sequence": 0,
                             "payload_encrypted": False,
                             "media_params": {"transcript": {"content_type": 5, "src_language": 9,
                                                             "enable_lid": True}}})
    event(100, 1)
    at(101, CONN_SIGNALING, {"msg_type": 9, "state": 2, "timestamp": START_MS + 101, "rtms_session_id": SESSION_ID})
    event(102, 3, participants=[who(k) for k in ("alice", "bob", "carol")])
    event(103, 8, participants=[{"user_id": PEOPLE[k][0]} for k in ("alice", "bob")])

    speakers = [(110, "alice"), (2000, "bob"), (4000, "carol")]
    for ms, key in speakers:
        event(ms, 2, **who(key))

    def speaker(ms):
        current = speakers[0][1]
        for t, key in speakers:
            if ms >= t:
                current = key
        return who(current)

    # Mixed audio, 20 ms per message: 320 samples, 640 bytes.
    frame = 640
    for n, ms in enumerate(range(120, duration_ms, 20)):
        chunk = pcm[n * frame:(n + 1) * frame]
        if len(chunk) < frame:
            break
        at(ms, CONN_AUDIO, {"msg_type": 14, "content": {**speaker(ms), "data": base64.b64encode(chunk).decode(),
                                                         "length": len(chunk), "timestamp": START_MS + ms}})
    # Camera video, H.264 access units at --fps.
    for n, unit in enumerate(units):
        ms = 130 + round(n * 1000 / a.fps)
        if ms >= duration_ms:
            break
        at(ms, CONN_VIDEO, {"msg_type": 15, "content": {**speaker(ms), "data": base64.b64encode(unit).decode(),
                                                         "length": len(unit), "timestamp": START_MS + ms}}, tie=1)
    # Screen share by Bob, JPG at 1 fps.
    if shares:
        event(1500, 5, **who("bob"))
        event(1600 + round(len(shares) * 1000 / a.share_fps) - 400, 6)
    for n, jpg in enumerate(shares):
        ms = 1600 + round(n * 1000 / a.share_fps)
        at(ms, CONN_DESKSHARE, {"msg_type": 16, "content": {**who("bob"), "data": base64.b64encode(jpg).decode(),
                                                             "length": len(jpg), "timestamp": START_MS + ms}}, tie=2)
    # Transcript lines.
    lines = [(1200, "alice", 180, "Good morning, everyone."), (2600, "bob", 2050, "Let me share my screen."),
             (3800, "bob", 2700, "Here is the quarterly plan."), (5200, "carol", 4050, "Thanks, that looks good.")]
    # Longer meetings get a line every 1.5 s after that, by whoever speaks.
    for n, ms in enumerate(range(6500, duration_ms - 600, 1500)):
        key = ("alice", "bob", "carol")[n % 3]
        lines.append((ms, key, ms - 1300, f"Line {n + 5} of the meeting."))
    for ms, key, begin, text in lines:
        at(ms, CONN_TRANSCRIPT, {"msg_type": 17, "content": {**who(key), "start_time": START_MS + begin,
                                                              "end_time": START_MS + ms - 100,
                                                              "timestamp": START_MS + ms, "language": 9,
                                                              "data": text}}, tie=3)
    # Keep-alive requests as a client receives them (not replayed: the emulator makes its own).
    for ms, conn in ((3000, CONN_SIGNALING), (3001, CONN_AUDIO), (3002, CONN_VIDEO), (3003, CONN_DESKSHARE),
                     (3004, CONN_TRANSCRIPT)):
        at(ms, conn, {"msg_type": 12, "timestamp": START_MS + ms, "sequence": 1})
    event(duration_ms - 500, 4, participants=[{"user_id": PEOPLE["carol"][0]}])
    at(duration_ms + 50, CONN_SIGNALING, {"msg_type": 9, "state": 5, "stop_reason": 6,
                                          "timestamp": START_MS + duration_ms + 50, "rtms_session_id": SESSION_ID})
    at(duration_ms + 51, CONN_SIGNALING, {"msg_type": 8, "state": 4, "reason": 6,
                                          "timestamp": START_MS + duration_ms + 51})

    events.sort(key=lambda e: (e[0], e[1]))
    out_dir = os.path.join(a.out, STREAM_ID)
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "stream.mrtms")
    counts = {}
    with open(path, "wb") as f:
        f.write(file_header({
            "format": "mediactl-rtms-recording",
            "stream": {"product": "meeting", "meeting_uuid": MEETING_UUID, "rtms_stream_id": STREAM_ID,
                       "server_urls": "wss://rtms.sample.invalid/signaling", "event_ts": START_MS - 900},
            "created_us": (START_MS - 500) * 1000, "writer": "make-sample-meeting"}))
        f.write(record(KIND_NOTE, CONN_NONE, (START_MS - 400) * 1000,
                       b"synthetic sample meeting made by scripts/make-sample-meeting.sh"))
        for n, (ms, _, conn, msg) in enumerate(events):
            # Arrival a little after the server's timestamp, varying but fixed.
            arrival_us = (START_MS + ms) * 1000 + 250 + (n * 37) % 400
            f.write(record(KIND_TEXT, conn, arrival_us, compact(msg)))
            counts[str(msg["msg_type"])] = counts.get(str(msg["msg_type"]), 0) + 1
        end_us = (START_MS + duration_ms + 60) * 1000
        f.write(record(KIND_MARKER, CONN_NONE, end_us, compact({
            "type": "rtms.end", "stream": STREAM_ID, "outcome": "terminated", "reason": 6,
            "reason_name": "meeting_ended"})))
    print(json.dumps({"path": path, "bytes": os.path.getsize(path), "messages": len(events), "counts": counts,
                      "meeting_uuid": MEETING_UUID, "rtms_stream_id": STREAM_ID}))


if __name__ == "__main__":
    sys.exit(main())
