import NIOCore

/// The RTMS recording format: constants and the description printed into the man page.
///
/// See `formatDescription` for the layout. Writing: `RTMSRecordingWriter`; reading: `RTMSRecordingReader`.
public enum RTMSRecordingFormat {
    /// The first eight bytes of every recording.
    public static let magic: [UInt8] = Array("MRTMSREC".utf8)
    /// The version this build writes; readers refuse a later one.
    public static let version: UInt16 = 1
    /// Bytes before the header's metadata: magic, version, flags, metadata length.
    public static let fileHeaderFixedSize = 16
    /// The header's metadata JSON may not be longer than this (checked before it is buffered).
    public static let maxMetadataBytes = 1 << 20
    /// Every record starts with these two bytes ("RT").
    public static let recordSync: UInt16 = 0x5254
    /// Bytes of a record before its payload: sync, kind, connection, arrival time, length.
    public static let recordHeaderSize = 16
    /// Bytes after a record's payload: the CRC-32C.
    public static let recordTrailerSize = 4
    /// A record payload may not be longer than this (checked before it is buffered). Larger than any websocket
    /// message an RTMS server sends (an H.264 key frame in base64 is a few hundred KiB).
    public static let maxPayloadBytes = 64 << 20
    /// The connection byte of a record that belongs to no connection.
    public static let noConnection: UInt8 = 255

    /// The format, as man page text.
    public static let formatDescription: String = """
        RECORDING FORMAT
        A recording holds one RTMS stream: every websocket message received, byte for byte, with its arrival time,
        plus markers for events such as reconnections. `rtms listen --record DIR` writes one file per stream in DIR;
        `rtms replay` reads it. The file is append-only: records are added at the end and never rewritten, so a
        process killed at any point leaves a file whose complete records all read back. All integers are unsigned
        and big-endian. Checksums are CRC-32C (Castagnoli: polynomial 0x1EDC6F41, reflected, initial value and final
        XOR 0xFFFFFFFF; "123456789" gives 0xE3069283).

        File header (version 1):
          offset  size  field
          0       8     magic: the ASCII bytes "MRTMSREC"
          8       2     version: 1. A reader refuses a version it does not know.
          10      2     flags: 0. A reader refuses a file with flag bits it does not know.
          12      4     metadata length M, at most 1048576
          16      M     metadata: a UTF-8 JSON object. Keys: "format" ("mediactl-rtms-recording"), "stream" (the
                        stream: "product", "meeting_uuid" / "session_id" / "engagement_id", "rtms_stream_id",
                        "server_urls", "event_ts"), "created_us" (Unix time in microseconds), "writer". Never holds
                        credentials or signatures. Readers ignore keys they do not know.
          16+M    4     CRC-32C of bytes 0 to 16+M-1

        Then records, back to back, until the end of the file:
          offset  size  field
          0       2     sync: 0x5254 ("RT")
          2       1     kind: 1 message received in a text frame, 2 message received in a binary frame,
                        3 marker (a JSON object: one line of `rtms listen --json`, e.g. {"type":"rtms.reconnect",...}),
                        4 note (UTF-8 text). Readers pass kinds they do not know on unchanged.
          3       1     connection: 0 signaling; 1 to 63 a media connection, named by the media types it carries
                        (1 audio, 2 video, 4 deskshare, 8 transcript, 16 chat, 32 all, or a sum such as 9 for audio
                        and transcript on one connection); 255 none
          4       8     arrival time: Unix time in microseconds when the message was received
          12      4     payload length L, at most 67108864
          16      L     payload: for kinds 1 and 2 the websocket message exactly as received (RTMS JSON text, base64
                        media included), so replay reproduces every payload byte for byte
          16+L    4     CRC-32C of bytes 0 to 16+L-1 of the record

        Damage: a reader stops at the first record that is incomplete (the file ends inside it), has no sync
        marker, announces a length above the limit, or fails its checksum, and reports the byte offset of that
        record and why. Everything before it is intact. A file cut short by a crash or a full disk therefore
        replays up to its last complete message.
        """
}

/// Where and why reading a recording stopped early.
public struct RTMSRecordingDamage: Sendable, Equatable, CustomStringConvertible {
    /// Byte offset in the file of the record (or header) that could not be read.
    public var offset: Int
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "recording damaged at byte \(offset): \(reason)" }
}

/// One record of a recording.
public struct RTMSRecordingRecord: Sendable, Equatable {
    /// The record kind byte.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A websocket message received in a text frame.
        public static let textMessage = Kind(rawValue: 1)
        /// A websocket message received in a binary frame.
        public static let binaryMessage = Kind(rawValue: 2)
        /// A JSON object: an event line such as `rtms.reconnect`.
        public static let marker = Kind(rawValue: 3)
        /// UTF-8 text.
        public static let note = Kind(rawValue: 4)

        public var description: String {
            switch rawValue {
            case 1: return "text_message"
            case 2: return "binary_message"
            case 3: return "marker"
            case 4: return "note"
            default: return "kind_\(rawValue)"
            }
        }
    }

    public var kind: Kind
    /// The connection byte: 0 signaling, 1-63 media, 255 none.
    public var connectionCode: UInt8
    /// Unix time in microseconds when the message arrived.
    public var arrivalMicros: UInt64
    public var payload: ByteBuffer

    public init(kind: Kind, connection: RTMSConnectionID?, arrivalMicros: UInt64, payload: ByteBuffer) {
        self.init(
            kind: kind, connectionCode: connection?.recordingCode ?? RTMSRecordingFormat.noConnection,
            arrivalMicros: arrivalMicros, payload: payload)
    }

    public init(kind: Kind, connectionCode: UInt8, arrivalMicros: UInt64, payload: ByteBuffer) {
        self.kind = kind
        self.connectionCode = connectionCode
        self.arrivalMicros = arrivalMicros
        self.payload = payload
    }

    /// The connection, nil for "none".
    public var connection: RTMSConnectionID? { RTMSConnectionID(recordingCode: connectionCode) }

    /// True for kinds 1 and 2, the messages received.
    public var isMessage: Bool { kind == .textMessage || kind == .binaryMessage }

    /// The received message, decoded.
    public func message() throws -> RTMSMessage { try RTMSMessage.decode(payload) }
}
