import MediaCore
import NIOCore
import Testing

/// A deterministic generator (SplitMix64) for ids in tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Transponder ids")
struct TransponderIDTests {
    @Test func randomIDsAreBase32AndDistinct() throws {
        var generator = SeededGenerator(state: 42)
        var seen = Set<String>()
        for _ in 0..<1000 {
            let id = TransponderID(using: &generator)
            #expect(TransponderID.isValid(id.rawValue))
            #expect(try TransponderID(parsing: id.rawValue) == id)
            seen.insert(id.rawValue)
        }
        #expect(seen.count == 1000)
    }

    @Test func sameSeedSameID() {
        var a = SeededGenerator(state: 7)
        var b = SeededGenerator(state: 7)
        #expect(TransponderID(using: &a) == TransponderID(using: &b))
    }

    @Test(arguments: ["", "abc", "ABCDEFGHIJKL", "abcdefghijk1", "../../etc/pa", "abcdefghijklm", "abcdefghij/k", "abcdefgh ijk"])
    func refusesWhatIsNotAnID(text: String) {
        #expect(throws: MediaError.self) { try TransponderID(parsing: text) }
        #expect(!TransponderID.isValid(text))
    }

    @Test func prefixes() throws {
        try TransponderID.validatePrefix("k")
        try TransponderID.validatePrefix("k3dfqi2u54el")
        #expect(throws: MediaError.self) { try TransponderID.validatePrefix("") }
        #expect(throws: MediaError.self) { try TransponderID.validatePrefix("k3dfqi2u54elx") }
        #expect(throws: MediaError.self) { try TransponderID.validatePrefix("..") }
        let error = try #require(throws: MediaError.self) { try TransponderID.validatePrefix("K3") }
        #expect(error.kind == .usage)
    }
}

