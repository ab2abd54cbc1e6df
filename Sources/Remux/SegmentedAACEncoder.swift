import CFFmpeg
import Dispatch

/// AAC for output that need not be live (a file, stdout), spread over the cores: libavcodec's AAC encoder is
/// single-threaded and is nearly all the work of turning an hour of L16 into FLV, so the samples are cut into
/// segments of a few seconds and each segment is encoded by an encoder of its own on a worker thread. The packets
/// come out in order, with the same timestamps, the same count and the same stream parameters as from one
/// encoder, so a decoder sees one continuous stream.
///
/// Where segments meet: an AAC packet is the transform of 2048 samples (the frame it starts and the next one,
/// which the following packet overlaps) and the encoder looks one more frame ahead to choose its windows, so
/// the packet stamped `t` depends on the samples in [t, t + 3 frames). A segment's encoder therefore starts
/// `warmUpFrames` + 2 frames before the segment's first packet (the packets of that run-in are dropped: they
/// only bring the encoder's psychoacoustic and rate state up to date) and keeps the packets stamped in
/// [start - 2 frames, end - 2 frames): each of them saw every sample it depends on. The last segment is flushed
/// and keeps everything from its start on, encoder delay and the short last frame included.
///
/// Output is the same on every run (each segment's encoding depends on its samples only), not the same bytes as
/// from one encoder: the rate control of each segment starts afresh after its run-in.
final class SegmentedAACEncoder: PCMToAAC {
    let sampleRate: Int
    let channels: Int
    private let bitrate: Int
    private(set) var samplesAppended: Int64 = 0
    /// Never fed: its open context gives the muxer the stream's parameters, which every segment's encoder shares.
    private let reference: AACEncoder
    var context: UnsafeMutablePointer<AVCodecContext> { reference.context }

    private let frameSize: Int
    /// New samples per segment (a whole number of frames).
    let segmentSamples: Int
    /// Samples of the previous segment fed again before a segment's own: the run-in and the 2 frames of overlap.
    private let runInSamples: Int
    private let workers: Int
    private let queue = DispatchQueue(label: "mediactl.aac-segments", attributes: .concurrent)

    private var filling: Segment?
    /// The last segment handed to a worker: the next one starts with its tail.
    private var previous: Segment?
    /// Handed to workers, not yet emitted, oldest first.
    private var inFlight: [Segment] = []
    private var flushed = false

    /// Media time per segment: long enough that the run-in costs a few percent, short enough that the packets of
    /// the other stream do not wait long in the muxer's interleaving queue.
    static let segmentSeconds = 8
    /// Frames encoded and dropped before a segment's first packet, besides the 2 frames of overlap.
    static let warmUpFrames = 4

    /// `workers`: segments encoded at the same time (at least 2, else use `AACEncoder`).
    init(sampleRate: Int, channels: Int, bitrate: Int, workers: Int) throws {
        reference = try AACEncoder(sampleRate: sampleRate, channels: channels, bitrate: bitrate)
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitrate = bitrate
        self.workers = max(workers, 2)
        frameSize = reference.frameSize
        let framesPerSegment = (Self.segmentSeconds * sampleRate + frameSize - 1) / frameSize
        segmentSamples = max(framesPerSegment, 4 * (Self.warmUpFrames + 2)) * frameSize
        runInSamples = (Self.warmUpFrames + 2) * frameSize
    }

    /// The segment being filled and every segment in flight.
    var packetLatencyMicroseconds: Int64 {
        Int64(workers + 1) * Int64(segmentSamples) * 1_000_000 / Int64(sampleRate)
    }

    func fill(
        _ total: Int, _ emit: AACEncoder.Emit,
        _ write: ([UnsafeMutablePointer<Float>], Int, Int, Int) throws -> Void
    ) throws {
        guard !flushed else { throw RemuxError("AAC encoder: audio appended after finish") }
        var done = 0
        while done < total {
            let segment = try segmentBeingFilled()
            let count = min(segment.capacity - segment.count, total - done)
            try write(segment.planes, segment.count, done, count)
            segment.count += count
            done += count
            samplesAppended += Int64(count)
            if segment.count == segment.capacity {
                try hand(segment, last: false, emit)
            }
        }
        try emitFinished(emit, waiting: false)
    }

    func flush(_ emit: AACEncoder.Emit) throws {
        guard !flushed else { return }
        flushed = true
        // Also when the last segment ended exactly full: a segment of run-in only then encodes the tail.
        if samplesAppended > 0 {
            try hand(try segmentBeingFilled(), last: true, emit)
        }
        try emitFinished(emit, waiting: true)
    }

    private func segmentBeingFilled() throws -> Segment {
        if let filling { return filling }
        let segment: Segment
        if let previous {
            let end = previous.firstSample + Int64(previous.count)
            segment = try Segment(
                channels: channels, capacity: runInSamples + segmentSamples, firstSample: end - Int64(runInSamples),
                keepFrom: end - Int64(2 * frameSize))
            for channel in 0..<channels {
                segment.planes[channel].update(from: previous.planes[channel] + (previous.count - runInSamples), count: runInSamples)
            }
            segment.count = runInSamples
        } else {
            segment = try Segment(channels: channels, capacity: segmentSamples, firstSample: 0, keepFrom: nil)
        }
        filling = segment
        return segment
    }

