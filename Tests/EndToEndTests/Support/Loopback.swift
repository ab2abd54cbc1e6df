import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Small POSIX socket helpers for 127.0.0.1 only: free ports, "does this port accept?", and a plain HTTP/1.0 GET
/// (nginx's /stat and /control), so the harness needs nothing but Foundation.
enum Loopback {
    static let host = "127.0.0.1"

    /// `count` distinct ports that were free a moment ago: each is bound to 127.0.0.1:0 (the kernel picks), all are
    /// held open together so they differ, then released. Another process can still take one before our server
    /// binds it; `NginxRTMP.start()` retries with new ports when that happens.
    static func freePorts(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw HarnessError("socket() failed: errno \(errno)") }
            sockets.append(fd)
            var address = socketAddress(port: 0)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw HarnessError("bind(127.0.0.1:0) failed: errno \(errno)") }
            var actual = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &actual) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            guard named == 0 else { throw HarnessError("getsockname failed: errno \(errno)") }
            ports.append(Int(UInt16(bigEndian: actual.sin_port)))
        }
        return ports
    }

    static func freePort() throws -> Int { try freePorts(1)[0] }

    /// True when something accepts a TCP connection on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        guard let fd = try? connectedSocket(port: port, timeout: 1) else { return false }
        close(fd)
        return true
    }

    /// Polls until 127.0.0.1:`port` accepts TCP, every 10 ms, at most `timeout` seconds; false when it never did.
    static func waitUntilAccepting(port: Int, timeout: TimeInterval, while stillWorthWaiting: () -> Bool = { true })
        -> Bool
    {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if accepts(port: port) { return true }
            if !stillWorthWaiting() { return false }
            usleep(10_000)
        }
        return accepts(port: port)
    }

    struct HTTPResponse: Sendable {
        var status: Int
        var body: String
    }

    /// `GET path` over HTTP/1.0 to 127.0.0.1:`port`, read to the end; bounded by `timeout` per socket call.
    static func httpGet(port: Int, path: String, timeout: TimeInterval = 5) throws -> HTTPResponse {
        let fd = try connectedSocket(port: port, timeout: timeout)
        defer { close(fd) }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw HarnessError("HTTP GET \(path) on port \(port): send failed, errno \(errno)") }
            sent += n
        }
        var response = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16384)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw HarnessError("HTTP GET \(path) on port \(port): no answer within \(timeout) s (errno \(errno))")
            }
            response += chunk[0..<n]
            if Date() > deadline {
                throw HarnessError("HTTP GET \(path) on port \(port): answer not finished within \(timeout) s")
            }
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let headerEnd = text.range(of: "\r\n\r\n") else {
            throw HarnessError("HTTP GET \(path) on port \(port): malformed answer: \(text.prefix(200))")
        }
        let statusLine = text[..<headerEnd.lowerBound].split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw HarnessError("HTTP GET \(path) on port \(port): bad status line '\(statusLine)'")
        }
        return HTTPResponse(status: status, body: String(text[headerEnd.upperBound...]))
    }

    private static func socketAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        return address
    }

    /// A blocking TCP socket connected to 127.0.0.1:`port`, with send/receive timeouts set.
    private static func connectedSocket(port: Int, timeout: TimeInterval) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed: errno \(errno)") }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = socketAddress(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let error = errno
            close(fd)
            throw HarnessError("connect to 127.0.0.1:\(port) failed: errno \(error)")
        }
        return fd
    }
}