@Suite("Transponder destinations and keys")
struct TransponderKeyTests {
    @Test func theStreamKeyNeverShowsAndIsOnlyADigest() throws {
        let url = try RTMPURL("rtmp://alice:pw@Example.COM/live/supersecretkey?token=t0k")
        let destination = TransponderDestination(url)
        #expect(destination.redactedURL == "rtmp://alice:***@Example.COM/live/***?token=***")
        #expect(destination.server == "rtmp://example.com:1935/live")
        #expect(destination.streamDigest == TransponderDestination.streamDigest(of: "supersecretkey"))
        #expect(destination.streamDigest == TransponderDestination.streamDigest(of: "supersecretkey?other=1"))
        let entry = TransponderEntry(
            id: try TransponderID(parsing: "aaaaaaaaaaaa"), pid: 10, command: "rtmp push", source: .standardInput,
            destination: destination, startedAtMilliseconds: 0, editsAudio: false)
        let text = entry.jsonValue.jsonString + TransponderStatus(entry: entry, snapshot: nil).jsonValue.jsonString
        for secret in ["supersecretkey", "pw", "t0k"] { #expect(!text.contains(secret), "\(secret) in \(text)") }
        #expect(TransponderStatus(entry: entry, snapshot: nil).jsonValue["streamName"] == "***")
    }

    @Test func sameDestinationWhateverTheCredentialsOrSpelling() throws {
        let a = TransponderDestination(try RTMPURL("rtmp://u:one@HOST/live/k"))
        let b = TransponderDestination(try RTMPURL("rtmp://host:1935/live/k"))
        let c = TransponderDestination(try RTMPURL("rtmp://host/live", streamName: "k"))
        #expect(a.digest == b.digest)
        #expect(b.digest == c.digest)
        let otherStream = TransponderDestination(try RTMPURL("rtmp://host/live/k2"))
        let otherPort = TransponderDestination(try RTMPURL("rtmp://host:1936/live/k"))
        let otherScheme = TransponderDestination(try RTMPURL("rtmps://host:1935/live/k"))
        let otherQuery = TransponderDestination(try RTMPURL("rtmp://host/live/k?x=1"))
        #expect(Set([a.digest, otherStream.digest, otherPort.digest, otherScheme.digest, otherQuery.digest]).count == 5)
    }

    @Test func keysDependOnSourceAndDestination() throws {
        let here = TransponderDestination(try RTMPURL("rtmp://h/live/a"))
        let there = TransponderDestination(try RTMPURL("rtmp://h/live/b"))
        let clip = TransponderSource.file(canonicalPath: "/srv/clip.flv")
        let other = TransponderSource.file(canonicalPath: "/srv/other.flv")
        #expect(TransponderKey(source: clip, destination: here) == TransponderKey(source: clip, destination: here))
        let keys = [
            TransponderKey(source: clip, destination: here), TransponderKey(source: clip, destination: there),
            TransponderKey(source: other, destination: here), TransponderKey(source: .standardInput, destination: here),
        ]
        #expect(Set(keys).count == 4)
        for key in keys { #expect(TransponderKey(rawValue: key.rawValue) == key) }
        #expect(TransponderKey(rawValue: "../x") == nil)
        #expect(TransponderKey(rawValue: String(repeating: "A", count: 64)) == nil)
    }

    /// A recorded stream is the same source however the recording was named (by its first file), a different
    /// one for another stream, and never the same as that file pushed as FLV; a live stream is its stream id.
    @Test func recordingAndRTMSStreamSources() throws {
        let here = TransponderDestination(try RTMPURL("rtmp://h/live/a"))
        let byDirectory = TransponderSource.recording(canonicalPath: "/rec", firstFile: "/rec/s1/stream.mrtms", streamID: "s1")
        let byFile = TransponderSource.recording(canonicalPath: "/rec/s1/stream.mrtms", firstFile: "/rec/s1/stream.mrtms", streamID: "s1")
        let otherStream = TransponderSource.recording(canonicalPath: "/rec", firstFile: "/rec/s2/stream.mrtms", streamID: "s2")
        #expect(byDirectory.description == "/rec (stream s1)")
        #expect(TransponderKey(source: byDirectory, destination: here) == TransponderKey(source: byFile, destination: here))
        #expect(TransponderKey(source: byDirectory, destination: here) != TransponderKey(source: otherStream, destination: here))
        #expect(byFile.identity != TransponderSource.file(canonicalPath: "/rec/s1/stream.mrtms").identity)
        let live = TransponderSource.rtmsStream(meetingUUID: "m==", streamID: "s1")
        #expect(live.description == "meeting m== / stream s1")
        #expect(live.identity == TransponderSource.rtmsStream(meetingUUID: nil, streamID: "s1").identity)
        #expect(live.identity != byDirectory.identity)
    }

    @Test func filterByStreamAndURL() throws {
        func entry(_ url: String) throws -> TransponderEntry {
            TransponderEntry(
                id: try TransponderID(parsing: "bbbbbbbbbbbb"), pid: 1, command: "rtmp push",
                source: .standardInput, destination: TransponderDestination(try RTMPURL(url)),
                startedAtMilliseconds: 0, editsAudio: false)
        }
        let cam1 = try entry("rtmp://127.0.0.1:1935/live/cam1?pass=x")
        let cam2 = try entry("rtmp://127.0.0.1/live/cam2")
        let elsewhere = try entry("rtmp://10.0.0.1/live/cam1")
        let all = [cam1, cam2, elsewhere]
        #expect(all.filter(TransponderFilter().matches).count == 3)
        #expect(all.filter(try TransponderFilter(stream: "cam1", url: nil).matches) == [cam1, elsewhere])
        #expect(all.filter(try TransponderFilter(stream: nil, url: "rtmp://127.0.0.1/live").matches) == [cam1, cam2])
        #expect(all.filter(try TransponderFilter(stream: nil, url: "rtmp://127.0.0.1/live/cam2").matches) == [cam2])
        #expect(all.filter(try TransponderFilter(stream: "cam2", url: "rtmp://10.0.0.1/live").matches).isEmpty)
        #expect(throws: MediaError.self) { try TransponderFilter(stream: nil, url: "http://x/live") }
        #expect(throws: MediaError.self) { try TransponderFilter(stream: "", url: nil) }
    }
}

@Suite("Transponder entries and statuses")
struct TransponderEntryTests {
    func sample() throws -> TransponderEntry {
        TransponderEntry(
            id: try TransponderID(parsing: "k3dfqi2u54el"), pid: 4242, command: "rtmp push",
            source: .file(canonicalPath: "/srv/clip \"one\".flv"),
            destination: TransponderDestination(try RTMPURL("rtmp://127.0.0.1:1935/live/key")),
            startedAtMilliseconds: 1_700_000_000_123, editsAudio: false)
    }

    @Test func roundTrip() throws {
        let entry = try sample()
        let text = entry.jsonValue.jsonString
        #expect(try TransponderEntry(json: try JSONValue.parse(text), file: "x.json") == entry)
        #expect(entry.socketName == "k3dfqi2u54el.sock")
        #expect(TransponderEntry.fileName(for: entry.id) == "k3dfqi2u54el.json")
    }

    @Test func malformedEntriesSayWhichFieldAndFile() throws {
        let good = try sample().jsonValue
        guard case .object(let fields) = good else { Issue.record("not an object"); return }
        func replacing(_ key: String, with value: JSONValue?) -> JSONValue {
            .object(fields.compactMap { $0.key == key ? value.map { JSONField(key, $0) } : $0 })
        }
        let cases: [(JSONValue, String)] = [
            (replacing("pid", with: nil), "\"pid\" is missing"),
            (replacing("pid", with: "12"), "\"pid\" is a string"),
            (replacing("pid", with: .int(-1)), "not a process id"),
            (replacing("version", with: .int(9)), "version 9"),
            (replacing("socket", with: "../../x.sock"), "\"socket\""),
            (replacing("mediaSessionId", with: "../etc"), "not a transponder id"),
            (replacing("key", with: "zz"), "64 hex"),
            (replacing("audio", with: "loud"), "'loud'"),
            (.array([]), "expected an object"),
        ]
        for (json, expected) in cases {
            let error = try #require(throws: MediaError.self) { try TransponderEntry(json: json, file: "/run/e.json") }
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.kind == .malformedInput)
            #expect(error.message.contains("/run/e.json"))
        }
    }

    @Test func statusJSONHasTheSeedsNames() throws {
        var snapshot = TransponderSnapshot(state: .publishing, uptime: 12.34)
        snapshot.width = 320
        snapshot.height = 240
        snapshot.bytesSent = 123_456
        snapshot.bitrateKbps = 512.25
        snapshot.reconnects = 1
        snapshot.bufferDepthMilliseconds = 40
        let status = TransponderStatus(entry: try sample(), snapshot: snapshot)
        let json = status.jsonValue
        #expect(json["mediaSessionId"] == "k3dfqi2u54el")
        #expect(json["streamName"] == "***")
        #expect(json["rtmpUrl"] == "rtmp://127.0.0.1:1935/live/***")
        #expect(json["width"] == 320)
        #expect(json["height"] == 240)
        #expect(json["muted"] == false)
        #expect(json["soundEnabled"] == false)
        #expect(json["state"] == "publishing")
        #expect(json["bytesSent"] == 123_456)
        #expect(json["bitrate"] == .double(512.3))
        #expect(json["uptime"] == .double(12.3))
        #expect(json["pid"] == 4242)
        #expect(json["startedAt"] == "2023-11-14T22:13:20.123Z")
        #expect(json["audio"] == "copy")
        #expect(json["error"] == .null)

        let silent = TransponderStatus(entry: try sample(), snapshot: nil, problem: "no answer within 1 s").jsonValue
        #expect(silent["state"] == .null)
        #expect(silent["bytesSent"] == .null)
        #expect(silent["error"] == "no answer within 1 s")
    }
}
