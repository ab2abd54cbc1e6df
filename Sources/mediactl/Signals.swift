import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM: the first asks the command to stop gracefully (close streams, flush files); a second
/// one exits at once with status 130.
final class Signals: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var count = 0
    private(set) var received: Int32?

    init(_ onFirst: @escaping @Sendable (Int32) -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                self.count += 1
                let first = self.count == 1
                if first { self.received = number }
                self.lock.unlock()
                if first {
                    onFirst(number)
                } else {
                    Console.writeAll(STDERR_FILENO, "\ninterrupted again: exiting now\n")
                    exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    var wasInterrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return received != nil
    }

    deinit {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
