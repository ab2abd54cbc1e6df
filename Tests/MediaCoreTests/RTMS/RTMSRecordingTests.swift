import MediaCore
import NIOCore
import Testing

@Suite("RTMS recording format")
struct RTMSRecordingTests {
    static let descriptor = RTMSStreamDescriptor(
        product: .meeting, id: RTMSInstanceID(.meetingUUID, "4nYtdqLVTVqGJ+QB62ED7Q=="),
        streamID: "03db704592624398931a588dd78200cb", serverURLs: ["wss://sig.example"], signature: "must-not-be-recorded",
        eventTimestamp: 1_732_313_171_881)

    private static func hex(_ buffer: ByteBuffer) -> String {
        buffer.readableBytesView.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// Three records: a signaling message, an audio message (the reference's audio example), a reconnect marker.
    static func threeRecords() throws -> (file: ByteBuffer, header: Int, records: [RTMSRecordingRecord], starts: [Int]) {
        var file = RTMSRecordingWriter.header(descriptor: descriptor, createdMicros: 1_732_313_172_000_000)
        let headerSize = file.readableBytes
        let records = [
            RTMSRecordingRecord(
                kind: .textMessage, connection: .signaling, arrivalMicros: 1_732_313_172_100_000,
                payload: ByteBuffer(string: RTMSReferenceVectors.eventActiveSpeakerChange)),
            RTMSRecordingRecord(
                kind: .binaryMessage, connection: .media(.audio), arrivalMicros: 1_732_313_172_120_001,
                payload: ByteBuffer(string: RTMSReferenceVectors.audioData)),
            RTMSRecordingRecord(
                kind: .marker, connection: nil, arrivalMicros: 1_732_313_180_000_000,
                payload: RTMSEvent(stream: descriptor.streamID, .reconnected(gapMilliseconds: 2500, attempts: 2))
                    .jsonObject(emitMedia: false).jsonBytes),
        ]
        var starts: [Int] = []
        for record in records {
            starts.append(file.readableBytes)
            try RTMSRecordingWriter.writeRecord(record, into: &file)
        }
        return (file, headerSize, records, starts)
    }

    /// Feeds `bytes` in pieces of `chunk` bytes, ends the input and drains the reader.
    static func readAll(_ bytes: ByteBuffer, chunk: Int) throws -> (RTMSRecordingReader, [RTMSRecordingRecord]) {
        var reader = RTMSRecordingReader()
        var records: [RTMSRecordingRecord] = []
        var rest = bytes
        while rest.readableBytes > 0 {
            reader.append(rest.readSlice(length: min(chunk, rest.readableBytes))!)
            while let r = try reader.next() { records.append(r) }
        }
        reader.inputEnded()
        while let r = try reader.next() { records.append(r) }
        return (reader, records)
    }

    @Test func crc32cVectors() {
        // RFC 3720 §B.4 check value.
        #expect(CRC32C.checksum(ByteBuffer(string: "123456789")) == 0xE306_9283)
        #expect(CRC32C.checksum(ByteBuffer()) == 0)
        // RFC 3720 §B.4: 32 bytes of zeros -> 0x8A9136AA; 32 bytes of 0xFF -> 0x62A8AB43.
        #expect(CRC32C.checksum(ByteBuffer(bytes: [UInt8](repeating: 0, count: 32))) == 0x8A91_36AA)
        #expect(CRC32C.checksum(ByteBuffer(bytes: [UInt8](repeating: 0xFF, count: 32))) == 0x62A8_AB43)
        let bytes = ByteBuffer(bytes: (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31) })
        let whole = CRC32C.checksum(bytes)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let first = CRC32C.checksum(bytes.getSlice(at: 0, length: split)!)
            #expect(CRC32C.checksum(bytes.getSlice(at: split, length: 1000 - split)!, continuing: first) == whole)
        }
    }

    /// Exact bytes, computed independently (bitwise CRC-32C in Python).
    @Test func exactBytes() throws {
        let record = try RTMSRecordingWriter.record(
            kind: .textMessage, connection: .media(.audio), arrivalMicros: 0x0102_0304_0506_0708, payload: ByteBuffer(string: "{}"))
        #expect(Self.hex(record) == "525401010102030405060708000000027b7d80c12dc9")
        let header = RTMSRecordingWriter.header(metadata: .object([JSONField("a", 1)]))
        #expect(Self.hex(header) == "4d52544d5352454300010000000000077b2261223a317de4af8725")
    }

    @Test(arguments: [1, 2, 3, 16, 100, 4096, 1 << 20])
    func roundTripInAnyChunkSize(chunk: Int) throws {
        let (file, headerSize, written, starts) = try Self.threeRecords()
        let (reader, records) = try Self.readAll(file, chunk: chunk)
        #expect(records == written)
        #expect(reader.damage == nil)
        #expect(reader.lastRecordOffset == starts.last)
        #expect(reader.offset == file.readableBytes)
        let header = try #require(reader.header)
        #expect(header.version == 1 && header.flags == 0 && header.size == headerSize)
        var expected = Self.descriptor
        expected.signature = nil
        #expect(header.descriptor == expected)
        #expect(header.createdMicros == 1_732_313_172_000_000)
        #expect(header.metadata["format"] == "mediactl-rtms-recording")
        // No secret reaches the file.
        #expect(!String(buffer: file).contains("must-not-be-recorded"))
        // Replaying a message record reproduces the payload byte for byte and decodes to the message.
        #expect(records[1].connection == .media(.audio))
        #expect(records[1].payload == ByteBuffer(string: RTMSReferenceVectors.audioData))
        #expect(try records[1].message() == RTMSMessage.decode(ByteBuffer(string: RTMSReferenceVectors.audioData)))
        #expect(records[2].connection == nil && !records[2].isMessage)
    }

    /// A recording cut at every byte offset replays exactly the records that are complete before the cut, and says
    /// where the incomplete one starts.
    @Test func truncationAtEveryOffsetReplaysTheCompletePrefix() throws {
        let (file, headerSize, written, starts) = try Self.threeRecords()
        let ends = starts.dropFirst() + [file.readableBytes]
        for cut in 0...file.readableBytes {
            let (reader, records) = try Self.readAll(file.getSlice(at: 0, length: cut)!, chunk: 512)
            let complete = ends.filter { $0 <= cut }.count
            #expect(records == Array(written.prefix(complete)), "cut at \(cut)")
            if cut < headerSize {
                #expect(reader.damage?.offset == 0, "cut at \(cut)")
                #expect(reader.damage?.reason == "incomplete file header: the file ends after \(cut) bytes")
            } else if cut == headerSize || ends.contains(cut) {
                #expect(reader.damage == nil, "cut at \(cut)")
            } else {
                let damagedStart = starts[complete]
                #expect(reader.damage?.offset == damagedStart, "cut at \(cut)")
                #expect(reader.damage?.reason.hasPrefix("incomplete record: the file ends \(cut - damagedStart) bytes into a record") == true)
            }
        }
    }

    /// One flipped bit anywhere in a record stops reading at that record, with everything before it intact.
    @Test func aFlippedBitIsDetected() throws {
        let (file, headerSize, written, starts) = try Self.threeRecords()
        for position in headerSize..<file.readableBytes {
            for bit in [0, 7] {
                var damaged = file
                let byte = damaged.getInteger(at: position, as: UInt8.self)!
                damaged.setInteger(byte ^ UInt8(1 << bit), at: position)
                let (reader, records) = try Self.readAll(damaged, chunk: 4096)
                let index = starts.lastIndex(where: { $0 <= position })!
                #expect(records == Array(written.prefix(index)), "flip at \(position)")
                #expect(reader.damage?.offset == starts[index], "flip at \(position)")
            }
        }
    }

    /// A flipped bit in the header is an error (bad magic, version, flags, checksum); one in the metadata length
    /// that points past the end of the file reads as an incomplete header. Either way no record is returned.
    @Test func aFlippedBitInTheHeaderIsDetected() throws {
        let (file, headerSize, _, _) = try Self.threeRecords()
        for position in 0..<headerSize {
            var damaged = file
            damaged.setInteger(damaged.getInteger(at: position, as: UInt8.self)! ^ 0x10, at: position)
            do {
                let (reader, records) = try Self.readAll(damaged, chunk: 4096)
                #expect(records.isEmpty, "flip at \(position)")
                #expect((12..<16).contains(position), "flip at \(position)")
                #expect(reader.damage?.offset == 0, "flip at \(position)")
            } catch let error as MediaError {
                #expect(error.kind == .malformedInput)
            }
        }
    }

    @Test func damageMessages() throws {
        var file = RTMSRecordingWriter.header(descriptor: Self.descriptor, createdMicros: 0)
        let start = file.readableBytes
        // A hostile length is refused before anything is buffered for it.
        file.writeInteger(RTMSRecordingFormat.recordSync)
        file.writeInteger(UInt8(1))
        file.writeInteger(UInt8(0))
        file.writeInteger(UInt64(0))
        file.writeInteger(UInt32.max)
        var reader = RTMSRecordingReader()
        reader.append(file)
        #expect(try reader.next() == nil)
        #expect(
            reader.damage
                == RTMSRecordingDamage(offset: start, reason: "record length 4294967295 exceeds the limit of 67108864 bytes"))
        #expect(reader.damage?.description == "recording damaged at byte \(start): record length 4294967295 exceeds the limit of 67108864 bytes")
        // Garbage where a record should start.
        var garbage = RTMSRecordingWriter.header(descriptor: Self.descriptor, createdMicros: 0)
        garbage.writeString("0123456789abcdefghijkl")
        var r2 = RTMSRecordingReader()
        r2.append(garbage)
        #expect(try r2.next() == nil)
        #expect(r2.damage == RTMSRecordingDamage(offset: start, reason: "no record sync marker (found 0x3031)"))
    }

    @Test func notARecordingFailsAtOnce() throws {
        var reader = RTMSRecordingReader()
        reader.append(ByteBuffer(string: "MRX"))
        let error = try #require(throws: MediaError.self) { try reader.next() }
        #expect(error.message == #"not an RTMS recording: the file does not start with "MRTMSREC""#)
        var future = RTMSRecordingWriter.header(metadata: .object([]))
        future.setInteger(UInt16(2), at: 8)
        var r2 = RTMSRecordingReader()
        r2.append(future)
        let e2 = try #require(throws: MediaError.self) { try r2.next() }
        #expect(e2.message == "unsupported RTMS recording version 2 at byte 8 (this build reads version 1)")
        var big = ByteBuffer(bytes: RTMSRecordingFormat.magic)
        big.writeInteger(UInt16(1))
        big.writeInteger(UInt16(0))
        big.writeInteger(UInt32(RTMSRecordingFormat.maxMetadataBytes + 1))
        var r3 = RTMSRecordingReader()
        r3.append(big)
        #expect(throws: MediaError.self) { try r3.next() }
        var empty = RTMSRecordingReader()
        empty.inputEnded()
        #expect(try empty.next() == nil)
        #expect(empty.damage == RTMSRecordingDamage(offset: 0, reason: "incomplete file header: the file ends after 0 bytes"))
    }

    @Test func unknownKindsPassThroughAndPayloadLimitIsEnforced() throws {
        var file = RTMSRecordingWriter.header(metadata: .object([]))
        let future = RTMSRecordingRecord(kind: .init(rawValue: 9), connectionCode: 200, arrivalMicros: 1, payload: ByteBuffer(bytes: [0, 1]))
        try RTMSRecordingWriter.writeRecord(future, into: &file)
        let (_, records) = try Self.readAll(file, chunk: 7)
        #expect(records == [future])
        #expect(records[0].connection == nil)
        #expect(records[0].kind.description == "kind_9")
        let tooBig = ByteBuffer(repeating: 0, count: RTMSRecordingFormat.maxPayloadBytes + 1)
        #expect(throws: MediaError.self) {
            try RTMSRecordingWriter.record(kind: .textMessage, connection: .signaling, arrivalMicros: 0, payload: tooBig)
        }
    }

    @Test func connectionCodes() {
        #expect(RTMSConnectionID.signaling.recordingCode == 0)
        #expect(RTMSConnectionID.media(.all).recordingCode == 32)
        #expect(RTMSConnectionID.media([.audio, .transcript]).recordingCode == 9)
        #expect(RTMSConnectionID(recordingCode: 9) == .media([.audio, .transcript]))
        #expect(RTMSConnectionID(recordingCode: 255) == nil)
    }

    @Test func markerRecordsHoldTheEventLine() throws {
        let event = RTMSEvent(stream: "st", .reconnected(gapMilliseconds: 10, attempts: 1))
        let bytes = try RTMSRecordingWriter.marker(event, arrivalMicros: 5)
        var reader = RTMSRecordingReader()
        reader.append(RTMSRecordingWriter.header(metadata: .object([])))
        reader.append(bytes)
        let record = try #require(try reader.next())
        #expect(record.kind == .marker)
        #expect(String(buffer: record.payload) == #"{"type":"rtms.reconnect","stream":"st","gap_ms":10,"attempts":1}"#)
    }

    @Test func formatDescriptionIsManPageReady() {
        let text = RTMSRecordingFormat.formatDescription
        #expect(text.hasPrefix("RECORDING FORMAT\n"))
        #expect(text.contains("MRTMSREC") && text.contains("CRC-32C") && text.contains("0x5254"))
        #expect(text.contains(String(RTMSRecordingFormat.maxPayloadBytes)))
        #expect(text.contains(String(RTMSRecordingFormat.maxMetadataBytes)))
        for line in text.split(separator: "\n") { #expect(line.count <= 120, "\(line)") }
    }
}
