import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private nginx with the RTMP module on 127.0.0.1, for one test: its own config, logs, recordings and (with TLS)
/// certificate in a fresh temp directory, one process (`daemon off; master_process off;`), free ports.
///
/// - RTMP on `rtmpPort`, application `live` with `record all` into `rec/STREAM.flv` (`record_unique off`).
/// - HTTP on `httpPort`: `/stat` (rtmp_stat XML), `/control` (rtmp_control), and with `onPublishAuth` the
///   `on_publish` callback `/auth`, answered by nginx itself: 200 when the stream's query carries exactly
///   `user=U&pass=P`, else 403 (nginx then closes the publisher's TCP connection with no onStatus).
/// - With `tls`, RTMPS on `tlsPort`: nginx's stream module terminates TLS with a self-signed certificate for
///   127.0.0.1/localhost (`caFile`) and proxies to the RTMP port.
///
/// Recording facts (nginx-rtmp 1.2.2, checked here): the file has no onMetaData; the AAC sequence header is
/// written twice; timestamps are rebased so the first recorded message is at 0 (or, with `recordAppend`, at the
/// last timestamp already in the file). Compare with `FrameMD5.mismatches(comparedTo:)`, not by bytes.
final class NginxRTMP: @unchecked Sendable {
    static let executable = "/usr/sbin/nginx"
    static let rtmpModule = "/usr/lib/nginx/modules/ngx_rtmp_module.so"
    static let streamModule = "/usr/lib/nginx/modules/ngx_stream_module.so"
    static let application = "live"
    /// Bound on waiting for the ports to accept after launch.
    static let startTimeout: TimeInterval = 10
    /// Bound on a graceful stop before SIGKILL.
    static let stopTimeout: TimeInterval = 5
    /// Launch attempts when a port picked as free was taken in the meantime.
    static let portAttempts = 3

    let directory: String
    let onPublishAuth: (user: String, pass: String)?
    let tls: Bool
    let recordAppend: Bool
    let record: Bool
    let chunkSize: Int
    let extraApplicationDirectives: [String]

    private(set) var rtmpPort = 0
    private(set) var httpPort = 0
    /// 0 unless `tls`.
    private(set) var tlsPort = 0
    private var process: BackgroundProcess?
    /// How long the last `start()` took from launch to every port accepting.
    private(set) var startDuration: TimeInterval = 0

