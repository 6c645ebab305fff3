import Mail
import Testing

@Suite struct MailMessageTests {
    @Test func equalityComparesHeaders() {
        let a = MailMessage(
            from: MailAddress("a@example.com"), to: [MailAddress("b@example.com")], subject: "s", text: "t")
        var b = a
        #expect(a == b)
        b.headers.append((name: "X-A", value: "1"))
        #expect(a != b)
    }
}