    /// Starts encoding `segment` on a worker, first waiting for (and emitting) the oldest when all are busy.
    private func hand(_ segment: Segment, last: Bool, _ emit: AACEncoder.Emit) throws {
        while inFlight.count >= workers {
            try emitOldest(emit)
        }
        filling = nil
        previous = segment
        segment.keepBefore = last ? nil : segment.firstSample + Int64(segment.count - 2 * frameSize)
        inFlight.append(segment)
        let (sampleRate, channels, bitrate) = (self.sampleRate, self.channels, self.bitrate)
        queue.async {
            segment.encode(sampleRate: sampleRate, channels: channels, bitrate: bitrate, flush: last)
        }
    }

    /// Emits the finished segments at the head of the queue (all of them, waiting, when `waiting`).
    private func emitFinished(_ emit: AACEncoder.Emit, waiting: Bool) throws {
        while let oldest = inFlight.first, waiting || oldest.isFinished {
            try emitOldest(emit)
        }
    }

    private func emitOldest(_ emit: AACEncoder.Emit) throws {
        let oldest = inFlight.removeFirst()
        oldest.done.wait()
        if let failure = oldest.failure { throw failure }
        for packet in oldest.packets { try emit(packet) }
        oldest.packets = []
    }
}

/// One segment's samples (planar float) and, once a worker has encoded them, its packets.
///
/// `@unchecked Sendable`: the producer writes the samples only before the segment is handed to a worker (and
/// only reads them afterwards, for the next segment's run-in); the worker writes `packets` and `failure`, which
/// the producer reads only after `done` is signalled.
private final class Segment: @unchecked Sendable {
    let planes: [UnsafeMutablePointer<Float>]
    let capacity: Int
    var count = 0
    /// Position on the whole stream's sample timeline of `planes[_][0]`.
    let firstSample: Int64
    /// Packets stamped before this are run-in (nil: keep from the start, priming packet included).
    let keepFrom: Int64?
    /// Packets stamped from this on belong to the next segment (nil: the last segment keeps all).
    var keepBefore: Int64?
    let done = DispatchSemaphore(value: 0)
    var packets: [OwnedPacket] = []
    var failure: Error?

    init(channels: Int, capacity: Int, firstSample: Int64, keepFrom: Int64?) throws {
        planes = (0..<channels).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: capacity) }
        self.capacity = capacity
        self.firstSample = firstSample
        self.keepFrom = keepFrom
    }

    /// Whether the worker is done, without waiting.
    var isFinished: Bool {
        guard done.wait(timeout: .now()) == .success else { return false }
        done.signal()
        return true
    }

    deinit {
        for plane in planes { plane.deallocate() }
    }

    /// On a worker: a fresh encoder for this segment's samples; timestamps moved onto the whole stream's timeline.
    func encode(sampleRate: Int, channels: Int, bitrate: Int, flush: Bool) {
        defer { done.signal() }
        do {
            let encoder = try AACEncoder(sampleRate: sampleRate, channels: channels, bitrate: bitrate)
            var kept: [OwnedPacket] = []
            let keep: AACEncoder.Emit = { packet in
                let pointer = packet.pointer
                pointer.pointee.pts += self.firstSample
                pointer.pointee.dts += self.firstSample
                let pts = pointer.pointee.pts
                if let from = self.keepFrom, pts < from { return }
                if let before = self.keepBefore, pts >= before { return }
                kept.append(packet)
            }
            try encoder.fill(count, keep) { destination, offset, source, n in
                for channel in 0..<channels {
                    (destination[channel] + offset).update(from: planes[channel] + source, count: n)
                }
            }
            if flush { try encoder.flush(keep) }
            try checkContinuity(kept, frameSize: encoder.frameSize)
            packets = kept
        } catch {
            failure = error
        }
    }

    /// The kept packets must be every frame of the segment's share, one frame apart: this relies on the encoder
    /// delaying by exactly one frame (as libavcodec's `aac` does), and a build that did otherwise would leave a gap
    /// or an overlap at every seam. Refuse that rather than write it.
    private func checkContinuity(_ kept: [OwnedPacket], frameSize: Int) throws {
        let stamps = kept.map { $0.pointer.pointee.pts }
        let first = keepFrom ?? firstSample - Int64(frameSize)
        let step = Int64(frameSize)
        let continuous = stamps.first == first && zip(stamps, stamps.dropFirst()).allSatisfy { $1 - $0 == step }
        let complete = keepBefore.map { stamps.last == $0 - step } ?? true
        guard continuous && complete else {
            throw RemuxError(
                "AAC segment at sample \(firstSample): the encoder's packets are not one frame apart from \(first)\(keepBefore.map { " to \($0 - step)" } ?? "") (got \(stamps.count) packets from \(stamps.first.map(String.init) ?? "none") to \(stamps.last.map(String.init) ?? "none")); encode with --audio-threads 1")
        }
    }
}
