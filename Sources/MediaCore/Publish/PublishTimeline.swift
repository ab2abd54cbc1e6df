/// Maps source tag timestamps to output time for one publish: continuous across `--loop` passes, never
/// decreasing, with 32-bit wrap of the source undone.
///
/// FLV: "Timestamp ... Time in milliseconds at which the data in this tag applies. This value is relative to
/// the first tag in the FLV file"; "TimestampExtended ... Extension of the Timestamp field to form a SI32
/// value." A source longer than 2^32 ms (about 49.7 days, stdin from a long-running encoder) wraps; the
/// timeline unwraps it. RTMP timestamps wrap too: the output's low 32 bits go on the wire.
public struct PublishTimeline: Sendable {
    /// Added to the source time of the current pass.
    public private(set) var passOffset: Int64 = 0
    private var firstSourceTime: Int64?
    private var lastSource: UInt32?
    private var unwrap: Int64 = 0
    /// The largest output time so far, and the interval of the last two tags (to place the next pass).
    public private(set) var lastOutputTime: Int64 = -1
    private var lastInterval: Int64 = 0

    public init() {}

    /// Output time of a tag with the given source timestamp.
    public mutating func outputTime(forSource timestamp: UInt32) -> Int64 {
        if let lastSource, timestamp < lastSource, lastSource - timestamp > UInt32.max / 2 {
            unwrap += Int64(UInt32.max) + 1
        }
        lastSource = timestamp
        let source = Int64(timestamp) + unwrap
        if firstSourceTime == nil { firstSourceTime = source }
        var output = source - firstSourceTime! + passOffset
        // Never go back (B-frame files keep DTS monotonic; damaged ones may not).
        if output < lastOutputTime { output = lastOutputTime }
        if lastOutputTime >= 0 { lastInterval = max(0, min(output - lastOutputTime, 1000)) }
        lastOutputTime = max(lastOutputTime, output)
        return output
    }

    /// Starts another pass over the same source (`--loop`): its first tag follows the last one of this pass
    /// by one typical tag interval.
    public mutating func startNextPass() {
        passOffset = lastOutputTime + max(lastInterval, 1)
        firstSourceTime = nil
        lastSource = nil
        unwrap = 0
    }
}
