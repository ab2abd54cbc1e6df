/// The Limit Type of a Set Peer Bandwidth message (section 5.4.5).
public enum RTMPBandwidthLimit: UInt8, Sendable, CaseIterable {
    /// "0 - Hard: The peer SHOULD limit its output bandwidth to the indicated window size."
    case hard = 0
    /// "1 - Soft: The peer SHOULD limit its output bandwidth to the the window indicated in this message or the limit
    /// already in effect, whichever is smaller."
    case soft = 1
    /// "2 - Dynamic: If the previous Limit Type was Hard, treat this message as though it was marked Hard, otherwise
    /// ignore this message."
    case dynamic = 2
}
