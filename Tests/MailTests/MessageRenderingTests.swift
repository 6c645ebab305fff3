import Crypto
import Foundation
import Testing

@testable import Mail

@Suite struct MessageRenderingTests {
    static let date = Date(timeIntervalSince1970: 1_751_362_200)  // Tue, 01 Jul 2025 09:30:00 UTC

    static func message(
        subject: String = "Your trip", text: String = "Hello\n", headers: [(name: String, value: String)] = []
    ) -> MailMessage {
        MailMessage(
            from: MailAddress("noreply@travelsense.example", name: "TravelSense"),
            to: [MailAddress("ana@example.com", name: "Ana Pérez"), MailAddress("bo@example.org")],
            subject: subject, text: text, headers: headers)
    }

    static func render(_ message: MailMessage) throws -> (head: [String], body: String, bytes: [UInt8]) {
        let bytes = try message.rendered(date: date, messageID: "fixed.id@travelsense.example").bytes
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        // Unfold: a CRLF followed by whitespace continues the previous header line.
        let head = parts[0].replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
        return (head, parts.dropFirst().joined(separator: "\r\n\r\n"), bytes)
    }

    @Test func writesTheStandardHeadersInOrder() throws {
        let (head, _, _) = try Self.render(Self.message())
        #expect(head[0] == "Date: Tue, 01 Jul 2025 09:30:00 +0000")
        #expect(head[1] == "Message-ID: <fixed.id@travelsense.example>")
        #expect(head[2] == "From: TravelSense <noreply@travelsense.example>")
        #expect(
            head[3] == "To: =?utf-8?B?\(Base64.encode(Array("Ana Pérez".utf8)))?= <ana@example.com>, bo@example.org")
        #expect(head[4] == "Subject: Your trip")
        #expect(
            head.suffix(3) == [
                "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
            ])
    }

    @Test func everyLineEndsInCRLFAndNoLineIsLong() throws {
        let longWord = String(repeating: "x", count: 3000)
        let message = Self.message(
            subject: String(repeating: "Überraschung ", count: 40), text: "a\nb\r\nc\rd\n\(longWord)\n",
            headers: [(name: "X-Long", value: String(repeating: "word ", count: 400))])
        let (_, _, bytes) = try Self.render(message)
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A {
                #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)")
                lineLength = 0
            } else {
                if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "bare CR at \(index)") }
                lineLength += 1
                #expect(lineLength <= 998)
                #expect(byte < 0x80, "8-bit byte at \(index)")
            }
        }
        #expect(bytes.suffix(2) == [0x0D, 0x0A])
        // Headers fold near 78 columns; the quoted-printable body stays within 76.
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 84 })
    }

    @Test func nonASCIISubjectBecomesEncodedWordsThatDecodeBack() throws {
        let subject = "Ihre Reise nach Zürich 🇨🇭 — Bestätigung " + String(repeating: "ä", count: 60)
        let (head, _, _) = try Self.render(Self.message(subject: subject))
        let line = try #require(head.first { $0.hasPrefix("Subject: ") })
        let words = line.dropFirst("Subject: ".count).split(separator: " ")
        #expect(words.count > 1)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.hasPrefix("=?utf-8?B?") && word.hasSuffix("?="))
            #expect(word.count <= 75)
            let payload = word.dropFirst(10).dropLast(2)
            let bytes = try Base64.decode(String(payload))
            // Each word holds whole characters on its own.
            #expect(String(validating: bytes, as: UTF8.self) != nil)
            decoded += bytes
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
    }

    @Test func asciiSubjectThatLooksEncodedIsEncodedToo() throws {
        let (head, _, _) = try Self.render(Self.message(subject: "=?utf-8?B?SGk=?="))
        #expect(head[4] == "Subject: =?utf-8?B?\(Base64.encode(Array("=?utf-8?B?SGk=?=".utf8)))?=")
    }

    @Test func longASCIISubjectFoldsAtSpacesAndUnfoldsToTheOriginal() throws {
        let subject = (1...40).map { "word\($0)" }.joined(separator: " ")
        let bytes = try Self.message(subject: subject).rendered(date: Self.date).bytes
        let text = String(decoding: bytes, as: UTF8.self)
        let start = try #require(text.range(of: "Subject: "))
        let end = try #require(text.range(of: "\r\nMIME-Version"))
        let folded = String(text[start.upperBound..<end.lowerBound])
        #expect(folded.contains("\r\n "))
        #expect(folded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(folded.replacingOccurrences(of: "\r\n", with: "") == subject)
    }

    @Test func displayNamesWithSpecialsAreQuoted() throws {
        var message = Self.message()
        message.from = MailAddress("noreply@travelsense.example", name: "Travel \"Sense\", Inc.")
        let (head, _, _) = try Self.render(message)
        #expect(head[2] == #"From: "Travel \"Sense\", Inc." <noreply@travelsense.example>"#)
    }

    @Test func messageIDIsRandomAtTheSendersDomain() throws {
        let first = try Self.message().rendered()
        let second = try Self.message().rendered()
        #expect(first.messageID != second.messageID)
        #expect(first.messageID.hasPrefix("<") && first.messageID.hasSuffix("@travelsense.example>"))
        #expect(first.messageID.count == 1 + 32 + "@travelsense.example>".count)
        #expect(first.sender == "noreply@travelsense.example")
        #expect(first.recipients == ["ana@example.com", "bo@example.org"])
    }

    @Test func bodyIsQuotedPrintableAndDecodesToTheText() throws {
        let text =
            "Grüße aus Köln!\n.starts with a dot\nFrom here\ntrailing space \ntab\tinside\n= sign\n"
            + String(repeating: "long line ", count: 30) + "\n\nlast line without newline"
        let (_, body, _) = try Self.render(Self.message(text: text))
        #expect(body.contains("Gr=C3=BC=C3=9Fe aus K=C3=B6ln!\r\n"))
        #expect(body.contains("\r\n.starts with a dot\r\n"))  // SMTP dot-stuffing protects it, not QP
        #expect(body.contains("\r\n=46rom here\r\n"))  // no ">From" from mbox tools
        #expect(body.contains("\r\ntrailing space=20\r\n"))
        #expect(body.contains("\r\n=3D sign\r\n"))
        #expect(body.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        let expected = text.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        #expect(QuotedPrintableDecoder.decode(body) == expected)
    }

    @Test(arguments: [
        ("subject", "Hi\r\nBcc: victim@example.com"),
        ("subject", "Hi\nX-Evil: 1"),
        ("subject", "Hi\rX-Evil: 1"),
        ("name", "Ana\r\nBcc: victim@example.com"),
        ("address", "ana@example.com\r\nBcc: victim@example.com"),
        ("address", "ana@example.com>\r\nRCPT TO:<victim@example.com"),
        ("header", "1\r\nBcc: victim@example.com"),
        ("headerName", "X-A\r\nBcc"),
    ])
    func headerInjectionIsRefused(field: String, value: String) {
        var message = Self.message()
        switch field {
        case "subject": message.subject = value
        case "name": message.to[0].name = value
        case "address": message.to[0].address = value
        case "header": message.headers = [(name: "X-Request-ID", value: value)]
        default: message.headers = [(name: value, value: "1")]
        }
        #expect {
            _ = try message.rendered()
        } throws: { error in
            guard let error = error as? MailError, case .invalidMessage = error else { return false }
            return !error.isTransient
        }
    }

    @Test(arguments: [
        "", "ana", "@example.com", "ana@", "ana example@example.com", "ana@exa mple.com", "ana..b@example.com",
        ".ana@example.com", "ana@-example.com", "\"ana\"@example.com", "anä@example.com", "ana@example.com>",
    ])
    func malformedAddressesAreRefused(address: String) {
        var message = Self.message()
        message.to = [MailAddress(address)]
        #expect(throws: MailError.self) { _ = try message.rendered() }
    }

    @Test func reservedExtraHeadersAndEmptyRecipientsAreRefused() {
        for name in ["Bcc", "from", "Content-Type", "MESSAGE-ID"] {
            #expect(throws: MailError.self) { _ = try Self.message(headers: [(name: name, value: "x")]).rendered() }
        }
        var message = Self.message()
        message.to = []
        #expect(throws: MailError.invalidMessage("no recipient")) { _ = try message.rendered() }
    }

    @Test func extraHeadersAreWrittenAndNonASCIIValuesEncoded() throws {
        let (head, _, _) = try Self.render(
            Self.message(headers: [(name: "Auto-Submitted", value: "auto-generated"), (name: "X-Note", value: "für")]))
        #expect(head.contains("Auto-Submitted: auto-generated"))
        #expect(head.contains("X-Note: =?utf-8?B?\(Base64.encode(Array("für".utf8)))?="))
    }
}

/// An independent quoted-printable decoder for the round-trip test.
enum QuotedPrintableDecoder {
    static func decode(_ text: String) -> String {
        var output: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "=") {
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                    index += 3  // soft line break
                    continue
                }
                if index + 2 < bytes.count,
                    let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
                {
                    output.append(value)
                    index += 3
                    continue
                }
            }
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
