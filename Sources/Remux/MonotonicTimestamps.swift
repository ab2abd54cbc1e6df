/// Keeps one stream's decoding timestamps strictly increasing, as FLV players and libavformat's muxer require:
/// a timestamp equal to or before the previous one is moved to the previous one + 1 ms, and counted.
struct MonotonicTimestamps: Sendable {
    private(set) var last: Int64? = nil
    private(set) var corrections = 0

    /// The timestamp to use for a unit stamped `timestampMs`.
    mutating func next(_ timestampMs: Int64) -> Int64 {
        var result = timestampMs
        if let last, result <= last {
            result = last + 1
            corrections += 1
        }
        last = result
        return result
    }
}
