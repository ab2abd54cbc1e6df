/// Gives H.264 access units presentation timestamps when the stream reorders pictures (B-frames).
///
/// RTMS stamps messages in the order they are sent, which is decoding order; with B-frames the display order,
/// given by the picture order count (POC) the parser computes, differs. This runs the decoder's "bumping"
/// process: once more than `reorderDelay` pictures wait, the one first in display order is shown, at the
/// decoding timestamp of the picture just decoded. A new coded video sequence (IDR) starts a new generation,
/// displayed after everything of the previous one. The delay is learned from the first `learningWindow`
/// pictures (0 for streams without B-frames, which adds no latency after them) and raised when a later picture
/// proves it too small.
struct PresentationReorderer<Payload> {
    struct Output {
        var payload: Payload
        var dtsMs: Int64
        var ptsMs: Int64
    }

    /// Pictures looked at before the reorder delay is fixed (H.264 allows a DPB of at most 16 frames).
    static var learningWindow: Int { 16 }

    private struct Picture {
        var payload: Payload
        var dtsMs: Int64
        var ptsMs: Int64?
        var generation: Int
        var order: Int32

        func displaysBefore(_ other: Picture) -> Bool {
            (generation, order) < (other.generation, other.order)
        }
    }

    private(set) var reorderDelay: Int? = nil
    /// Pictures that arrived after one that followed them in display order had been shown.
    private(set) var latePictures = 0
    private var pictures: [Picture] = []  // decoding order, not yet handed out
    private var bumped = 0  // pictures whose arrival has been processed by the bumping step
    private var generation = -1
    private var lastShown: (generation: Int, order: Int32)? = nil
    private var lastDtsStep: Int64 = 1

    /// Adds the next picture in decoding order (`dtsMs` strictly increasing); returns the pictures that can be
    /// written now, in decoding order.
    mutating func push(_ payload: Payload, dtsMs: Int64, pictureOrder: Int32, startsSequence: Bool) -> [Output] {
        if startsSequence || generation < 0 { generation += 1 }
        if let last = pictures.last { lastDtsStep = max(dtsMs - last.dtsMs, 1) }
        let picture = Picture(payload: payload, dtsMs: dtsMs, ptsMs: nil, generation: generation, order: pictureOrder)
        if let lastShown, (picture.generation, picture.order) < lastShown {
            latePictures += 1
            reorderDelay = (reorderDelay ?? 0) + 1
        }
        pictures.append(picture)
        if reorderDelay == nil {
            guard pictures.count >= Self.learningWindow else { return [] }
            reorderDelay = Self.observedDelay(pictures)
        }
        return bumpAndTake()
    }

    /// Shows every picture still waiting, continuing the decoding timestamps at the last step.
    mutating func finish() -> [Output] {
        if reorderDelay == nil { reorderDelay = Self.observedDelay(pictures) }
        var outputs = bumpAndTake()
        var clock = pictures.last?.dtsMs ?? 0
        while let index = nextToShow() {
            clock += lastDtsStep
            show(index, at: clock)
        }
        outputs += take()
        return outputs
    }

    /// The smallest delay that never shows a picture before it is decoded, over the pictures so far.
    private static func observedDelay(_ pictures: [Picture]) -> Int {
        let displayOrder = pictures.indices.sorted { pictures[$0].displaysBefore(pictures[$1]) }
        var delay = 0
        for (rank, decodeIndex) in displayOrder.enumerated() {
            delay = max(delay, decodeIndex - rank)
        }
        return delay
    }

    private mutating func bumpAndTake() -> [Output] {
        let delay = reorderDelay ?? 0
        while bumped < pictures.count {
            let clock = pictures[bumped].dtsMs
            bumped += 1
            while waitingCount(upTo: bumped) > delay, let index = nextToShow(upTo: bumped) {
                show(index, at: clock)
            }
        }
        return take()
    }

    private func waitingCount(upTo end: Int) -> Int {
        pictures[..<end].reduce(0) { $0 + ($1.ptsMs == nil ? 1 : 0) }
    }

    private func nextToShow(upTo end: Int? = nil) -> Int? {
        var best: Int? = nil
        for index in 0..<(end ?? pictures.count) where pictures[index].ptsMs == nil {
            if let current = best, !pictures[index].displaysBefore(pictures[current]) { continue }
            best = index
        }
        return best
    }

    private mutating func show(_ index: Int, at clock: Int64) {
        pictures[index].ptsMs = max(clock, pictures[index].dtsMs)
        let shown = (pictures[index].generation, pictures[index].order)
        if let lastShown, shown < lastShown {} else { lastShown = shown }
    }

    /// Hands out the leading pictures that have a presentation time.
    private mutating func take() -> [Output] {
        var outputs: [Output] = []
        while let first = pictures.first, let pts = first.ptsMs {
            outputs.append(Output(payload: first.payload, dtsMs: first.dtsMs, ptsMs: pts))
            pictures.removeFirst()
            bumped -= 1
        }
        return outputs
    }
}
