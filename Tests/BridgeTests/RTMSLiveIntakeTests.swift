@testable import Bridge
import MediaCore
import NIOCore
import Testing

/// The non-blocking hand-over from the receive path to a live bridge: drops instead of waiting, video first and
/// up to the next keyframe, counted.
@Suite struct RTMSLiveIntakeTests {
    static func audio(_ bytes: Int, ts: Int64 = 0) -> RTMSMessage {
        .audio(RTMSMediaContent(userID: 1, data: ByteBuffer(repeating: 1, count: bytes), timestamp: ts))
    }

    /// An H.264 access unit in Annex B: an IDR slice (NAL type 5) or a non-IDR one (type 1), padded.
    static func h264(keyframe: Bool, _ bytes: Int) -> RTMSMessage {
        var data = ByteBuffer(bytes: [0, 0, 0, 1, keyframe ? 0x65 : 0x41])
        data.writeRepeatingByte(0x80, count: bytes - 5)
        return .video(RTMSMediaContent(userID: 1, data: data, timestamp: 0))
    }

    static func kinds(_ messages: [RTMSMessage]) -> [String] {
        messages.map {
            switch $0 {
            case .audio: "a"
            case .video(let c): RTMSLiveIntake.isIndependent(c.data) ? "K" : "v"
            case .share: "s"
            default: "o"
            }
        }
    }

    @Test func keyframesAreRecognised() {
        let sps = ByteBuffer(bytes: [0, 0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x68, 0xCE, 0, 0, 1, 0x65, 0x88])
        #expect(RTMSLiveIntake.isIndependent(sps))
        #expect(!RTMSLiveIntake.isIndependent(ByteBuffer(bytes: [0, 0, 0, 1, 0x41, 0x9A, 0, 0, 1, 0x01])))
        #expect(RTMSLiveIntake.isIndependent(ByteBuffer(bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0])))  // JPEG
        #expect(RTMSLiveIntake.isIndependent(ByteBuffer(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A])))  // PNG
    }

    @Test func aFullIntakeDropsVideoUpToTheNextKeyframeAndKeepsAudio() async {
        let intake = RTMSLiveIntake(capacityBytes: 1000)
        intake.offer(Self.h264(keyframe: true, 400))
        intake.offer(Self.audio(300))
        intake.offer(Self.h264(keyframe: false, 400))  // does not fit: dropped, video skipped to the next keyframe
        intake.offer(Self.audio(200))  // fits
        intake.offer(Self.h264(keyframe: false, 10))  // fits, but depends on the dropped frame
        #expect(intake.dropped.messages == 2)
        #expect(intake.dropped.bytes == 410)
        var batch = await intake.next()
        #expect(Self.kinds(batch ?? []) == ["K", "a", "a"])
        intake.offer(Self.h264(keyframe: false, 10))  // still skipping
        intake.offer(Self.h264(keyframe: true, 100))
        intake.offer(Self.h264(keyframe: false, 100))
        batch = await intake.next()
        #expect(Self.kinds(batch ?? []) == ["K", "v"])
        #expect(intake.dropped.messages == 3)
    }

    @Test func audioMakesRoomByDroppingQueuedVideo() async {
        let intake = RTMSLiveIntake(capacityBytes: 1000)
        intake.offer(Self.h264(keyframe: true, 600))
        intake.offer(Self.audio(300))
        intake.offer(Self.audio(300))  // needs the video's room
        intake.offer(Self.h264(keyframe: false, 10))  // depends on the dropped keyframe
        #expect(intake.dropped.messages == 2)
        #expect(Self.kinds(await intake.next() ?? []) == ["a", "a"])
        // Audio larger than the whole capacity is dropped itself.
        intake.offer(Self.audio(1200))
        #expect(intake.dropped.messages == 3)
    }

    @Test func endDeliversTheRestThenNilAndCloseDropsEverything() async {
        let intake = RTMSLiveIntake(capacityBytes: 1000)
        let reader = Task { await intake.next() }
        intake.offer(Self.audio(10))  // wakes the waiting reader
        #expect(Self.kinds(await reader.value ?? []) == ["a"])
        intake.offer(Self.audio(10))
        intake.end()
        intake.offer(Self.audio(10))  // after the end: ignored
        #expect(Self.kinds(await intake.next() ?? []) == ["a"])
        #expect(await intake.next() == nil)
        #expect(!intake.isClosed)

        let closing = RTMSLiveIntake(capacityBytes: 1000)
        closing.offer(Self.audio(10))
        closing.close()
        #expect(await closing.next() == nil)
        #expect(closing.isClosed)
        #expect(closing.dropped.messages == 0)
    }
}
