/// AMF0 type markers (AMF 0 spec, section 2.1): "A type marker is one byte in length and describes the type of
/// encoded data that follows."
public enum AMF0Marker: UInt8, Sendable, CaseIterable {
    case number = 0x00
    case boolean = 0x01
    case string = 0x02
    case object = 0x03
    /// "reserved, not supported"
    case movieClip = 0x04
    case null = 0x05
    case undefined = 0x06
    case reference = 0x07
    case ecmaArray = 0x08
    /// "object-end-marker": only valid after an empty key, ending an object, ECMA array or typed object.
    case objectEnd = 0x09
    case strictArray = 0x0A
    case date = 0x0B
    case longString = 0x0C
    case unsupported = 0x0D
    /// "reserved, not supported"
    case recordSet = 0x0E
    case xmlDocument = 0x0F
    case typedObject = 0x10
    /// "avmplus-object-marker": switch to AMF 3 for the next value. mediactl speaks AMF0 only.
    case avmPlusObject = 0x11
}

/// Limits that keep a hostile AMF0 encoding from exhausting the stack or memory.
public enum AMF0Limits {
    /// Objects, arrays and typed objects nested deeper than this are rejected (a 10 000 deep encoding from a
    /// peer must not overflow the stack). Real command objects and metadata nest two or three levels.
    public static let maxNestingDepth = 64
    /// The largest UTF-8 form written with the 16-bit length of string-type: "For long Strings that require more
    /// than 65535 bytes to encode in UTF-8, the AMF 0 Long String type should be used."
    public static let maxShortStringBytes = 65535
    /// The smallest encoding of one strict array element (a bare marker such as null). A strict array whose
    /// count needs more bytes than remain is rejected before anything is reserved.
    public static let minValueBytes = 1
}
