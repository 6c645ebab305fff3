import Foundation
import Testing

@testable import Mail

@Suite struct FileMailerTests {
    static let message = MailMessage(
        from: MailAddress("noreply@travelsense.example"), to: [MailAddress("ana@example.com", name: "Ana")],
        subject: "Reset your password", text: "Follow https://travelsense.example/reset?t=abc\n")

    @Test func writesOnePrivateEmlFilePerMessageInANewPrivateDirectory() throws {
        let root = try TemporaryDirectory.make(prefix: "file-mailer")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = root + "/nested/outbox"
        let mailer = FileMailer(directory: directory)
        let first = try mailer.write(Self.message)
        try mailer.send(Self.message)

        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names.count == 2)
        #expect(names.allSatisfy { $0.hasSuffix(".eml") && !$0.hasPrefix(".") })
        #expect(first.hasPrefix(directory + "/") && names.contains(String(first.dropFirst(directory.count + 1))))
        // "20250701T093000.123Z-0123456789ab.eml"
        let pattern = /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{12}\.eml$/
        #expect(names.allSatisfy { $0.wholeMatch(of: pattern) != nil })

        #expect(try Self.mode(directory) == 0o700)
        #expect(try Self.mode(root + "/nested") == 0o700)
        for name in names { #expect(try Self.mode(directory + "/" + name) == 0o600) }

        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: first)))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\r\nSubject: Reset your password\r\n"))
        #expect(text.contains("\r\nTo: Ana <ana@example.com>\r\n"))
        #expect(
            QuotedPrintableDecoder.decode(text).hasSuffix("\r\n\r\nFollow https://travelsense.example/reset?t=abc\r\n"))
    }

    @Test func anInvalidMessageLeavesNoFile() throws {
        let directory = try TemporaryDirectory.make(prefix: "file-mailer")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var message = Self.message
        message.subject = "x\r\nBcc: victim@example.com"
        #expect(throws: MailError.self) { try FileMailer(directory: directory).send(message) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func aFileWhereTheDirectoryShouldBeIsAnError() throws {
        let directory = try TemporaryDirectory.make(prefix: "file-mailer")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = FileManager.default.createFile(atPath: directory + "/file", contents: Data())
        #expect(throws: MailError.self) { try FileMailer(directory: directory + "/file").send(Self.message) }
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }
}
