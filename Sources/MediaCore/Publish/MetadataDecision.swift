import NIOCore

/// Decides what metadata a publish sends before its media: the source's own `onMetaData`, or, when the source
/// has none, one built from the stream's sequence headers; nothing with `--no-metadata`.
///
/// A server hands players the metadata a publisher sets with `@setDataFrame` (rtmp-peer-notes.md, "The publish
/// conversation", step 5). Tags are held back until the source's metadata shows up or the first coded media
/// frame arrives (by then the sequence headers, which carry size and sample rate, have been seen).
public struct MetadataDecision: Sendable {
    public let enabled: Bool
    public private(set) var decided = false
    /// The `@setDataFrame onMetaData` payload sent, for re-sending after a reconnection.
    public private(set) var metadataPayload: ByteBuffer?
    private var held: [MediaItem] = []
    private var analyzer = StreamAnalyzer()

    /// Tags held at most while looking for metadata.
    static let maxHeld = 64

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Items ready to queue after this tag.
    public mutating func take(_ tag: FLVTag, time: Int64) -> [MediaItem] {
        if tag.type == .scriptData {
            guard let parsed = try? ScriptData.parse(tag.data), parsed.name == "onMetaData" else {
                // Other script data (cue points, text) passes through as it is.
                return pass(MediaItem(kind: .data, time: time, payload: Self.setDataFrame(tag.data)))
            }
            guard enabled, metadataPayload == nil else { return decided ? [] : [] }
            metadataPayload = Self.setDataFrame(tag.data)
            return decide(with: metadataPayload)
        }
        let item = MediaItem(tag: tag, time: time)
        guard !decided else { return [item] }
        analyzer.observe(type: tag.type, timestamp: tag.timestamp, payload: tag.data)
        held.append(item)
        if (!item.isSequenceHeader && item.kind != .data) || held.count >= Self.maxHeld {
            return decide(with: enabled ? built() : nil)
        }
        return []
    }

    /// At the end of the source: whatever is still held.
    public mutating func flush() -> [MediaItem] {
        guard !decided else { return [] }
        return decide(with: enabled && !held.isEmpty ? built() : nil)
    }

    private mutating func pass(_ item: MediaItem) -> [MediaItem] {
        guard !decided else { return [item] }
        held.append(item)
        return []
    }

    private mutating func decide(with metadata: ByteBuffer?) -> [MediaItem] {
        decided = true
        metadataPayload = metadata
        var items: [MediaItem] = []
        if let metadata {
            items.append(MediaItem(kind: .data, time: held.first?.time ?? 0, payload: metadata))
        }
        items += held
        held = []
        return items
    }

    private func built() -> ByteBuffer {
        var payload = ByteBuffer()
        payload.writeAMF0Value(.string("@setDataFrame"))
        payload.writeAMF0Value(.string("onMetaData"))
        payload.writeAMF0Value(.ecmaArray(analyzer.makeOnMetaData(duration: nil)))
        return payload
    }

    /// `@setDataFrame` in front of an FLV script tag's own bytes (which start with the "onMetaData" string),
    /// so that the file's encoding reaches the server unchanged.
    static func setDataFrame(_ scriptTag: ByteBuffer) -> ByteBuffer {
        var payload = ByteBuffer()
        payload.reserveCapacity(scriptTag.readableBytes + 16)
        payload.writeAMF0Value(.string("@setDataFrame"))
        payload.writeImmutableBuffer(scriptTag)
        return payload
    }
}