    /// - Parameters:
    ///   - onPublishAuth: require `?user=U&pass=P` on the published stream name (letters, digits, `._-` only).
    ///   - tls: add the RTMPS front on `tlsPort`.
    ///   - recordAppend: `record_append on` (a republished stream continues the same file; nginx shifts the new
    ///     session's timestamps to start at the last one in the file). Off: a republish truncates the file.
    ///   - record: `record all` (default) or `record off`.
    ///   - extraApplicationDirectives: more lines for `application live { }`, e.g. `"meta copy;"`.
    init(
        onPublishAuth: (user: String, pass: String)? = nil, tls: Bool = false, recordAppend: Bool = false,
        record: Bool = true, chunkSize: Int = 4096, extraApplicationDirectives: [String] = []
    ) throws {
        if let onPublishAuth {
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
            guard !onPublishAuth.user.isEmpty, !onPublishAuth.pass.isEmpty,
                (onPublishAuth.user + onPublishAuth.pass).allSatisfy(allowed.contains)
            else {
                throw HarnessError("NginxRTMP auth user/pass must be non-empty [A-Za-z0-9._-] (no URL encoding)")
            }
        }
        guard FileManager.default.isExecutableFile(atPath: Self.executable),
            FileManager.default.fileExists(atPath: Self.rtmpModule),
            !tls || FileManager.default.fileExists(atPath: Self.streamModule)
        else {
            throw HarnessError(
                "nginx with the RTMP module\(tls ? " and the stream module" : "") is not installed: "
                    + "run scripts/install-deps.sh --test")
        }
        self.onPublishAuth = onPublishAuth
        self.tls = tls
        self.recordAppend = recordAppend
        self.record = record
        self.chunkSize = chunkSize
        self.extraApplicationDirectives = extraApplicationDirectives
        var template = Array((NSTemporaryDirectory() + "/mediactl-nginx-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw HarnessError("mkdtemp failed: errno \(errno)")
        }
        directory = String(cString: made)
        for sub in ["rec", "tmp"] {
            try FileManager.default.createDirectory(
                atPath: "\(directory)/\(sub)", withIntermediateDirectories: true)
        }
        if tls { try makeCertificate() }
    }

    deinit {
        stop()
        if ProcessInfo.processInfo.environment["MEDIACTL_E2E_KEEP"] == nil {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    // MARK: Life cycle

    /// Starts nginx and returns once the RTMP, HTTP (and TLS) ports accept TCP, at most `startTimeout` s.
    func start() throws {
        guard process == nil else { return }
        var lastFailure = ""
        for _ in 0..<Self.portAttempts {
            let ports = try Loopback.freePorts(tls ? 3 : 2)
            rtmpPort = ports[0]
            httpPort = ports[1]
            tlsPort = tls ? ports[2] : 0
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            let launchedAt = Date()
            let nginx = try BackgroundProcess(
                Self.executable, ["-c", configPath, "-p", directory + "/", "-e", errorLogPath])
            let deadline = launchedAt.addingTimeInterval(Self.startTimeout)
            var ready = true
            for port in ports {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 || !Loopback.waitUntilAccepting(port: port, timeout: left, while: { nginx.isRunning }) {
                    ready = false
                    break
                }
            }
            if ready && nginx.isRunning {
                startDuration = Date().timeIntervalSince(launchedAt)
                process = nginx
                return
            }
            let exited = !nginx.isRunning
            if !exited { nginx.kill() }
            let result = try? nginx.waitForExit(timeout: Self.stopTimeout)
            lastFailure = (result?.stderr ?? "") + errorLog()
            if exited && lastFailure.contains("Address already in use") { continue }  // a port was taken: retry
            throw HarnessError(
                "nginx did not become ready in \(Self.startTimeout) s "
                    + "(\(exited ? "it exited" : "ports not accepting")):\n\(lastFailure.suffix(3000))\n"
                    + "config:\n\(config)")
        }
        throw HarnessError("nginx could not bind free ports in \(Self.portAttempts) attempts:\n\(lastFailure)")
    }

    /// Stops nginx (SIGTERM, SIGKILL after `stopTimeout` s). Idempotent. Recordings stay until deinit.
    func stop() {
        guard let nginx = process else { return }
        process = nil
        nginx.terminate()
        _ = try? nginx.waitForExit(timeout: Self.stopTimeout)  // kills on timeout
    }

    var isRunning: Bool { process?.isRunning ?? false }

    // MARK: Addresses and files

    /// `rtmp://127.0.0.1:PORT/live/STREAM[?QUERY]`, or `rtmps://...:TLSPORT/...` with `tls: true`.
    func url(stream: String, query: String? = nil, tls useTLS: Bool = false) -> String {
        let base =
            useTLS
            ? "rtmps://\(Loopback.host):\(tlsPort)/\(Self.application)"
            : "rtmp://\(Loopback.host):\(rtmpPort)/\(Self.application)"
        return "\(base)/\(stream)" + (query.map { "?\($0)" } ?? "")
    }

    /// The self-signed certificate nginx presents on `tlsPort` (also the CA to trust); nil without TLS.
    var caFile: String? { tls ? "\(directory)/cert.pem" : nil }

    /// Where `record all` writes the stream: `rec/STREAM.flv` (the name without its query string).
    func recordingPath(stream: String) -> String { "\(directory)/rec/\(stream).flv" }

    var configPath: String { "\(directory)/nginx.conf" }
    var errorLogPath: String { "\(directory)/error.log" }

    func errorLog() -> String {
        (try? String(contentsOfFile: errorLogPath, encoding: .utf8)) ?? ""
    }

    // MARK: HTTP side

    /// The rtmp_stat XML.
    func stat() throws -> String {
        let response = try Loopback.httpGet(port: httpPort, path: "/stat")
        guard response.status == 200 else { throw HarnessError("nginx /stat answered \(response.status)") }
        return response.body
    }

    /// The `<stream>` entry for `stream` in /stat, nil when nginx has no such stream.
    func streamStat(_ stream: String) throws -> StreamStat? {
        StreamStat.parse(stat: try stat()).first { $0.name == stream }
    }

    /// Drops the publisher of `stream` (`/control/drop/publisher?app=live&name=STREAM`); returns how many
    /// connections nginx dropped (0 when nobody publishes it).
    @discardableResult
    func dropPublisher(stream: String) throws -> Int {
        let response = try Loopback.httpGet(
            port: httpPort, path: "/control/drop/publisher?app=\(Self.application)&name=\(stream)")
        guard response.status == 200, let count = Int(response.body.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw HarnessError("nginx drop publisher answered \(response.status): \(response.body)")
        }
        return count
    }

    /// Polls /stat every 20 ms until `stream` has a publisher (true) or `timeout` passes (false).
    func waitForPublisher(stream: String, timeout: TimeInterval) throws -> Bool {
        try poll(timeout: timeout) { try self.streamStat(stream)?.publishing == true }
    }

    /// Polls /stat every 20 ms until nobody publishes `stream` (nginx has closed its recording by then).
    func waitUntilNotPublishing(stream: String, timeout: TimeInterval) throws -> Bool {
        try poll(timeout: timeout) { try self.streamStat(stream)?.publishing != true }
    }

    private func poll(timeout: TimeInterval, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if try condition() { return true }
            usleep(20_000)
        } while Date() < deadline
        return try condition()
    }

    // MARK: Configuration

    var config: String {
        var lines = ["load_module \(Self.rtmpModule);"]
        if tls { lines.append("load_module \(Self.streamModule);") }
        lines += [
            "daemon off;",
            "master_process off;",
            "error_log \(errorLogPath) info;",
            "pid \(directory)/nginx.pid;",
            "events { worker_connections 256; }",
            "rtmp {",
            "    server {",
            "        listen \(Loopback.host):\(rtmpPort);",
            "        chunk_size \(chunkSize);",
            "        application \(Self.application) {",
            "            live on;",
        ]
        if record {
            lines += [
                "            record all;",
                "            record_path \(directory)/rec;",
                "            record_unique off;",
                "            record_append \(recordAppend ? "on" : "off");",
            ]
        } else {
            lines.append("            record off;")
        }
        if onPublishAuth != nil {
            // GET puts the stream's query arguments (user=..&pass=..) in the callback's query string.
            lines += [
                "            notify_method get;",
                "            on_publish http://\(Loopback.host):\(httpPort)/auth;",
            ]
        }
        lines += extraApplicationDirectives.map { "            \($0)" }
        lines += [
            "        }",
            "    }",
            "}",
            "http {",
            "    access_log \(directory)/access.log;",
            "    client_body_temp_path \(directory)/tmp/body;",
            "    proxy_temp_path \(directory)/tmp/proxy;",
            "    fastcgi_temp_path \(directory)/tmp/fastcgi;",
            "    uwsgi_temp_path \(directory)/tmp/uwsgi;",
            "    scgi_temp_path \(directory)/tmp/scgi;",
        ]
        if let auth = onPublishAuth {
            lines.append(
                "    map \"$arg_user:$arg_pass\" $publish_allowed { default 0; \"\(auth.user):\(auth.pass)\" 1; }")
        }
        lines += [
            "    server {",
            "        listen \(Loopback.host):\(httpPort);",
            "        location /stat { rtmp_stat all; }",
            "        location /control { rtmp_control all; }",
        ]
        if onPublishAuth != nil {
            lines.append("        location = /auth { if ($publish_allowed) { return 200; } return 403; }")
        }
        lines += ["    }", "}"]
        if tls {
            lines += [
                "stream {",
                "    server {",
                "        listen \(Loopback.host):\(tlsPort) ssl;",
                "        ssl_certificate \(directory)/cert.pem;",
                "        ssl_certificate_key \(directory)/key.pem;",
                "        proxy_pass \(Loopback.host):\(rtmpPort);",
                "    }",
                "}",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func makeCertificate() throws {
        let result = try run(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2",
                "-keyout", "\(directory)/key.pem", "-out", "\(directory)/cert.pem",
            ], timeout: 30)
        guard result.exitCode == 0 else {
            throw HarnessError("openssl could not make a test certificate:\n\(result.stderr)")
        }
    }
}

/// One `<stream>` of nginx's rtmp_stat XML (only the fields tests use).
struct StreamStat: Sendable, Equatable {
    var name: String
    /// Milliseconds since the stream began (wall clock, nginx's).
    var timeMs: Int?
    var bytesIn: Int?
    var publishing: Bool
    var clientCount: Int?
    /// The publishing client's last media timestamp (ms) and flashVer (nginx cuts it to 31 characters).
    var publisherTimestampMs: Int?
    var publisherFlashVer: String?
    var videoCodec: String?
    var width: Int?
    var height: Int?
    var frameRate: Double?
    var audioCodec: String?
    var sampleRate: Int?
    var channels: Int?

    static func parse(stat xml: String) -> [StreamStat] {
        var result: [StreamStat] = []
        var rest = Substring(xml)
        while let open = rest.range(of: "<stream>") {
            guard let close = rest.range(of: "</stream>", range: open.upperBound..<rest.endIndex) else { break }
            let block = rest[open.upperBound..<close.lowerBound]
            rest = rest[close.upperBound...]
            // The stream's own fields come before its first <client>.
            let head = block.range(of: "<client>").map { block[..<$0.lowerBound] } ?? block
            guard let name = value("name", in: head) else { continue }
            var clients: [Substring] = []
            var clientRest = block
            while let cOpen = clientRest.range(of: "<client>"),
                let cClose = clientRest.range(of: "</client>", range: cOpen.upperBound..<clientRest.endIndex)
            {
                clients.append(clientRest[cOpen.upperBound..<cClose.lowerBound])
                clientRest = clientRest[cClose.upperBound...]
            }
            let publisher = clients.first { $0.contains("<publishing/>") }
            let meta = block.range(of: "<meta>").map { block[$0.upperBound...] } ?? ""
            let video = meta.range(of: "<video>").map { meta[$0.upperBound...] }.map { v in
                v.range(of: "</video>").map { v[..<$0.lowerBound] } ?? v
            }
            let audio = meta.range(of: "<audio>").map { meta[$0.upperBound...] }.map { a in
                a.range(of: "</audio>").map { a[..<$0.lowerBound] } ?? a
            }
            result.append(
                StreamStat(
                    name: name, timeMs: value("time", in: head).flatMap { Int($0) },
                    bytesIn: value("bytes_in", in: head).flatMap { Int($0) },
                    publishing: publisher != nil,
                    clientCount: value("nclients", in: clientRest).flatMap { Int($0) },
                    publisherTimestampMs: publisher.flatMap { value("timestamp", in: $0) }.flatMap { Int($0) },
                    publisherFlashVer: publisher.flatMap { value("flashver", in: $0) },
                    videoCodec: video.flatMap { value("codec", in: $0) },
                    width: video.flatMap { value("width", in: $0) }.flatMap { Int($0) },
                    height: video.flatMap { value("height", in: $0) }.flatMap { Int($0) },
                    frameRate: video.flatMap { value("frame_rate", in: $0) }.flatMap { Double($0) },
                    audioCodec: audio.flatMap { value("codec", in: $0) },
                    sampleRate: audio.flatMap { value("sample_rate", in: $0) }.flatMap { Int($0) },
                    channels: audio.flatMap { value("channels", in: $0) }.flatMap { Int($0) }))
        }
        return result
    }

    /// The text of the first `<tag>...</tag>` in `text`.
    private static func value(_ tag: String, in text: Substring) -> String? {
        guard let open = text.range(of: "<\(tag)>"),
            let close = text.range(of: "</\(tag)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
