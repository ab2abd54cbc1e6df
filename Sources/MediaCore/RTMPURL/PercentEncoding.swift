/// Percent-encoding as RFC 3986 defines it, for URL userinfo and for the values mediactl puts into a query.
///
/// RFC 3986 section 2.1: "A percent-encoded octet is encoded as a character triplet, consisting of the
/// percent character "%" followed by the two hexadecimal digits representing that octet's numeric value."
enum PercentEncoding {
    /// Decodes `%XX` triplets; the result must be UTF-8. Returns nil for a malformed triplet or bytes that are
    /// not UTF-8.
    static func decode(_ text: Substring) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        // String(validating:as:) needs the Swift 6 runtime (macOS 15); a lossless round trip says the same.
        let decoded = String(decoding: bytes, as: UTF8.self)
        return decoded.utf8.elementsEqual(bytes) ? decoded : nil
    }

    /// RFC 3986 section 2.3: "Characters that are allowed in a URI but do not have a reserved purpose are
    /// called unreserved. These include uppercase and lowercase letters, decimal digits, hyphen, period,
    /// underscore, and tilde." Everything else is encoded, so the value cannot end or split a query parameter.
    static func encode(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result.append("%")
                result.append(hexDigit(byte >> 4, uppercase: true))
                result.append(hexDigit(byte & 0x0F, uppercase: true))
            }
        }
        return result
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func hexDigit(_ nibble: UInt8, uppercase: Bool) -> Character {
        let digits: StaticString = "0123456789abcdef"
        let value = digits.withUTF8Buffer { $0[Int(nibble & 0x0F)] }
        let character = Character(Unicode.Scalar(value))
        return uppercase ? Character(character.uppercased()) : character
    }

    /// Lowercase hex of bytes: what `md5hex` means in the Limelight scheme.
    static func lowercaseHex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var result = ""
        for byte in bytes {
            result.append(hexDigit(byte >> 4, uppercase: false))
            result.append(hexDigit(byte & 0x0F, uppercase: false))
        }
        return result
    }
}
