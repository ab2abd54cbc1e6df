"""Shared bits of the independent RTMS test peers (server, client check, comparer).

Written from ../../../shared/reference/zoom-rtms-event-reference.txt and rtms-protocol-notes.md only, not
from mediactl's code: these peers exist to check mediactl from the outside.

Runs on Debian 12's /usr/bin/python3 (3.11) with python3-websockets 10.4 (its asyncio API, called
websockets.legacy in later releases). When started by another python3 without websockets, the Debian package
directory is appended to sys.path; with a newer websockets, its websockets.legacy module is used.
"""
import hashlib
import hmac
import json
import sys
import warnings

try:
    import websockets  # noqa: F401
except ImportError:  # pragma: no cover - interpreter without the package
    sys.path.append("/usr/lib/python3/dist-packages")
    import websockets  # noqa: F401

# The peers use the asyncio API of websockets 10.4 (Debian 12), which later releases keep as websockets.legacy
# (deprecated, same behaviour): import it by that name so a newer websockets (e.g. 17.x in a pyenv python)
# runs the same code instead of the new default implementation with its different handler API.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets.legacy.client import connect as ws_connect  # noqa: E402,F401
    from websockets.legacy.server import serve as ws_serve  # noqa: E402,F401
WEBSOCKETS_VERSION = websockets.__version__

# Message types (rtms-protocol-notes.md, "Enumerations").
SIGNALING_HAND_SHAKE_REQ = 1
SIGNALING_HAND_SHAKE_RESP = 2
DATA_HAND_SHAKE_REQ = 3
DATA_HAND_SHAKE_RESP = 4
EVENT_SUBSCRIPTION = 5
EVENT_UPDATE = 6
CLIENT_READY_ACK = 7
STREAM_STATE_UPDATE = 8
SESSION_STATE_UPDATE = 9
SESSION_STATE_REQ = 10
SESSION_STATE_RESP = 11
KEEP_ALIVE_REQ = 12
KEEP_ALIVE_RESP = 13
MEDIA_DATA_AUDIO = 14
MEDIA_DATA_VIDEO = 15
MEDIA_DATA_SHARE = 16
MEDIA_DATA_TRANSCRIPT = 17
MEDIA_DATA_CHAT = 18
STREAM_STATE_REQ = 19
STREAM_STATE_RESP = 20
STREAM_CLOSE_REQ = 21
STREAM_CLOSE_RESP = 22
VIDEO_SUBSCRIPTION_REQ = 28
VIDEO_SUBSCRIPTION_RESP = 29

MEDIA_MSG_TYPES = (14, 15, 16, 17, 18)

# Media type bit mask.
MEDIA_BITS = {"audio": 1, "video": 2, "deskshare": 4, "transcript": 8, "chat": 16}
MEDIA_ALL = 32
MEDIA_NAMES = ("audio", "video", "deskshare", "transcript", "chat")
MSG_TYPE_OF_MEDIA = {"audio": 14, "video": 15, "deskshare": 16, "transcript": 17, "chat": 18}
MEDIA_OF_MSG_TYPE = {v: k for k, v in MSG_TYPE_OF_MEDIA.items()}

# Session / stream states, stop reasons used by the peers.
SESSION_STARTED = 2
SESSION_STOPPED = 5
STREAM_ACTIVE = 1
STREAM_TERMINATED = 4
REASON_MEETING_ENDED = 6
REASON_AWAIT_RECONNECTION_TIMEOUT = 19
REASON_RECEIVER_REQUEST_CLOSE = 20

# Which handshake field carries the session id, per product (notes, "Signature").
ID_FIELD = {
    "meeting": "meeting_uuid",
    "webinar": "meeting_uuid",
    "session": "session_id",
    "contact_center": "engagement_id",
}
WEBHOOK_PREFIX = {
    "meeting": "meeting",
    "webinar": "webinar",
    "session": "session",
    "contact_center": "contact_center.voice",
}


def rtms_signature(secret: str, client_id: str, session_id: str, stream_id: str) -> str:
    """lowercase hex(HMAC-SHA256(key: client secret, message: "<client_id>,<id>,<rtms_stream_id>"))."""
    message = f"{client_id},{session_id},{stream_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """"v0=" + lowercase hex(HMAC-SHA256(key: secret token, message: "v0:" + ts + ":" + raw body))."""
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def encode(msg) -> str:
    """The one wire form the peers use: compact JSON. A logged `msg` re-encodes to the exact text sent."""
    return json.dumps(msg, separators=(",", ":"))


def decode_frame(frame):
    """Text or binary frame -> (object or None, frame kind, raw text)."""
    kind = "binary" if isinstance(frame, (bytes, bytearray, memoryview)) else "text"
    text = bytes(frame).decode("utf-8", "replace") if kind == "binary" else frame
    try:
        obj = json.loads(text)
    except ValueError:
        obj = None
    return obj, kind, text


# The worked example of the notes: a self-check that runs on import is cheap and catches a broken formula.
assert rtms_signature("testsecret", "testclient", "4nYtdqLVTVqGJ+QB62ED7Q==",
                      "03db704592624398931a588dd78200cb") == \
    "ea37996274d1ccf65a8093c260daf165d739f5dcb2e19ef40a90dd101043ab63"
