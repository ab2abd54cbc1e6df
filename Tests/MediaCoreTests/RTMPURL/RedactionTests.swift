import Testing
@testable import MediaCore

@Suite("Redaction")
struct RedactionTests {
    @Test func replacesEveryOccurrence() {
        #expect(Redaction.redactSecrets(in: "key=abc, again abc, abcabc", secrets: ["abc"])
                == "key=***, again ***, ******")
    }

    @Test func ignoresEmptySecrets() {
        #expect(Redaction.redactSecrets(in: "nothing to hide", secrets: ["", ""]) == "nothing to hide")
        #expect(Redaction.redactSecrets(in: "", secrets: ["x"]) == "")
    }

    @Test func longerSecretsFirst() {
        // "pw" is inside the key: replacing it first would leave "sk_***_9" behind.
        #expect(Redaction.redactSecrets(in: "sk_pw_9 and pw", secrets: ["pw", "sk_pw_9"]) == "*** and ***")
    }

    @Test func duplicatesAndNoMatches() {
        #expect(Redaction.redactSecrets(in: "a-b", secrets: ["zz", "b", "b"]) == "a-***")
    }

    @Test func unicodeSecrets() {
        #expect(Redaction.redactSecrets(in: "passwort: pässwörd!", secrets: ["pässwörd"]) == "passwort: ***!")
    }

    @Test func queryRedaction() {
        #expect(Redaction.redactQuery("user=u&PASS=p&flag&key=&authmod=llnw&api_key=k")
                == "user=u&PASS=***&flag&key=***&authmod=llnw&api_key=***")
        #expect(Redaction.sensitiveQueryValues("user=u&pass=p&key=&token=t") == ["p", "t"])
    }
}
