/// `src_language` / `language` of transcripts (notes: "Transcript language: -1 none, 0 Arabic, 1 Bengali, ...,
/// 36 Vietnamese."). Names are English language names in snake_case.
public struct RTMSTranscriptLanguage: RTMSNamedCode {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let none = Self(rawValue: -1)
    public static let english = Self(rawValue: 9)
    public static let knownNames: [Int: String] = [
        -1: "none", 0: "arabic", 1: "bengali", 2: "cantonese", 3: "catalan", 4: "chinese_simplified",
        5: "chinese_traditional", 6: "czech", 7: "danish", 8: "dutch", 9: "english", 10: "estonian", 11: "finnish",
        12: "french_canada", 13: "french_france", 14: "german", 15: "hebrew", 16: "hindi", 17: "hungarian",
        18: "indonesian", 19: "italian", 20: "japanese", 21: "korean", 22: "malay", 23: "persian", 24: "polish",
        25: "portuguese", 26: "romanian", 27: "russian", 28: "spanish", 29: "swedish", 30: "tagalog", 31: "tamil",
        32: "telugu", 33: "thai", 34: "turkish", 35: "ukrainian", 36: "vietnamese",
    ]

    /// The code whose name is `name` ("english", "german", ...), for command-line flags.
    public init?(name: String) {
        guard let code = Self.knownNames.first(where: { $0.value == name })?.key else { return nil }
        self.init(rawValue: code)
    }
}
