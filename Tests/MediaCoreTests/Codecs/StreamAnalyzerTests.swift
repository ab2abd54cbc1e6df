import NIOCore
import Testing

@testable import MediaCore

@Suite struct StreamAnalyzerTests {
    static func tinyTags() throws -> [FLVTag] {
        try FLVReaderTests.readAll(TinyFLV.bytes, chunkSize: 4096).events.compactMap {
            if case .tag(let t) = $0 { return t } else { return nil }
        }
    }

    @Test func analysesTheTinyFile() throws {
        var analyzer = StreamAnalyzer(expectsAudio: true, expectsVideo: true)
        for tag in try Self.tinyTags() { analyzer.observe(tag) }
        let info = analyzer.info
        #expect(analyzer.warnings == 0)
        #expect(info.hasCodecs)
        #expect(info.firstTimestamp == 0)
        #expect(info.lastTimestamp == 384)
        #expect(info.durationSeconds == 0.384)
        #expect(info.metadata?["filesize"] == .number(2606))

        let video = try #require(info.video)
        #expect(video.codec == "h264")
        #expect(video.codecID == .avc)
        #expect(video.profile == "Constrained Baseline")
        #expect(video.level == 1.0)
        #expect(video.width == 64)
        #expect(video.height == 48)
        #expect(video.frameRate == 10)
        #expect(video.frames == 3)  // 128, 228, 328 (the end-of-sequence tag is no frame)
        #expect(video.keyframes == 2)  // -g 2
        #expect(video.firstKeyframeTimestamp == 128)
        #expect(video.keyframeInterval == 0.2)
        #expect(video.measuredFrameRate == 10)
        #expect(video.bytes == Int64(42 + 1033 + 29 + 472 + 5))
        #expect(video.hasSequenceHeader)

        let audio = try #require(info.audio)
        #expect(audio.codec == "aac")
        #expect(audio.objectType == "AAC LC")
        #expect(audio.sampleRate == 8000)
        #expect(audio.channels == 1)
        #expect(audio.sampleSize == 16)
        #expect(audio.frames == 4)
        #expect(audio.bytes == Int64(7 + 233 + 148 + 184 + 7))
    }

    @Test func hasCodecsWaitsForEveryAnnouncedStream() throws {
        let tags = try Self.tinyTags()
        var analyzer = StreamAnalyzer()
        #expect(!analyzer.hasCodecs)
        analyzer.observe(tags[0])  // onMetaData announces video and audio
        #expect(analyzer.info.video?.codec == "h264")
        #expect(analyzer.info.audio?.codec == "aac")
        #expect(!analyzer.hasCodecs)
        analyzer.observe(tags[1])  // AVC sequence header
        #expect(!analyzer.hasCodecs)
        #expect(analyzer.info.video?.width == 64)
        analyzer.observe(tags[2])  // AAC sequence header
        #expect(analyzer.hasCodecs)
        #expect(analyzer.info.hasCodecs)
    }

    @Test func videoOnlyNeedsOnlyVideo() throws {
        let tags = try Self.tinyTags()
        var analyzer = StreamAnalyzer()
        analyzer.observe(tags[1])
        #expect(analyzer.hasCodecs)
        #expect(analyzer.info.audio == nil)
        var expecting = StreamAnalyzer(expectsAudio: true)
        expecting.observe(tags[1])
        #expect(!expecting.hasCodecs)
    }

    @Test func legacyCodecsWithoutSequenceHeadersAreKnownFromTheirFirstFrame() {
        var analyzer = StreamAnalyzer()
        analyzer.observe(type: .audio, timestamp: 0, payload: AMFFLVHex.buffer("2F FFFB9064"))
        #expect(analyzer.hasCodecs)
        let audio = analyzer.info.audio
        #expect(audio?.codec == "mp3")
        #expect(audio?.sampleRate == 44100)
        #expect(audio?.channels == 2)
        #expect(audio?.sampleSize == 16)
        analyzer.observe(type: .video, timestamp: 0, payload: AMFFLVHex.buffer("12 0000"))
        #expect(analyzer.info.video?.codec == "flv1")
        #expect(analyzer.info.video?.keyframes == 1)
        #expect(analyzer.hasCodecs)
    }

    @Test func aacWaitsForItsSequenceHeader() {
        var analyzer = StreamAnalyzer()
        analyzer.observe(type: .audio, timestamp: 0, payload: AMFFLVHex.buffer("AF 01 2100"))
        #expect(!analyzer.hasCodecs)
        #expect(analyzer.info.audio?.sampleRate == nil)  // the legacy flags say nothing for AAC
        analyzer.observe(type: .audio, timestamp: 0, payload: AMFFLVHex.buffer("AF 00 1190"))
        #expect(analyzer.hasCodecs)
        #expect(analyzer.info.audio?.sampleRate == 48000)
        #expect(analyzer.info.audio?.channels == 2)
    }

    static let hevcRecord = HEVCDecoderConfigurationRecordTests.cases[1].hex

