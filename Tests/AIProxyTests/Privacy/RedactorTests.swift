import Kernel
import Testing

@testable import AIProxy

/// The redactor removes e-mail addresses, phone, card and passport numbers, and leaves the numbers of
/// ordinary travel text alone.
@Suite struct RedactorTests {
    let all = Redactor(Set(AISettings.Redaction.allCases))

    @Test(arguments: [
        ("Write to jane.doe+trips@example.co.uk please", "Write to [email] please"),
        ("<ops@mail.example.org>.", "<[email]>."),
        ("Call +44 20 7946 0958 today", "Call [phone] today"),
        ("Call +1 (555) 123-4567.", "Call [phone]."),
        ("US office: (555) 123-4567", "US office: [phone]"),
        ("mobile 06 12 34 56 78", "mobile [phone]"),
        ("mobile 0612345678", "mobile [phone]"),
        ("ring 555-123-4567", "ring [phone]"),
        ("card 4111 1111 1111 1111 exp 12/27", "card [card] exp 12/27"),
        ("card 4242-4242-4242-4242", "card [card]"),
        ("card 4242424242424242", "card [card]"),
        ("passport X1234567", "passport [passport]"),
        ("my passport number is AB12345678", "my passport number is [passport]"),
        ("Passport no. 123456789", "Passport no. [passport]"),
        ("Document AB1234567 attached", "Document [passport] attached"),
    ])
    func redacts(_ input: String, _ expected: String) {
        #expect(all.redact(input) == expected)
    }

    @Test(arguments: [
        "Arrive 2026-11-24 at 14:30, leave 24.11.2026",
        "Arrive 2026-11-24 14:30 sharp",
        "The hotel costs 1,250.00 EUR, the flight 12 500 000 IDR",
        "A villa for 1.250.000 COP",
        "Flight LH1234 then ICE 578 to Berlin",
        "Booking reference 48213377 and order 9876543210",
        "We travel in 2025 2026",
        "Card-like but not Luhn: 4111 1111 1111 1112",
        "pi is 3.14159265358979",
        "Room 12, floor 3, 4 guests",
        "Hotel code H12345678",
        "version 1.2.3 of the app",
        "email me at the front desk @ reception",
    ])
    func leavesAlone(_ input: String) {
        #expect(all.redact(input) == input)
    }

    @Test func onlyConfiguredKinds() {
        let emailOnly = Redactor([.email])
        #expect(emailOnly.redact("a@b.io or +33 6 12 34 56 78") == "[email] or +33 6 12 34 56 78")
        let none = Redactor([])
        #expect(!none.isEnabled)
        #expect(none.redact("a@b.io") == "a@b.io")
    }

    @Test func redactsMessageTextOnly() throws {
        let request = try JSONValue(
            parsing: """
                {"model":"m","messages":[{"role":"system","content":"Reply to ops@example.com"},
                {"role":"user","content":[{"type":"text","text":"I am +49 30 1234 5678"},
                {"type":"image_url","image_url":{"url":"https://x.test/a@b.io"}}]}],"user":"a@b.io"}
                """)
        let out = all.redactMessages(in: request)
        #expect(out["messages"]?.arrayValue?[0]["content"] == "Reply to [email]")
        let parts = try #require(out["messages"]?.arrayValue?[1]["content"]?.arrayValue)
        #expect(parts[0]["text"] == "I am [phone]")
        #expect(parts[1] == request["messages"]?.arrayValue?[1]["content"]?.arrayValue?[1])
        #expect(out["user"] == "a@b.io")
        #expect(out["model"] == "m")
    }

    @Test func luhn() {
        #expect(NumberRun.luhn(Array("79927398713".utf8)))
        #expect(!NumberRun.luhn(Array("79927398710".utf8)))
    }
}
