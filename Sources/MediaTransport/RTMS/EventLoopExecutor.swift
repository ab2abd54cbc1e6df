import NIOCore
import NIOPosix

/// Runs Swift tasks on NIO's event loop threads instead of Swift's own pool. Every websocket message otherwise
/// hops from an event loop thread to the pool and back (its reader task awaits it there): with many streams, those
/// thread switches cost more than the work. Call once, early, before many tasks exist; false when it could not be
/// installed (tasks then run on the pool as usual).
public enum EventLoopExecutor {
    @discardableResult
    public static func install() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
