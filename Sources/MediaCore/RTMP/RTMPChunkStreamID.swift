/// Chunk stream ids: the valid range and the ones mediactl uses for what it sends.
///
/// "The protocol supports up to 65597 streams with IDs 3-65599. The IDs 0, 1, and 2 are reserved. [...] Chunk
/// Stream ID with value 2 is reserved for low-level protocol control messages and commands." (section 5.3.1.1)
/// "These protocol control messages MUST have message stream ID 0 (known as the control stream) and be sent in
/// chunk stream ID 2." (section 5.4)
///
/// Everything above 2 is the sender's choice; the peer demultiplexes by chunk stream id and never interprets it.
/// mediactl's choice, one chunk stream per kind of message so each keeps its own header compression:
///
/// | id | carries |
/// |----|---------|
/// | 2  | protocol control (types 1, 2, 3, 5, 6) and user control (4) |
/// | 3  | AMF0 commands (connect, createStream, publish, ...) |
/// | 4  | audio (8) |
/// | 5  | data (18: `@setDataFrame`/`onMetaData`) |
/// | 6  | video (9) |
///
/// Audio and video on separate chunk streams lets audio messages use type-2/type-3 headers (constant size and
/// spacing) while video changes length every frame (type 1); a metadata message in between would otherwise reset
/// the audio stream's compression.
public enum RTMPChunkStreamID {
    public static let protocolControl: UInt32 = 2
    public static let command: UInt32 = 3
    public static let audio: UInt32 = 4
    public static let data: UInt32 = 5
    public static let video: UInt32 = 6

    /// Every chunk stream id the basic header can carry: 2 in the one-byte form up to 65599 in the three-byte form.
    public static let validRange: ClosedRange<UInt32> = 2...65599
}
