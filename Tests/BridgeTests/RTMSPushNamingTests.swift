import Bridge
import MediaCore
import Testing

/// Where `rtms listen --push` publishes each stream: placeholders, the -N suffix for names in use, bad templates.
@Suite struct RTMSPushNamingTests {
    @Test func withoutPlaceholderTheSecondStreamGetsSuffixTwo() throws {
        let naming = try RTMSPushNaming(template: "rtmp://host/live/zoom")
        #expect(!naming.hasPlaceholder)
        let first = try naming.resolve(streamID: "s1", instance: "m", inUse: [])
        #expect(first.url == "rtmp://host/live/zoom" && first.name == "zoom" && first.suffix == nil)
        let second = try naming.resolve(streamID: "s2", instance: "m", inUse: ["zoom"])
        #expect(second.url == "rtmp://host/live/zoom-2" && second.name == "zoom-2" && second.suffix == 2)
        // The lowest number not in use (zoom-2 ended, zoom-3 still runs).
        let fourth = try naming.resolve(streamID: "s4", instance: "m", inUse: ["zoom", "zoom-3"])
        #expect(fourth.name == "zoom-2")
        let fifth = try naming.resolve(streamID: "s5", instance: "m", inUse: ["zoom", "zoom-2", "zoom-3"])
        #expect(fifth.name == "zoom-4")
    }

    @Test func theSuffixGoesBeforeTheQuery() throws {
        let naming = try RTMSPushNaming(template: "rtmp://u:p@host:1936/live/key?token=a/b")
        let second = try naming.resolve(streamID: "s", instance: "m", inUse: ["key"])
        #expect(second.url == "rtmp://u:p@host:1936/live/key-2?token=a/b")
        #expect(second.name == "key-2")
    }

    @Test func placeholdersAreFilledWithSafeNames() throws {
        let naming = try RTMSPushNaming(template: "rtmp://host/live/{meeting}_{stream}")
        #expect(naming.hasPlaceholder)
        let meeting = "4nYtdqLVTVqGJ+QB62ED7Q=="
        let target = try naming.resolve(streamID: "03db7045", instance: meeting, inUse: [])
        #expect(target.name == "\(RTMSSafeName.of(meeting))_03db7045")
        #expect(target.name.hasPrefix("4nYtdqLVTVqGJ_QB62ED7Q__-"))
        #expect(target.suffix == nil)
        // Two streams of one meeting with {meeting} alone still get names of their own.
        let byMeeting = try RTMSPushNaming(template: "rtmp://host/live/{meeting}")
        let first = try byMeeting.resolve(streamID: "a", instance: "m1", inUse: [])
        let second = try byMeeting.resolve(streamID: "b", instance: "m1", inUse: [first.name])
        #expect(first.name == "m1" && second.name == "m1-2")
        // A slash in an id cannot reach the app part of the URL.
        let slashy = try RTMSPushNaming(template: "rtmp://host/live/{stream}").resolve(streamID: "../x", instance: "m", inUse: [])
        #expect(slashy.url.hasPrefix("rtmp://host/live/.._x-") && !slashy.name.contains("/"))
    }

    /// The host checked before any stream joins: the same for every stream, or nil with a placeholder in it.
    @Test func sameHostURLOnlyWithoutAPlaceholderInTheHost() throws {
        let inPath = try RTMSPushNaming(template: "rtmp://u:p@ingest.example:1936/live/{meeting}-{stream}")
        #expect(inPath.sameHostURL?.host == "ingest.example")
        #expect(inPath.sameHostURL?.port == 1936)
        #expect(try RTMSPushNaming(template: "rtmp://[::1]/live/zoom").sameHostURL?.host == "::1")
        #expect(try RTMSPushNaming(template: "rtmp://{stream}.example/live/x").sameHostURL == nil)
        #expect(try RTMSPushNaming(template: "rtmp://ingest-{meeting}.example/live/{stream}").sameHostURL == nil)
    }

    @Test func unusableTemplatesAreUsageErrors() {
        for template in ["rtmp://host/live", "http://host/live/x", "rtmp:///live/x", "rtmp://host/live/"] {
            #expect(throws: MediaError.self, "\(template)") { try RTMSPushNaming(template: template) }
        }
    }
}
