/// A transponder's id (the seed's `mediaSessionId`): 12 characters of lowercase RFC 4648 base32 (`a-z`, `2-7`),
/// 60 random bits. It names the registry entry and the control socket in the runtime directory, so only these
/// characters are ever accepted: a user-typed id cannot become a path.
public struct TransponderID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let length = 12
    /// RFC 4648 §6: "The Base 32 Alphabet", lowercased.
    static let alphabet: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    public let rawValue: String

    /// A fresh random id. The generator is handed in (the core has no randomness of its own), so tests can
    /// pass a seeded one.
    public init<Generator: RandomNumberGenerator>(using generator: inout Generator) {
        var bits = generator.next() as UInt64
        var characters: [UInt8] = []
        characters.reserveCapacity(Self.length)
        for _ in 0..<Self.length {
            characters.append(Self.alphabet[Int(bits & 31)])
            bits >>= 5
        }
        rawValue = String(decoding: characters, as: UTF8.self)
    }

    /// A whole id as printed by `ls`; anything else is a usage error naming the text.
    public init(parsing text: String) throws {
        guard text.utf8.count == Self.length, Self.isIDText(text) else {
            throw MediaError(
                .usage,
                "'\(text)' is not a transponder id (\(Self.length) characters of a-z and 2-7, as `mediactl transponder ls` prints them)"
            )
        }
        rawValue = text
    }

    /// What a user may type to name a transponder: a whole id or a non-empty prefix of one (`stop k3df` when only
    /// one id starts with `k3df`).
    public static func validatePrefix(_ text: String) throws {
        guard !text.isEmpty, text.utf8.count <= length, isIDText(text) else {
            throw MediaError(
                .usage,
                "'\(text)' is not a transponder id or the start of one (up to \(length) characters of a-z and 2-7)")
        }
    }

    /// True when `text` is a whole id: the test for names found in the runtime directory.
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == length && isIDText(text)
    }

    private static func isIDText(_ text: String) -> Bool {
        text.utf8.allSatisfy { alphabet.contains($0) }
    }

    public var description: String { rawValue }

    public static func < (lhs: TransponderID, rhs: TransponderID) -> Bool { lhs.rawValue < rhs.rawValue }
}
