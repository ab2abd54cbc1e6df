import NIOCore

// AMF0 read and write, one pair per wire type, following Adobe's "Action Message Format -- AMF 0" (2007).
// Byte offsets in error messages are `ByteBuffer` indexes (the reader index where the faulty item starts).

extension ByteBuffer {
    /// Reads one AMF0 value. On failure the reader index is left where it was and the error is
    /// `MediaError(.malformedInput, "... at byte N")`.
    public mutating func readAMF0Value() throws -> AMF0Value {
        let start = readerIndex
        do {
            return try readAMF0Value(depth: 0)
        } catch {
            moveReaderIndex(to: start)
            throw error
        }
    }

    /// Reads AMF0 values until no readable bytes remain (an RTMP command or data message body, a script tag).
    /// On failure the reader index is left where it was.
    public mutating func readAMF0Values() throws -> [AMF0Value] {
        let start = readerIndex
        var values: [AMF0Value] = []
        do {
            while readableBytes > 0 {
                values.append(try readAMF0Value(depth: 0))
            }
        } catch {
            moveReaderIndex(to: start)
            throw error
        }
        return values
    }

    /// Writes one AMF0 value and returns the number of bytes written.
    ///
    /// Strings whose UTF-8 form is longer than 65535 bytes are written as long strings (0x0C). Object keys and
    /// typed-object class names have only a 16-bit length in AMF0; longer ones are cut at the last whole
    /// Unicode scalar that fits.
    @discardableResult
    public mutating func writeAMF0Value(_ value: AMF0Value) -> Int {
        let start = writerIndex
        switch value {
        case .number(let n):
            // number-type = number-marker DOUBLE
            writeInteger(AMF0Marker.number.rawValue)
            writeInteger(n.bitPattern)
        case .boolean(let b):
            // boolean-type = boolean-marker U8 ; 0 is false, <> 0 is true
            writeInteger(AMF0Marker.boolean.rawValue)
            writeInteger(b ? 1 : 0 as UInt8)
        case .string(let s):
            // string-type = string-marker UTF-8; long-string-type = long-string-marker UTF-8-long
            let count = s.utf8.count
            if count <= AMF0Limits.maxShortStringBytes {
                writeInteger(AMF0Marker.string.rawValue)
                writeInteger(UInt16(count))
            } else {
                writeInteger(AMF0Marker.longString.rawValue)
                writeInteger(UInt32(truncatingIfNeeded: count))
            }
            writeString(s)
        case .object(let object):
            // anonymous-object-type = object-marker *(object-property)
            writeInteger(AMF0Marker.object.rawValue)
            writeAMF0Properties(object)
        case .null:
            writeInteger(AMF0Marker.null.rawValue)
        case .undefined:
            writeInteger(AMF0Marker.undefined.rawValue)
        case .reference(let index):
            // reference-type = reference-marker U16
            writeInteger(AMF0Marker.reference.rawValue)
            writeInteger(index)
        case .ecmaArray(let object):
            // ecma-array-type = ecma-array-marker associative-count *(object-property)
            writeInteger(AMF0Marker.ecmaArray.rawValue)
            writeInteger(UInt32(truncatingIfNeeded: object.properties.count))
            writeAMF0Properties(object)
        case .strictArray(let elements):
            // strict-array-type = array-count *(value-type)
            writeInteger(AMF0Marker.strictArray.rawValue)
            writeInteger(UInt32(truncatingIfNeeded: elements.count))
            for element in elements { writeAMF0Value(element) }
        case .date(let milliseconds, let timeZone):
            // date-type = date-marker DOUBLE time-zone
            // time-zone = S16 ; reserved, not supported should be set to 0x0000
            writeInteger(AMF0Marker.date.rawValue)
            writeInteger(milliseconds.bitPattern)
            writeInteger(timeZone)
        case .xmlDocument(let xml):
            // xml-document-type = xml-document-marker UTF-8-long
            writeInteger(AMF0Marker.xmlDocument.rawValue)
            writeInteger(UInt32(truncatingIfNeeded: xml.utf8.count))
            writeString(xml)
        case .typedObject(let className, let object):
            // typed-object-type = object-marker class-name *(object-property) object-end ... with the
            // typed-object-marker (0x10), "class-name = UTF-8".
            writeInteger(AMF0Marker.typedObject.rawValue)
            writeAMF0ShortString(className)
            writeAMF0Properties(object)
        case .unsupported:
            writeInteger(AMF0Marker.unsupported.rawValue)
        }
        return writerIndex - start
    }

