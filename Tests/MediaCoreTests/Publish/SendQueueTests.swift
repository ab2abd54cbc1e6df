import NIOCore
import Testing

@testable import MediaCore

@Suite struct SendQueueTests {
    func item(_ kind: MediaItem.Kind, _ time: Int64, key: Bool = false, header: Bool = false, size: Int = 10) -> MediaItem {
        MediaItem(
            kind: kind, time: time, payload: ByteBuffer(repeating: 0, count: size), isKeyframe: key,
            isSequenceHeader: header)
    }

    @Test func keepsEverythingWithinCapacity() {
        var queue = SendQueue(capacityMilliseconds: 1000, capacityBytes: 1 << 20)
        for t in stride(from: 0, to: 1000, by: 40) {
            queue.push(item(.video, Int64(t), key: t == 0), dropping: true)
        }
        #expect(queue.count == 25)
        #expect(queue.droppedFrames == 0)
    }

    @Test func dropsInterFramesNeverAudioOrKeyframes() {
        var queue = SendQueue(capacityMilliseconds: 100, capacityBytes: 1 << 20)
        queue.push(item(.video, 0, header: true), dropping: true)
        queue.push(item(.video, 0, key: true), dropping: true)
        for t in stride(from: 20, through: 400, by: 20) {
            queue.push(item(.audio, Int64(t)), dropping: true)
            queue.push(item(.video, Int64(t), key: t == 300), dropping: true)
        }
        let kept = queue.pop(maxBytes: .max)
        #expect(kept.filter { $0.kind == .audio }.count == 20)
        #expect(kept.contains { $0.isSequenceHeader })
        #expect(kept.filter { $0.isKeyframe }.count == 2)
        #expect(queue.droppedFrames > 0)
        // Every inter frame kept comes after a kept keyframe with no dropped frame in between: the frames
        // before the keyframe at 300 were dropped as one run.
        let video = kept.filter { $0.kind == .video && !$0.isSequenceHeader }
        #expect(video.first?.isKeyframe == true)
        let interBeforeSecondKey = video.filter { !$0.isKeyframe && $0.time < 300 }
        #expect(interBeforeSecondKey.isEmpty)
    }

    @Test func skipsVideoUntilNextKeyframeAfterDroppingTheNewest() {
        var queue = SendQueue(capacityMilliseconds: 50, capacityBytes: 1 << 20)
        queue.push(item(.video, 0, key: true), dropping: true)
        queue.push(item(.video, 40), dropping: true)
        queue.push(item(.audio, 100), dropping: true)  // depth 100 > 50: drops the frame at 40
        #expect(queue.droppedFrames == 1)
        queue.push(item(.video, 120), dropping: true)  // depends on the dropped one: dropped too
        #expect(queue.droppedFrames == 2)
        queue.push(item(.video, 160, key: true), dropping: true)
        #expect(queue.pop(maxBytes: .max).map(\.time) == [0, 100, 160])
    }

    @Test func resumeAtKeyframeKeepsHeaders() {
        var queue = SendQueue(capacityMilliseconds: 10_000, capacityBytes: 1 << 20)
        queue.push(item(.video, 0, header: true), dropping: false)
        queue.push(item(.video, 0, key: true), dropping: false)
        queue.push(item(.audio, 10), dropping: false)
        queue.push(item(.video, 40), dropping: false)
        queue.push(item(.video, 80, key: true), dropping: false)
        queue.push(item(.audio, 90), dropping: false)
        queue.resumeAtKeyframe()
        let items = queue.pop(maxBytes: .max)
        #expect(items.map(\.time) == [0, 80, 90])
        #expect(items.first?.isSequenceHeader == true)
    }

    @Test func popRespectsByteBudget() {
        var queue = SendQueue(capacityMilliseconds: 10_000, capacityBytes: 1 << 20)
        for t in 0..<10 { queue.push(item(.audio, Int64(t), size: 100), dropping: false) }
        #expect(queue.pop(maxBytes: 250).count == 2)
        #expect(queue.pop(maxBytes: 50).count == 1)
        #expect(queue.queuedBytes == 700)
        #expect(queue.isFullForProducer == false)
    }

    @Test func aWaitingProducerIsWokenOnlyOnceHalfTheCapacityIsFree() {
        var queue = SendQueue(capacityMilliseconds: 10_000, capacityBytes: 1000)
        for t in 0..<10 { queue.push(item(.video, Int64(t), size: 100), dropping: false) }
        #expect(queue.isFullForProducer)
        #expect(!queue.hasRoomForProducer)
        _ = queue.pop(maxBytes: 400)
        #expect(!queue.isFullForProducer)
        #expect(!queue.hasRoomForProducer, "600 of 1000 bytes queued: not woken yet")
        _ = queue.pop(maxBytes: 100)
        #expect(queue.hasRoomForProducer, "500 of 1000 bytes queued: woken")
    }
}
