/// The message type ids of RTMP Specification 1.0.
///
/// "RTMP Chunk Stream uses message type IDs 1, 2, 3, 5, and 6 for protocol control messages" (section 5.4);
/// "RTMP uses message type ID 4 for User Control messages" (section 6.2); the others are listed in section 7.1.
public enum RTMPMessageType: UInt8, Sendable, CaseIterable {
    /// Section 5.4.1: "used to notify the peer of a new maximum chunk size".
    case setChunkSize = 1
    /// Section 5.4.2: "discard the partially received message over a chunk stream".
    case abort = 2
    /// Section 5.4.3: the number of bytes received so far.
    case acknowledgement = 3
    /// Section 6.2: user control events (stream begin, ping, ...).
    case userControl = 4
    /// Section 5.4.4: the window size to use between sending acknowledgements.
    case windowAcknowledgementSize = 5
    /// Section 5.4.5: "sends this message to limit the output bandwidth of its peer".
    case setPeerBandwidth = 6
    /// Section 7.1.4: "The message type value of 8 is reserved for audio messages."
    case audio = 8
    /// Section 7.1.5: "The message type value of 9 is reserved for video messages."
    case video = 9
    /// Section 7.1.2: "message type value of 18 for AMF0 and message type value of 15 for AMF3".
    case dataAMF3 = 15
    /// Section 7.1.3: "The message types 19 for AMF0 and 16 for AMF3 are reserved for shared object events."
    case sharedObjectAMF3 = 16
    /// Section 7.1.1: "message type value of 20 for AMF0 encoding and message type value of 17 for AMF3 encoding".
    case commandAMF3 = 17
    case dataAMF0 = 18
    case sharedObjectAMF0 = 19
    case commandAMF0 = 20
    /// Section 7.1.6: "Message type 22 is used for aggregate messages."
    case aggregate = 22
}
