/// One plain-text e-mail: who it is from, to whom, the subject and the body. Rendering (RFC 5322
/// headers, encoded words, transfer encoding) belongs to the transports, not to callers.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    /// UTF-8 text; lines end with "\n" (transports convert to CRLF).
    public var text: String
    /// Extra headers (`Auto-Submitted`, `X-Request-ID`…); names must be ASCII tokens.
    public var headers: [(name: String, value: String)]

    public init(
        from: MailAddress, to: [MailAddress], subject: String, text: String,
        headers: [(name: String, value: String)] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.headers = headers
    }

    public static func == (a: MailMessage, b: MailMessage) -> Bool {
        a.from == b.from && a.to == b.to && a.subject == b.subject && a.text == b.text
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }
}

/// An address with an optional display name: `Ana <ana@example.com>`.
public struct MailAddress: Sendable, Equatable {
    public var address: String
    public var name: String?

    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}
