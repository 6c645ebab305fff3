import Testing

@testable import Mail

@Suite struct DotStuffingTests {
    static func stuff(_ text: String) -> String {
        String(decoding: DotStuffing.stuff(Array(text.utf8)), as: UTF8.self)
    }

    @Test func doublesLeadingDotsOnly() {
        #expect(Self.stuff(".first\r\nmid.dle\r\n.\r\n..two\r\n") == "..first\r\nmid.dle\r\n..\r\n...two\r\n.\r\n")
    }

    @Test func terminatesAndCompletesTheLastLine() {
        #expect(Self.stuff("no newline") == "no newline\r\n.\r\n")
        #expect(Self.stuff("") == ".\r\n")
    }

    @Test func aRenderedBodyLineOfOnlyADotCannotEndTheData() throws {
        let message = MailMessage(
            from: MailAddress("a@example.com"), to: [MailAddress("b@example.com")], subject: "s", text: "a\n.\nb\n")
        let stuffed = String(decoding: DotStuffing.stuff(try message.rendered().bytes), as: UTF8.self)
        #expect(stuffed.components(separatedBy: "\r\n.\r\n").count == 2)  // only the real terminator
        #expect(stuffed.hasSuffix("\r\nb\r\n.\r\n"))
        #expect(stuffed.contains("\r\na\r\n..\r\nb\r\n"))
    }
}
