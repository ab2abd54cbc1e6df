/// The bounded queue between a paced source and a socket that may be slower than the stream.
///
/// It holds at most `capacityMilliseconds` of media (newest minus oldest queued time). When a new item would
/// exceed that, it drops by priority: video frames that are neither keyframes nor sequence headers, from the
/// oldest on, and with them every frame up to the next keyframe (a frame that depends on a dropped one cannot
/// be decoded). Audio, data, keyframes and sequence headers are never dropped. A second bound,
/// `capacityBytes`, is for the producer to wait on (no dropping) when pacing is off.
public struct SendQueue: Sendable {
    public var capacityMilliseconds: Int64
    public var capacityBytes: Int

    public private(set) var items: [MediaItem] = []
    private var head = 0
    public private(set) var queuedBytes = 0
    public private(set) var droppedFrames = 0
    public private(set) var droppedBytes = 0
    /// After dropping a frame whose dependants had not arrived yet, video is skipped until the next keyframe.
    private var skippingVideo = false

    public init(capacityMilliseconds: Int64, capacityBytes: Int) {
        self.capacityMilliseconds = capacityMilliseconds
        self.capacityBytes = capacityBytes
    }

    public var isEmpty: Bool { head == items.count }
    public var first: MediaItem? { head < items.count ? items[head] : nil }
    public var count: Int { items.count - head }

    /// Media time queued: newest minus oldest.
    public var depthMilliseconds: Int64 {
        guard let first = items[head...].first, let last = items.last else { return 0 }
        return last.time - first.time
    }

    /// Whether a producer that must not drop (no pacing) should wait before pushing.
    public var isFullForProducer: Bool { queuedBytes >= capacityBytes }

    /// Whether a producer waiting on `isFullForProducer` should be woken: once half the capacity is free, so that
    /// it refills in bursts rather than one thread wake-up per batch taken.
    public var hasRoomForProducer: Bool { queuedBytes <= capacityBytes / 2 }

    /// Adds an item, dropping droppable video if the queue would hold more than its capacity.
    public mutating func push(_ item: MediaItem, dropping: Bool) {
        if item.kind == .video {
            if item.isKeyframe || item.isSequenceHeader {
                skippingVideo = false
            } else if skippingVideo {
                droppedFrames += 1
                droppedBytes += item.payload.readableBytes
                return
            }
        }
        items.append(item)
        queuedBytes += item.payload.readableBytes
        if dropping {
            while depthMilliseconds > capacityMilliseconds, dropOldestDroppableRun() {}
        }
    }

    /// Takes items from the front, up to about `maxBytes` (at least one item).
    public mutating func pop(maxBytes: Int) -> [MediaItem] {
        var batch: [MediaItem] = []
        var bytes = 0
        while head < items.count, batch.isEmpty || bytes + items[head].payload.readableBytes <= maxBytes {
            let item = items[head]
            batch.append(item)
            bytes += item.payload.readableBytes
            head += 1
        }
        queuedBytes -= bytes
        compact()
        return batch
    }

    /// Items up to (and not after) `time`, for a paced sender.
    public mutating func pop(until time: Int64, maxBytes: Int) -> [MediaItem] {
        var batch: [MediaItem] = []
        var bytes = 0
        while head < items.count, items[head].time <= time,
            batch.isEmpty || bytes + items[head].payload.readableBytes <= maxBytes
        {
            let item = items[head]
            batch.append(item)
            bytes += item.payload.readableBytes
            head += 1
        }
        queuedBytes -= bytes
        compact()
        return batch
    }

    /// After a reconnection: start again at the newest queued video keyframe, dropping what comes before it,
    /// so that the server's first video is decodable; with no keyframe queued, video waits for the next one.
    public mutating func resumeAtKeyframe() {
        guard let keyframe = items[head...].lastIndex(where: { $0.kind == .video && $0.isKeyframe }) else {
            let before = count
            items = items[head...].filter { $0.kind != .video || $0.isSequenceHeader }
            head = 0
            droppedFrames += before - items.count
            recount()
            skippingVideo = true
            return
        }
        let dropped = items[head..<keyframe].filter { !$0.isSequenceHeader && $0.kind != .data }
        droppedFrames += dropped.count
        droppedBytes += dropped.reduce(0) { $0 + $1.payload.readableBytes }
        items = items[head..<keyframe].filter { $0.isSequenceHeader || $0.kind == .data } + items[keyframe...]
        head = 0
        recount()
    }

    private mutating func dropOldestDroppableRun() -> Bool {
        guard let start = items[head...].firstIndex(where: { $0.isDroppable }) else { return false }
        var end = start
        while end < items.count, items[end].kind != .video || items[end].isDroppable {
            end += 1
        }
        let reachedNewest = end == items.count
        var kept: [MediaItem] = []
        for item in items[start..<end] {
            if item.isDroppable {
                droppedFrames += 1
                droppedBytes += item.payload.readableBytes
                queuedBytes -= item.payload.readableBytes
            } else {
                kept.append(item)
            }
        }
        items.replaceSubrange(start..<end, with: kept)
        if reachedNewest {
            // The run reached the newest item: its dependants are still to come.
            skippingVideo = true
        }
        return true
    }

    private mutating func recount() {
        queuedBytes = items[head...].reduce(0) { $0 + $1.payload.readableBytes }
    }

    /// Taken items still hold their payloads (slices of large read blocks): drop them soon, not after
    /// thousands, or memory grows by the blocks they keep alive.
    private mutating func compact() {
        if head >= 32 || head == items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
