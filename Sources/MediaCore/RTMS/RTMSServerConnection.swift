/// One websocket accepted by an emulated RTMS server, named by a number the transport gives it (unique for the
/// server's lifetime).
public struct RTMSServerConnection: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var id: Int

    public init(_ id: Int) { self.id = id }

    public static func < (a: Self, b: Self) -> Bool { a.id < b.id }

    public var description: String { "#\(id)" }
}