    // MARK: - Writing helpers

    /// object-property = (UTF-8 value-type) | (UTF-8-empty object-end-marker)
    private mutating func writeAMF0Properties(_ object: AMF0Object) {
        for property in object.properties {
            writeAMF0ShortString(property.key)
            writeAMF0Value(property.value)
        }
        // UTF-8-empty object-end-marker
        writeInteger(0 as UInt16)
        writeInteger(AMF0Marker.objectEnd.rawValue)
    }

    /// UTF-8 = U16 *(UTF8-char), without a marker; cut at a scalar boundary when longer than 65535 bytes.
    private mutating func writeAMF0ShortString(_ string: String) {
        var utf8 = Substring(string).utf8
        if utf8.count > AMF0Limits.maxShortStringBytes {
            var cut = 0
            for scalar in string.unicodeScalars {
                let width = UTF8.width(scalar)
                if cut + width > AMF0Limits.maxShortStringBytes { break }
                cut += width
            }
            utf8 = Substring(string).utf8.prefix(cut)
        }
        writeInteger(UInt16(utf8.count))
        writeBytes(utf8)
    }

    // MARK: - Reading

    private mutating func readAMF0Value(depth: Int) throws -> AMF0Value {
        let at = readerIndex
        guard let byte = readInteger(as: UInt8.self) else {
            throw amf0Error("truncated value: no type marker at byte \(at)")
        }
        guard let marker = AMF0Marker(rawValue: byte) else {
            throw amf0Error("unknown type marker 0x\(String(byte, radix: 16)) at byte \(at)")
        }
        switch marker {
        case .number:
            return .number(try readAMF0Double(what: "number", at: at))
        case .boolean:
            guard let b = readInteger(as: UInt8.self) else {
                throw amf0Error("truncated boolean at byte \(at)")
            }
            return .boolean(b != 0)
        case .string:
            return .string(try readAMF0ShortString(what: "string", at: at))
        case .longString:
            return .string(try readAMF0LongString(what: "long string", at: at))
        case .xmlDocument:
            return .xmlDocument(try readAMF0LongString(what: "XML document", at: at))
        case .object:
            return .object(try readAMF0Properties(depth: depth, what: "object", at: at))
        case .ecmaArray:
            guard readInteger(as: UInt32.self) != nil else {
                throw amf0Error("truncated ECMA array count at byte \(at)")
            }
            return .ecmaArray(try readAMF0Properties(depth: depth, what: "ECMA array", at: at))
        case .typedObject:
            let className = try readAMF0ShortString(what: "typed object class name", at: at)
            return .typedObject(
                className: className,
                try readAMF0Properties(depth: depth, what: "typed object", at: at))
        case .strictArray:
            try checkAMF0Depth(depth, what: "strict array", at: at)
            guard let count = readInteger(as: UInt32.self) else {
                throw amf0Error("truncated strict array count at byte \(at)")
            }
            // Every element takes at least one byte: a count larger than what remains is a lie, and must be
            // caught before any capacity is reserved for it.
            guard UInt64(count) * UInt64(AMF0Limits.minValueBytes) <= UInt64(readableBytes) else {
                throw amf0Error(
                    "strict array at byte \(at) claims \(count) elements but only \(readableBytes) bytes remain")
            }
            var elements: [AMF0Value] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<count {
                elements.append(try readAMF0Value(depth: depth + 1))
            }
            return .strictArray(elements)
        case .date:
            let ms = try readAMF0Double(what: "date", at: at)
            guard let tz = readInteger(as: Int16.self) else {
                throw amf0Error("truncated date time zone at byte \(at)")
            }
            return .date(milliseconds: ms, timeZone: tz)
        case .null:
            return .null
        case .undefined:
            return .undefined
        case .unsupported:
            return .unsupported
        case .reference:
            guard let index = readInteger(as: UInt16.self) else {
                throw amf0Error("truncated reference at byte \(at)")
            }
            return .reference(index)
        case .objectEnd:
            throw amf0Error("object-end marker outside an object at byte \(at)")
        case .movieClip, .recordSet:
            throw amf0Error("reserved type marker 0x\(String(byte, radix: 16)) (not supported by AMF0) at byte \(at)")
        case .avmPlusObject:
            throw amf0Error("AMF3 value (avmplus-object marker 0x11) at byte \(at): only AMF0 is supported")
        }
    }

