import NIOCore
import Testing

@testable import MediaCore

@Suite struct ScriptDataTests {
    static func tinyScriptTag() throws -> ByteBuffer {
        let events = try FLVReaderTests.readAll(TinyFLV.bytes, chunkSize: 4096).events
        guard case .tag(let tag) = events[1], tag.type == .scriptData else {
            throw MediaError(.failure, "no script tag")
        }
        return tag.data
    }

    @Test func ffmpegOnMetaData() throws {
        let (name, value) = try ScriptData.parse(try Self.tinyScriptTag())
        #expect(name == "onMetaData")
        guard case .ecmaArray(let object) = value else {
            Issue.record("not an ECMA array: \(value)")
            return
        }
        #expect(
            object.keys == [
                "duration", "width", "height", "videodatarate", "framerate", "videocodecid", "audiodatarate",
                "audiosamplerate", "audiosamplesize", "stereo", "audiocodecid", "filesize",
            ])
        #expect(object["width"] == .number(64))
        #expect(object["videocodecid"] == .number(7))
        #expect(object["audiosamplerate"] == .number(8000))
        #expect(object["stereo"] == .boolean(false))
        #expect(object["filesize"] == .number(2606))
    }

    @Test func setDataFrameIsUnwrapped() throws {
        var buffer = ByteBuffer()
        ScriptData.encode(value: .object(["width": 1280]), setDataFrame: true, into: &buffer)
        #expect(
            AMFFLVHex.string(buffer)
                == "02000d40736574446174614672616d65" + "02000a6f6e4d65746144617461"
                + "03 0005 7769647468 00 4094000000000000 000009".filter { $0 != " " }.lowercased())
        let (name, value) = try ScriptData.parse(buffer)
        #expect(name == "onMetaData")
        #expect(value == .object(["width": 1280]))
    }

    @Test func plainFormRoundTrips() throws {
        var buffer = ByteBuffer()
        ScriptData.encode(name: "onCuePoint", value: .object(["name": "x"]), setDataFrame: false, into: &buffer)
        let parsed = try ScriptData.parse(buffer)
        #expect(parsed.name == "onCuePoint")
        #expect(parsed.value == .object(["name": "x"]))
    }

    @Test(arguments: [
        "00 3FF0000000000000",  // a number, not a name
        "02 0003 616263",  // a name and no value
        "02 000d 40736574446174614672616d65",  // @setDataFrame alone
        "02 000d 40736574446174614672616d65 05",  // @setDataFrame followed by null
        "02 0003 616263 03 0001",  // truncated value
    ])
    func malformedThrows(_ hex: String) {
        #expect(throws: MediaError.self) { try ScriptData.parse(AMFFLVHex.buffer(hex)) }
    }
}
