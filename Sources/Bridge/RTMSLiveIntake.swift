import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// The hand-over from an RTMS stream's receive path to its live bridge: `offer` never waits (it runs on the
/// event loop that answers keep-alives and feeds the recording), `next` hands the queued messages to the one
/// task that converts them.
///
/// Bounded by `capacityBytes` of queued media payload. When a message does not fit, the queue drops as the RTMP
/// publisher's send queue does (`SendQueue`): video first, never a message it keeps for later. A video (or
/// screen share) message that does not fit is dropped, and with it every following H.264 frame up to the next
/// keyframe (a frame that depends on a dropped one cannot be decoded; JPG and PNG pictures stand alone). An audio
/// message that does not fit makes room by dropping the queued video (again up to the next keyframe); only when
/// that is not enough is the audio itself dropped. Every drop is counted.
final class RTMSLiveIntake: Sendable {
    private struct State {
        var messages = CircularBuffer<(message: RTMSMessage, bytes: Int)>()
        var bytes = 0
        var ended = false
        var closed = false
        var skippingVideo = false
        var droppedMessages = 0
        var droppedBytes = 0
        var reader: CheckedContinuation<Void, Never>?

        mutating func drop(bytes: Int) {
            droppedMessages += 1
            droppedBytes += bytes
        }

        /// Drops every queued video message; video is then skipped up to the next keyframe.
        mutating func dropQueuedVideo() {
            var kept = CircularBuffer<(message: RTMSMessage, bytes: Int)>()
            for entry in messages {
                if entry.message.videoPayload != nil {
                    drop(bytes: entry.bytes)
                    bytes -= entry.bytes
                    skippingVideo = true
                } else {
                    kept.append(entry)
                }
            }
            messages = kept
        }
    }

    let capacityBytes: Int
    private let state = NIOLockedValueBox(State())

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// Queues a message (or drops it, see above). Ignored after `end` or `close`.
    func offer(_ message: RTMSMessage) {
        let size: Int
        var isVideo = false
        switch message {
        case .audio(let content): size = content.data.readableBytes
        case .video(let content), .share(let content):
            size = content.data.readableBytes
            isVideo = true
        default: size = 0
        }
        let reader = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard !state.ended, !state.closed else { return nil }
            if isVideo {
                let payload = message.videoPayload!
                if Self.isIndependent(payload) {
                    state.skippingVideo = false
                } else if state.skippingVideo {
                    state.drop(bytes: size)
                    return nil
                }
                if state.bytes + size > capacityBytes {
                    state.drop(bytes: size)
                    state.skippingVideo = true
                    return nil
                }
            } else if size > 0, state.bytes + size > capacityBytes {
                state.dropQueuedVideo()
                if state.bytes + size > capacityBytes {
                    state.drop(bytes: size)
                    return nil
                }
            }
            state.messages.append((message, size))
            state.bytes += size
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume()
    }

    /// Everything queued; nil once ended (or closed) and empty.
    func next() async -> [RTMSMessage]? {
        while true {
            let taken = state.withLockedValue { state -> [RTMSMessage]?? in
                if state.closed { return .some(nil) }
                if !state.messages.isEmpty {
                    let batch = state.messages.map(\.message)
                    state.messages.removeAll(keepingCapacity: true)
                    state.bytes = 0
                    return .some(batch)
                }
                return state.ended ? .some(nil) : nil
            }
            if let taken { return taken }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLockedValue { state -> Bool in
                    if state.closed || state.ended || !state.messages.isEmpty { return true }
                    state.reader = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        }
    }

    /// No more messages: `next` returns what is queued, then nil.
    func end() {
        wake { $0.ended = true }
    }

    /// The bridge is gone: what is queued is dropped (not counted), `next` returns nil, offers are ignored.
    func close() {
        wake { state in
            state.closed = true
            state.messages.removeAll()
            state.bytes = 0
        }
    }

    /// `close()` was called (as opposed to `end()`).
    var isClosed: Bool { state.withLockedValue { $0.closed } }

    var dropped: (messages: Int, bytes: Int) {
        state.withLockedValue { ($0.droppedMessages, $0.droppedBytes) }
    }

    private func wake(_ change: (inout State) -> Void) {
        let reader = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            change(&state)
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume()
    }

    /// Whether a picture decodes without the ones before it: a JPG or PNG picture always; H.264 (Annex B) when it
    /// holds an IDR slice or a sequence parameter set. H.264: "nal_unit_type ... 5 Coded slice of an IDR
    /// picture ... 7 Sequence parameter set"; a NAL unit follows each start code 0x000001.
    static func isIndependent(_ payload: ByteBuffer) -> Bool {
        if RTMSFLVCodecs.sniff(payload) != .h264 { return true }
        return payload.withUnsafeReadableBytes { bytes in
            var index = 0
            while index + 3 < bytes.count {
                if bytes[index] == 0, bytes[index + 1] == 0, bytes[index + 2] == 1 {
                    let type = bytes[index + 3] & 0x1F
                    if type == 5 || type == 7 { return true }
                    index += 3
                } else {
                    index += 1
                }
            }
            return false
        }
    }
}

extension RTMSMessage {
    /// The payload of a video or screen share message.
    fileprivate var videoPayload: ByteBuffer? {
        switch self {
        case .video(let content), .share(let content): content.data
        default: nil
        }
    }
}
