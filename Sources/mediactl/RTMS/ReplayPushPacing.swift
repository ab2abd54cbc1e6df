import Bridge
import MediaTransport

/// `rtms replay --push` converts just ahead of the publish instead of as far ahead as the bridge's queue holds:
/// the FLV made so far may be at most `leadMs` of media time ahead of the publisher's real-time clock. So
/// `transponder mute` and `sound` act on what is about to be sent (the audio is encoded when it is converted),
/// like on a live stream, and memory stays flat.
///
/// It only waits while output exists and runs ahead, and the publisher's clock always advances, so it cannot
/// hold up the conversion that the publisher is waiting for (a converter still holding messages back for
/// their codecs has no output yet).
struct ReplayPushPacing {
    let bridge: FLVPublishBridge
    let publisher: RTMPPublisher
    var leadMs: Int64 = 500

    /// Waits, in steps of at most 100 ms, until the converted media are no more than `leadMs` ahead; returns at
    /// once when the publisher is stopping or the task is cancelled (the publisher is done).
    func wait() async {
        while !publisher.isStopping && !Task.isCancelled {
            let ahead = bridge.progress.summary.durationMs - Int64(publisher.currentStats.wallTime) - leadMs
            guard ahead > 0 else { return }
            try? await Task.sleep(for: .milliseconds(min(ahead, 100)))
        }
    }
}
