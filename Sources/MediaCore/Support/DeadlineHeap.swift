/// A min-heap of (deadline, key) pairs: which of many timers is due first, in O(log n) per change. A key may be
/// pushed again with a new deadline; the caller drops stale pairs when it pops them (lazy deletion).
public struct DeadlineHeap<Key: Sendable>: Sendable {
    private var entries: [(deadline: Double, key: Key)] = []

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// The earliest pair, without removing it.
    public var first: (deadline: Double, key: Key)? { entries.first }

    public mutating func push(_ deadline: Double, _ key: Key) {
        entries.append((deadline, key))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest pair.
    public mutating func pop() -> (deadline: Double, key: Key)? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count && entries[right].deadline < entries[smallest].deadline { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
