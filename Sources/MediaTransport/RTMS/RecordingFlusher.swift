import Foundation
import NIOConcurrencyHelpers

/// The thread that writes recordings to disk. Recorders queue encoded records in memory; every `interval` this
/// thread hands each recorder's queue to `write(2)`. A disk that stalls (a journal commit, writeback throttling)
/// then stalls this thread only, not the event loops that read every stream's sockets. Memory stays bounded:
/// past `maxPendingBytes` queued in all, `isOverloaded` tells the stream runners to stop reading until the disk
/// catches up (TCP pushes back on the servers).
final class RecordingFlusher: @unchecked Sendable {
    static let shared = RecordingFlusher()

    /// How long a record may wait in memory: what SIGKILL can lose at most.
    static let interval: TimeInterval = 0.02
    /// Queued bytes of all recordings together before readers wait.
    static let maxPendingBytes = 64 << 20

    private let lock = NIOLock()
    private var recorders: [ObjectIdentifier: RTMSRecorder] = [:]
    private let pending = NIOLockedValueBox(0)

    private init() {
        let thread = Thread { [unowned self] in
            while true {
                Thread.sleep(forTimeInterval: Self.interval)
                let active = lock.withLock { Array(recorders.values) }
                for recorder in active { recorder.flush() }
            }
        }
        thread.name = "mediactl-recording"
        thread.start()
    }

    func register(_ recorder: RTMSRecorder) {
        lock.withLock { recorders[ObjectIdentifier(recorder)] = recorder }
    }

    func unregister(_ recorder: RTMSRecorder) {
        _ = lock.withLock { recorders.removeValue(forKey: ObjectIdentifier(recorder)) }
    }

    /// Queued bytes went up (positive) or were written (negative).
    func adjust(_ delta: Int) {
        pending.withLockedValue { $0 += delta }
    }

    /// True while more than `maxPendingBytes` wait to be written.
    var isOverloaded: Bool { pending.withLockedValue { $0 > Self.maxPendingBytes } }
}
