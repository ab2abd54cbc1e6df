/// AMF0 values as JSON, for printing metadata and commands.
///
/// - numbers: whole finite numbers within ±2^53 become `.int`, other finite numbers `.double`, NaN and the
///   infinities `.null` (JSON has no spelling for them);
/// - objects, ECMA arrays and typed objects become objects with their keys in wire order (a typed object's class
///   name is not shown);
/// - strict arrays become arrays; strings and XML documents strings;
/// - null, undefined and unsupported become `null`; a reference becomes its index as an integer;
/// - a date becomes an ISO 8601 UTC string with milliseconds, `"2024-05-01T12:00:00.000Z"`: the AMF0 time-zone
///   field is "reserved, not supported" and ignored. A date that is not finite becomes `null`.
extension AMF0Value {
    public var jsonValue: JSONValue {
        switch self {
        case .number(let n):
            return Self.json(number: n)
        case .boolean(let b):
            return .bool(b)
        case .string(let s), .xmlDocument(let s):
            return .string(s)
        case .object(let o), .ecmaArray(let o), .typedObject(_, let o):
            return o.jsonValue
        case .strictArray(let elements):
            return .array(elements.map(\.jsonValue))
        case .null, .undefined, .unsupported:
            return .null
        case .reference(let index):
            return .int(Int64(index))
        case .date(let milliseconds, _):
            guard let text = Self.iso8601(milliseconds: milliseconds) else { return .null }
            return .string(text)
        }
    }

    static func json(number n: Double) -> JSONValue {
        guard n.isFinite else { return .null }
        if n == n.rounded(), abs(n) <= 9_007_199_254_740_992 {
            return .int(Int64(n))
        }
        return .double(n)
    }

    /// "YYYY-MM-DDTHH:MM:SS.mmmZ" (proleptic Gregorian, UTC), or nil for dates outside years 0...9999.
    static func iso8601(milliseconds: Double) -> String? {
        guard milliseconds.isFinite, abs(milliseconds) < 253_402_300_800_000 else { return nil }
        let totalMs = Int64(milliseconds.rounded(.down))
        var days = totalMs / 86_400_000
        var msOfDay = totalMs % 86_400_000
        if msOfDay < 0 {
            msOfDay += 86_400_000
            days -= 1
        }
        // Civil date from days since 1970-01-01 (the era-based algorithm of H. Hinnant's date library notes).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        guard (0...9999).contains(year) else { return nil }
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let h = msOfDay / 3_600_000
        let m = msOfDay / 60_000 % 60
        let s = msOfDay / 1000 % 60
        let ms = msOfDay % 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }
}

extension AMF0Object {
    /// A JSON object with the keys in order.
    public var jsonValue: JSONValue {
        .object(properties.map { JSONField($0.key, $0.value.jsonValue) })
    }
}
