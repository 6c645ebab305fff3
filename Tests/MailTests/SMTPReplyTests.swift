import Testing

@testable import Mail

@Suite struct SMTPReplyTests {
    static func parse(_ lines: [String]) throws(MailError) -> [SMTPReply] {
        var parser = SMTPReplyParser()
        var replies: [SMTPReply] = []
        for line in lines {
            if let reply = try parser.add(Array(line.utf8)) { replies.append(reply) }
        }
        return replies
    }

    @Test func multiLineReplyCollectsEveryLine() throws {
        let replies = try Self.parse(["250-mail.test", "250-SIZE 33554432", "250-STARTTLS", "250 HELP"])
        #expect(replies == [SMTPReply(code: 250, lines: ["mail.test", "SIZE 33554432", "STARTTLS", "HELP"])])
    }

    @Test func enhancedStatusCodesAreRecognisedWhenTheirClassMatches() throws {
        #expect(try Self.parse(["550 5.1.1 no such user"])[0].enhancedCode == "5.1.1")
        #expect(try Self.parse(["451 4.3.0 later"])[0].enhancedCode == "4.3.0")
        #expect(try Self.parse(["550 4.1.1 mismatched class"])[0].enhancedCode == nil)
        #expect(try Self.parse(["250 OK"])[0].enhancedCode == nil)
        #expect(try Self.parse(["221"])[0] == SMTPReply(code: 221, lines: [""]))
    }

    @Test func transienceFollowsTheFirstDigit() throws {
        #expect(try Self.parse(["451 later"])[0].isTransient)
        #expect(try !Self.parse(["550 never"])[0].isTransient)
        #expect(try Self.parse(["354 go ahead"])[0].isPositive)
    }

    @Test(arguments: ["", "25", "abc", "650 nope", "25x text", "250_text", "1xx"])
    func malformedLinesAreProtocolViolations(line: String) {
        #expect(throws: MailError.self) { _ = try Self.parse([line]) }
    }

    @Test func mixedCodesInOneReplyAreRefused() {
        #expect(throws: MailError.self) { _ = try Self.parse(["250-first", "251 second"]) }
    }

    @Test func controlCharactersInServerTextAreNeutralised() throws {
        let reply = try Self.parse(["550 bad\u{1B}[31m text"])[0]
        #expect(reply.lines[0] == "bad?[31m text")
    }

    @Test func endlessContinuationIsCut() {
        let lines = Array(repeating: "250-x", count: 200)
        #expect(throws: MailError.self) { _ = try Self.parse(lines) }
    }
}
