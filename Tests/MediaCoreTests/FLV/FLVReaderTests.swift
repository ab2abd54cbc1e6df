import NIOCore
import Testing

@testable import MediaCore

@Suite struct FLVReaderTests {
    /// Feeds `bytes` in pieces of `chunkSize`, collecting events as they become available.
    static func read(_ bytes: [UInt8], chunkSize: Int, reader: inout FLVReader) throws -> [FLVReader.Event] {
        var events: [FLVReader.Event] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            reader.append(ByteBuffer(bytes: bytes[start..<end]))
            while let event = try reader.next() { events.append(event) }
            start = end
        }
        return events
    }

    static func readAll(_ bytes: [UInt8], chunkSize: Int) throws -> (events: [FLVReader.Event], reader: FLVReader) {
        var reader = FLVReader()
        let events = try read(bytes, chunkSize: chunkSize, reader: &reader)
        try reader.finish()
        return (events, reader)
    }

    @Test func readsTheTinyFileTagByTag() throws {
        let bytes = TinyFLV.bytes
        let (events, reader) = try Self.readAll(bytes, chunkSize: bytes.count)
        #expect(events.first == .header(FLVHeader(hasAudio: true, hasVideo: true)))
        let tags = events.compactMap { if case .tag(let t) = $0 { return t } else { return nil } }
        #expect(tags.count == TinyFLV.tags.count)
        for (tag, expected) in zip(tags, TinyFLV.tags) {
            #expect(tag.type.rawValue == expected.0)
            #expect(tag.timestamp == expected.1)
            #expect(tag.data.readableBytes == expected.2)
            #expect(tag.offset == expected.3)
            #expect(tag.streamID == 0)
            let start = Int(tag.offset) + FLVTag.headerSize
            #expect(Array(tag.data.readableBytesView) == Array(bytes[start..<start + expected.2]))
        }
        #expect(reader.warnings == 0)
        #expect(reader.offset == Int64(bytes.count))
    }

    @Test(arguments: [1, 2, 3, 4, 7, 11, 13, 15, 64, 333, 1000, 4096])
    func chunkedFeedingGivesTheSameEvents(chunkSize: Int) throws {
        let bytes = TinyFLV.bytes
        let whole = try Self.readAll(bytes, chunkSize: bytes.count).events
        let chunked = try Self.readAll(bytes, chunkSize: chunkSize).events
        #expect(chunked == whole)
    }

    @Test func tagDataIsASliceOfTheAppendedBuffer() throws {
        let source = TinyFLV.buffer
        var reader = FLVReader()
        reader.append(source)
        _ = try reader.next()  // header
        guard case .tag(let tag) = try reader.next() else {
            Issue.record("no tag")
            return
        }
        let sourceBase = source.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let tagBase = tag.data.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(tagBase == sourceBase + UInt(tag.offset) + UInt(FLVTag.headerSize))
    }

    @Test func truncationIsReportedAtEveryCutExceptTagBoundaries() throws {
        let bytes = TinyFLV.bytes
        // Cuts that leave whole items: after the header (9), after PreviousTagSize0 (13), after each tag's data
        // (accepted with a warning), after each PreviousTagSize.
        var clean: Set<Int> = [9, 13]
        var warned: Set<Int> = []
        for tag in TinyFLV.tags {
            let end = Int(tag.3) + FLVTag.headerSize + tag.2
            warned.insert(end)
            clean.insert(end + 4)
        }
        for cut in 0..<bytes.count {
            var reader = FLVReader()
            _ = try Self.read(Array(bytes[..<cut]), chunkSize: 97, reader: &reader)
            if clean.contains(cut) || warned.contains(cut) {
                try reader.finish()
                #expect(reader.warnings == (warned.contains(cut) ? 1 : 0), "cut at \(cut)")
            } else {
                #expect(throws: MediaError.self, "cut at \(cut)") { try reader.finish() }
            }
        }
    }

    @Test func truncatedTagMessageSaysWhere() throws {
        let bytes = Array(TinyFLV.bytes[..<400])
        var reader = FLVReader()
        _ = try Self.read(bytes, chunkSize: 400, reader: &reader)
        #expect {
            try reader.finish()
        } throws: { error in
            guard let e = error as? MediaError else { return false }
            return e.kind == .malformedInput && e.message.hasPrefix("truncated FLV tag at byte 375:")
        }
    }

    @Test func emptyInputIsNotAnFLVFile() {
        var reader = FLVReader()
        #expect(throws: MediaError.self) { try reader.finish() }
    }

    @Test func notAnFLVFile() {
        var reader = FLVReader()
        reader.append(ByteBuffer(string: "GIF89a\u{1}\u{0}\u{1}\u{0}"))
        #expect {
            _ = try reader.next()
        } throws: { error in
            (error as? MediaError)?.message == "not an FLV file: expected 'FLV' at byte 0"
        }
    }

    @Test func notAnFLVFileIsSaidFromTheFirstByte() throws {
        var reader = FLVReader()
        reader.append(ByteBuffer(string: "<"))
        #expect {
            _ = try reader.next()
        } throws: { error in
            (error as? MediaError)?.message == "not an FLV file: expected 'FLV' at byte 0"
        }
        var fine = FLVReader()
        fine.append(ByteBuffer(string: "FL"))
        #expect(try fine.next() == nil)
    }

    static let headerAndFirstSize = "464C56 01 05 00000009 00000000"

    @Test func unknownTagTypeThrowsWithOffset() {
        var reader = FLVReader()
        reader.append(AMFFLVHex.buffer(Self.headerAndFirstSize + "07 000001 000000 00 000000 AA 0000000C"))
        #expect(throws: Never.self) { _ = try reader.next() }
        #expect {
            _ = try reader.next()
        } throws: { error in
            (error as? MediaError)?.message == "unknown FLV tag type 7 at byte 13"
        }
    }

    @Test func encryptedTagIsReported() {
        var reader = FLVReader()
        reader.append(AMFFLVHex.buffer(Self.headerAndFirstSize + "28 000001 000000 00 000000 AA 0000000C"))
        _ = try? reader.next()
        #expect {
            _ = try reader.next()
        } throws: { error in
            (error as? MediaError)?.message.contains("encrypted FLV tag (filter bit set, type 8) at byte 13") == true
        }
    }

    @Test func oversizedTagIsRejectedBeforeItsDataArrives() {
        var reader = FLVReader(maxTagDataSize: 100)
        // Only the 11-byte tag header of a 200-byte tag: rejected without waiting for (or buffering) the data.
        reader.append(AMFFLVHex.buffer(Self.headerAndFirstSize + "09 0000C8 000000 00 000000"))
        _ = try? reader.next()
        #expect {
            _ = try reader.next()
        } throws: { error in
            (error as? MediaError)?.message
                == "FLV tag at byte 13 has a data size of 200 bytes, over the limit of 100"
        }
    }

    @Test func previousTagSizeMismatchIsCountedNotThrown() throws {
        var bytes = TinyFLV.bytes
        // The PreviousTagSize after the script tag (offset 13 + 11 + 268 = 292) should be 279.
        bytes[292 + 3] ^= 0xFF
        let (events, reader) = try Self.readAll(bytes, chunkSize: 50)
        #expect(events == (try Self.readAll(TinyFLV.bytes, chunkSize: 50)).events)
        #expect(reader.warnings == 1)
        #expect(reader.lastWarning?.contains("at byte 292") == true)
    }

    @Test func headerDataOffsetPaddingIsSkipped() throws {
        let bytes = AMFFLVHex.bytes("464C56 01 01 0000000C 000000 00000000 09 000001 000010 00 000000 17 0000000C")
        let (events, reader) = try Self.readAll(bytes, chunkSize: 1)
        #expect(events.count == 2)
        #expect(events.first == .header(FLVHeader(version: 1, hasAudio: false, hasVideo: true, dataOffset: 12)))
        guard case .tag(let tag) = events.last else {
            Issue.record("no tag")
            return
        }
        #expect(tag.offset == 16)
        #expect(tag.timestamp == 16)
        #expect(reader.warnings == 0)
    }

    @Test(arguments: ["00000005", "FFFFFFFF"])
    func badHeaderDataOffsetThrows(_ dataOffset: String) {
        var reader = FLVReader()
        reader.append(AMFFLVHex.buffer("464C56 01 05 " + dataOffset))
        #expect(throws: MediaError.self) { _ = try reader.next() }
    }

    @Test func extendedTimestampIsTheUpperByte() throws {
        var reader = FLVReader()
        reader.append(AMFFLVHex.buffer(Self.headerAndFirstSize + "08 000001 345678 12 000000 AF 0000000C"))
        _ = try reader.next()
        guard case .tag(let tag) = try reader.next() else {
            Issue.record("no tag")
            return
        }
        #expect(tag.timestamp == 0x1234_5678)
        #expect(tag.type == .audio)
    }
}
