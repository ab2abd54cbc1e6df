import MediaCore
import Remux

/// Decodes the JPG/PNG pictures of the selected video source ahead of the converter: the reading side of a
/// pipeline decodes picture N+1 while the converting side scales and encodes picture N
/// (`RTMSFLVConverter.add(_:decoded:)`). Which codec a picture is in is read from its own signature; a picture
/// the converter's stream decodes with another codec, or one that failed here, is decoded again there, so the
/// output and its errors are the same as without predecoding.
///
/// Not thread-safe: one thread at a time (it may be another thread than the converter's).
public final class RTMSPicturePredecoder {
    public let selection: RTMSFLVSelection
    private var decoders: [RTMSVideoCodec: PictureDecoder] = [:]
    /// Codecs whose decoder could not be opened: not tried again.
    private var unavailable: Set<RTMSVideoCodec> = []

    public init(selection: RTMSFLVSelection) {
        self.selection = selection
    }

    /// The picture in `message`, decoded, when it is a JPG/PNG message of the selected video source; else nil.
    public func decode(_ message: RTMSMessage) -> DecodedPicture? {
        let content: RTMSMediaContent
        switch (message, selection.video) {
        case (.video(let media), .camera), (.share(let media), .share): content = media
        default: return nil
        }
        guard content.timestamp != nil, content.data.readableBytes > 0 else { return nil }
        let codec = RTMSFLVCodecs.sniff(content.data)
        guard codec != .h264, !unavailable.contains(codec) else { return nil }
        do {
            let decoder = try decoders[codec] ?? PictureDecoder(codec: codec)
            decoders[codec] = decoder
            return try decoder.decode(content.data)
        } catch {
            // Decoded again by the converter, which reports the failure where it happens.
            if decoders[codec] == nil { unavailable.insert(codec) }
            decoders[codec] = nil
            return nil
        }
    }
}