    private func checkAMF0Depth(_ depth: Int, what: String, at: Int) throws {
        guard depth < AMF0Limits.maxNestingDepth else {
            throw amf0Error(
                "\(what) at byte \(at) nested deeper than \(AMF0Limits.maxNestingDepth) levels")
        }
    }

    /// object-property = (UTF-8 value-type) | (UTF-8-empty object-end-marker)
    ///
    /// The associative-count of an ECMA array is not trusted ("associative-count = U32" is often 0 or wrong in
    /// files written by real encoders): properties are read up to the end marker, which must be present.
    private mutating func readAMF0Properties(depth: Int, what: String, at: Int) throws -> AMF0Object {
        try checkAMF0Depth(depth, what: what, at: at)
        var object = AMF0Object()
        while true {
            let keyAt = readerIndex
            guard let keyLength = readInteger(as: UInt16.self) else {
                throw amf0Error("truncated \(what) starting at byte \(at): no property key at byte \(keyAt)")
            }
            if keyLength == 0 {
                guard let next = getInteger(at: readerIndex, as: UInt8.self) else {
                    throw amf0Error(
                        "truncated \(what) starting at byte \(at): no value or end marker at byte \(readerIndex)")
                }
                if next == AMF0Marker.objectEnd.rawValue {
                    moveReaderIndex(forwardBy: 1)
                    return object
                }
                // An empty key followed by a value: kept as a property named "".
                object.properties.append(.init(key: "", value: try readAMF0Value(depth: depth + 1)))
                continue
            }
            let key = try readAMF0UTF8(length: Int(keyLength), what: "\(what) key", at: keyAt)
            object.properties.append(.init(key: key, value: try readAMF0Value(depth: depth + 1)))
        }
    }

    private mutating func readAMF0Double(what: String, at: Int) throws -> Double {
        guard let bits = readInteger(as: UInt64.self) else {
            throw amf0Error("truncated \(what) at byte \(at): needs 8 bytes, \(readableBytes) remain")
        }
        return Double(bitPattern: bits)
    }

    /// UTF-8 = U16 *(UTF8-char)
    private mutating func readAMF0ShortString(what: String, at: Int) throws -> String {
        guard let length = readInteger(as: UInt16.self) else {
            throw amf0Error("truncated \(what) length at byte \(at)")
        }
        return try readAMF0UTF8(length: Int(length), what: what, at: at)
    }

    /// UTF-8-long = U32 *(UTF8-char)
    private mutating func readAMF0LongString(what: String, at: Int) throws -> String {
        guard let length = readInteger(as: UInt32.self) else {
            throw amf0Error("truncated \(what) length at byte \(at)")
        }
        return try readAMF0UTF8(length: Int(length), what: what, at: at)
    }

    /// Reads `length` bytes that must be valid UTF-8; the length is checked against what remains first.
    private mutating func readAMF0UTF8(length: Int, what: String, at: Int) throws -> String {
        guard length <= readableBytes else {
            throw amf0Error("truncated \(what) at byte \(at): needs \(length) bytes, \(readableBytes) remain")
        }
        // String(decoding:) repairs invalid sequences; valid UTF-8 is exactly the input that survives unchanged.
        let string = getString(at: readerIndex, length: length) ?? ""
        let valid = withUnsafeReadableBytes { raw in
            string.utf8.elementsEqual(UnsafeRawBufferPointer(rebasing: raw[..<length]))
        }
        guard valid else {
            throw amf0Error("invalid UTF-8 in \(what) at byte \(at)")
        }
        moveReaderIndex(forwardBy: length)
        return string
    }

    private func amf0Error(_ message: String) -> MediaError {
        MediaError(.malformedInput, "AMF0: \(message)")
    }
}
