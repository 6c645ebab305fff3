import Testing

@testable import Export

extension ObjectStoreTests {
    @Suite struct ObjectKeyTests {
        @Test func ordinaryKeysPass() throws {
            for key in [
                "a", "exports/2026/trip-1.pdf", "trip 1/Zürich (final).zip", "a..b/c.",
                String(repeating: "k", count: 1024),
            ] {
                try ObjectKey.validate(key)
            }
        }

        @Test func everyRuleHasAKeyThatBreaksIt() {
            let bad = [
                "", String(repeating: "k", count: 1025), String(repeating: "é", count: 513), "/leading", "trailing/",
                "a//b", "..", "a/../b", "./a", "a/.", "back\\slash", "tab\t", "del\u{7F}", "c1\u{85}",
            ]
            for key in bad {
                #expect(throws: ObjectStoreError.self, "\(key.debugDescription)") { try ObjectKey.validate(key) }
            }
        }
    }
}
