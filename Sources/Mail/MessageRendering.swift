import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A message rendered for the wire: RFC 5322 text plus the SMTP envelope taken from it.
public struct RenderedMessage: Sendable, Equatable {
    /// The `Message-ID` header value, angle brackets included.
    public let messageID: String
    /// The envelope sender (MAIL FROM), a bare address.
    public let sender: String
    /// The envelope recipients (RCPT TO), bare addresses, in order.
    public let recipients: [String]
    /// The whole message: 7-bit, CRLF line ends, no line over 998 octets, ending in CRLF.
    public let bytes: [UInt8]
}

extension MailMessage {
    /// At most this many recipients per message: RFC 5321 §4.5.3.1.8 only promises servers take 100.
    public static let maximumRecipients = 100

    /// Headers the renderer writes itself; `headers` may not set them (nor Bcc, which would leak).
    static let reservedHeaders: Set<String> = [
        "date", "message-id", "from", "sender", "to", "cc", "bcc", "subject", "mime-version", "content-type",
        "content-transfer-encoding",
    ]

    /// Renders the message: `Date`, `Message-ID`, `From`, `To`, `Subject` (RFC 2047 encoded words when
    /// not plain ASCII), the extra headers, MIME headers, and the text as quoted-printable UTF-8.
    ///
    /// Throws `invalidMessage` — and nothing is ever sent — when an address is malformed, a header
    /// value, name or subject holds CR/LF (header injection), an extra header is reserved, or there
    /// is no recipient.
    /// - Parameters:
    ///   - date: the `Date` header; now by default.
    ///   - messageID: `local@domain` without brackets; by default 128 random bits at the sender's domain.
    public func rendered(date: Date = Date(), messageID: String? = nil) throws(MailError) -> RenderedMessage {
        guard !to.isEmpty else { throw .invalidMessage("no recipient") }
        guard to.count <= Self.maximumRecipients else {
            throw .invalidMessage("more than \(Self.maximumRecipients) recipients")
        }
        let fromField = try AddressSyntax.mailbox(from, field: "from", firstLineUsed: 6)
        var toFields: [String] = []
        for (index, recipient) in to.enumerated() {
            toFields.append(try AddressSyntax.mailbox(recipient, field: "to[\(index)]", firstLineUsed: 4))
        }
        try HeaderText.checkNoLineBreaks(subject, field: "subject")
        var id = messageID ?? ""
        if messageID == nil { id = try Self.randomMessageID(domain: AddressSyntax.domain(of: from.address)) }
        try AddressSyntax.validate(id, field: "message id")

        var head = ""
        head += "Date: \(MailDate.rfc5322(Int(date.timeIntervalSince1970.rounded(.down))))\r\n"
        head += "Message-ID: <\(id)>\r\n"
        head += "From: \(fromField)\r\n"
        // One recipient per line keeps long lists far from the 998-octet limit.
        head += "To: \(toFields.joined(separator: ",\r\n "))\r\n"
        head += HeaderText.unstructured(name: "Subject", value: subject)
        for (index, header) in headers.enumerated() {
            try Self.checkHeaderName(header.name, index: index)
            try HeaderText.checkNoLineBreaks(header.value, field: "header \(header.name)")
            head += HeaderText.unstructured(name: header.name, value: header.value)
        }
        head += "MIME-Version: 1.0\r\n"
        head += "Content-Type: text/plain; charset=utf-8\r\n"
        head += "Content-Transfer-Encoding: quoted-printable\r\n"
        head += "\r\n"
        return RenderedMessage(
            messageID: "<\(id)>", sender: from.address, recipients: to.map(\.address),
            bytes: Array(head.utf8) + QuotedPrintable.encode(text))
    }

    /// A field name of RFC 5322 §3.6.8 (printable ASCII but colon), not one the renderer owns.
    private static func checkHeaderName(_ name: String, index: Int) throws(MailError) {
        guard !name.isEmpty, name.utf8.count <= 76,
            name.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ":") })
        else { throw .invalidMessage("header \(index) has an invalid name") }
        guard !reservedHeaders.contains(name.lowercased()) else {
            throw .invalidMessage("header \(name) is set by the mailer and may not be given")
        }
    }

    private static func randomMessageID(domain: String) throws(MailError) -> String {
        do {
            return Hex.encode(try SecureRandom.bytes(16)) + "@" + domain
        } catch {
            throw .invalidMessage("no random bytes for the Message-ID: \(error)")
        }
    }
}
