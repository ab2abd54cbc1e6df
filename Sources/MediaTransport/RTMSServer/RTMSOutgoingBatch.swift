import MediaCore
import NIOCore
import NIOWebSocket

/// The writes of one emulator step, grouped by event loop: each loop gets one task that writes its channels' frames
/// in order and flushes each channel once, instead of a task (and a wake-up) per message. Submitted in the order
/// the emulator produced them, so every connection sees its frames in that order.
struct RTMSOutgoingBatch {
    enum Operation: Sendable {
        case frame(WebSocketFrame)
        /// Flush what came before, then close the TCP connection without a close frame.
        case abort
    }

    private var loops: [ObjectIdentifier: (loop: any EventLoop, operations: [(channel: any Channel, operation: Operation)])] = [:]
    private var order: [ObjectIdentifier] = []

    var isEmpty: Bool { order.isEmpty }

    mutating func add(_ operation: Operation, on channel: any Channel) {
        let key = ObjectIdentifier(channel.eventLoop)
        if loops[key] == nil {
            loops[key] = (channel.eventLoop, [])
            order.append(key)
        }
        loops[key]!.operations.append((channel, operation))
    }

    /// Runs the writes: at once for the calling thread's own loop, as one task on each other loop.
    func submit() {
        for key in order {
            let (loop, operations) = loops[key]!
            if loop.inEventLoop {
                Self.run(operations)
            } else {
                loop.execute { Self.run(operations) }
            }
        }
    }

    private static func run(_ operations: [(channel: any Channel, operation: Operation)]) {
        var touched: [ObjectIdentifier: any Channel] = [:]
        for (channel, operation) in operations {
            switch operation {
            case .frame(let frame):
                channel.write(frame, promise: nil)
                touched[ObjectIdentifier(channel)] = channel
            case .abort:
                channel.flush()
                touched[ObjectIdentifier(channel)] = nil
                channel.close(promise: nil)
            }
        }
        for channel in touched.values { channel.flush() }
    }
}