    @Test func enhancedHEVCAndOpus() throws {
        var analyzer = StreamAnalyzer()
        analyzer.observe(type: .video, timestamp: 0, payload: AMFFLVHex.buffer("90 68766331" + Self.hevcRecord))
        // OpusHead, version 1, 2 channels, pre-skip 312, input rate 44100.
        analyzer.observe(
            type: .audio, timestamp: 0,
            payload: AMFFLVHex.buffer("90 4F707573 4F70757348656164 01 02 3801 44AC0000 0000 00"))
        for i in 0..<10 {
            let frameType = i % 5 == 0 ? "9" : "A"
            analyzer.observe(
                type: .video, timestamp: UInt32(i * 40), payload: AMFFLVHex.buffer(frameType + "3 68766331 00"))
            analyzer.observe(type: .audio, timestamp: UInt32(i * 20), payload: AMFFLVHex.buffer("91 4F707573 FC"))
        }
        let info = analyzer.info
        #expect(info.hasCodecs)
        let video = try #require(info.video)
        #expect(video.codec == "hevc")
        #expect(video.profile == "Main 10")
        #expect(video.level == 3.1)
        #expect(video.width == 1280)
        #expect(video.height == 720)
        #expect(video.frames == 10)
        #expect(video.keyframes == 2)
        #expect(video.keyframeInterval == 0.2)
        #expect(video.frameRate == 25)  // measured: no metadata, no hvcC avgFrameRate
        let audio = try #require(info.audio)
        #expect(audio.codec == "opus")
        #expect(audio.sampleRate == 48000)
        #expect(audio.channels == 2)
        #expect(audio.frames == 10)

        let meta = analyzer.makeOnMetaData(duration: nil)
        #expect(meta["videocodecid"] == .number(1_752_589_105))  // 'hvc1'
        #expect(meta["audiocodecid"] == .number(1_332_770_163))  // 'Opus'
    }

    @Test func keyframeIntervalIsTheMedianDistance() {
        var analyzer = StreamAnalyzer()
        for ts in [0, 2000, 4000, 8000, 10000] as [UInt32] {
            analyzer.observe(type: .video, timestamp: ts, payload: AMFFLVHex.buffer("12 00"))
        }
        #expect(analyzer.info.video?.keyframeInterval == 2.0)
    }

    @Test func malformedTagsAreCountedNotFatal() throws {
        var analyzer = StreamAnalyzer()
        analyzer.observe(type: .video, timestamp: 5, payload: AMFFLVHex.buffer("17"))
        analyzer.observe(type: .audio, timestamp: 6, payload: AMFFLVHex.buffer("C0"))
        analyzer.observe(type: .scriptData, timestamp: 7, payload: AMFFLVHex.buffer("FF"))
        analyzer.observe(type: .video, timestamp: 8, payload: AMFFLVHex.buffer("17 00 000000 01 64"))
        #expect(analyzer.warnings == 4)
        #expect(analyzer.lastWarning?.contains("video sequence header at 8 ms") == true)
        #expect(!analyzer.hasCodecs || analyzer.info.video?.width == nil)
    }

    @Test func makeOnMetaDataFromTheTinyFile() throws {
        var analyzer = StreamAnalyzer()
        for tag in try Self.tinyTags() { analyzer.observe(tag) }
        let meta = analyzer.makeOnMetaData(duration: 0.5, encoder: "mediactl test")
        #expect(
            meta.keys == [
                "duration", "width", "height", "videodatarate", "framerate", "videocodecid", "audiodatarate",
                "audiosamplerate", "audiosamplesize", "stereo", "audiocodecid", "encoder",
            ])
        #expect(meta["duration"] == .number(0.5))
        #expect(meta["width"] == .number(64))
        #expect(meta["height"] == .number(48))
        #expect(meta["videodatarate"] == .number(Double(42 + 1033 + 29 + 472 + 5) * 8 / 1000 / 0.5))
        #expect(meta["framerate"] == .number(10))
        #expect(meta["videocodecid"] == .number(7))
        #expect(meta["audiosamplerate"] == .number(8000))
        #expect(meta["audiosamplesize"] == .number(16))
        #expect(meta["stereo"] == .boolean(false))
        #expect(meta["audiocodecid"] == .number(10))
        #expect(meta["encoder"] == .string("mediactl test"))
    }

    @Test func metadataFillsWhatTagsDoNotSay() {
        var analyzer = StreamAnalyzer()
        analyzer.observeMetadata([
            "width": 1920, "height": 1080, "framerate": 29.97, "videocodecid": 7, "audiocodecid": 2,
            "audiosamplerate": 48000, "stereo": true, "audiosamplesize": 16,
        ])
        let info = analyzer.info
        #expect(info.video?.width == 1920)
        #expect(info.video?.frameRate == 29.97)
        #expect(info.audio?.codec == "mp3")
        #expect(info.audio?.sampleRate == 48000)
        #expect(info.audio?.channels == 2)
        #expect(!info.hasCodecs)
    }

    @Test func multitrackAnalysesTrackZeroOnly() {
        var analyzer = StreamAnalyzer()
        // ManyTracks CodedFramesX av01: track 0 keyframe, track 1 interframe.
        analyzer.observe(type: .video, timestamp: 0, payload: AMFFLVHex.buffer("96 13 61763031 00 000001 AA"))
        analyzer.observe(type: .video, timestamp: 0, payload: AMFFLVHex.buffer("A6 13 61763031 01 000001 AA"))
        #expect(analyzer.info.video?.frames == 1)
        #expect(analyzer.info.video?.codec == "av1")
    }
}
