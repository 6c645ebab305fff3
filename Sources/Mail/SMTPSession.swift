import Crypto

/// The command sequence of one delivery over an open `SMTPConnection`.
struct SMTPSession {
    let connection: SMTPConnection
    let configuration: SMTPConfiguration
    let context: TLSClientContext
    /// EHLO keywords (upper case) and their parameters, from the latest EHLO.
    private(set) var extensions: [String: [String]] = [:]

    init(connection: SMTPConnection, configuration: SMTPConfiguration, context: TLSClientContext) {
        self.connection = connection
        self.configuration = configuration
        self.context = context
    }

    mutating func deliver(_ message: RenderedMessage) throws(MailError) {
        try expect(connection.readReply(), 220, "connection greeting")
        try hello()
        if !connection.isEncrypted { try startTLS() }
        if let username = configuration.username {
            try authenticate(username: username, password: configuration.password ?? "")
        }

        var mailFrom = "MAIL FROM:<\(message.sender)>"
        // SIZE lets a server refuse an oversized message before we upload it (RFC 1870).
        if extensions["SIZE"] != nil { mailFrom += " SIZE=\(message.bytes.count)" }
        try command(mailFrom, expecting: 250, name: "MAIL FROM")
        for recipient in message.recipients {
            try command("RCPT TO:<\(recipient)>", expecting: 250, 251, name: "RCPT TO")
        }
        try command("DATA", expecting: 354, name: "DATA")
        try connection.write(DotStuffing.stuff(message.bytes))
        try expect(connection.readReply(), 250, "message data")
    }

    /// QUIT, best effort: the message's fate is already decided, so errors here are ignored.
    func quit() {
        guard (try? connection.send("QUIT")) != nil else { return }
        _ = try? connection.readReply()
    }

    // MARK: - Steps

    private mutating func hello() throws(MailError) {
        let reply = try command("EHLO \(configuration.clientName)", expecting: 250, name: "EHLO")
        // The first line is the server's name; each further line is "KEYWORD params…".
        extensions = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            // Pre-RFC 4954 servers announce "AUTH=LOGIN PLAIN"; treat it as "AUTH LOGIN PLAIN".
            if keyword.hasPrefix("AUTH=") {
                extensions["AUTH", default: []] += [String(keyword.dropFirst(5))] + words.dropFirst()
            } else {
                extensions[keyword, default: []] += words.dropFirst()
            }
        }
    }

    private mutating func startTLS() throws(MailError) {
        let required = configuration.security == .startTLS
        guard extensions["STARTTLS"] != nil else {
            if required {
                throw .tlsUnavailable("the server does not offer STARTTLS, which the configuration requires")
            }
            return
        }
        try connection.send("STARTTLS")
        let reply = try connection.readReply()
        guard reply.code == 220 else {
            if required || !reply.isTransient { throw .rejected(command: "STARTTLS", reply: reply) }
            return  // opportunistic: a 454 "TLS not available now" leaves us in clear text
        }
        try connection.startTLS(hostName: configuration.host, context: context)
        // RFC 3207 §4.2: forget everything learnt before TLS and ask again.
        try hello()
    }

    private func authenticate(username: String, password: String) throws(MailError) {
        guard connection.isEncrypted else {
            throw .tlsUnavailable("refusing to send credentials without TLS")
        }
        let mechanisms = Set((extensions["AUTH"] ?? []).map { $0.uppercased() })
        if mechanisms.contains("PLAIN") {
            // RFC 4616: authzid (empty) NUL authcid NUL password, sent as an initial response.
            let token = Base64.encode([0] + Array(username.utf8) + [0] + Array(password.utf8))
            try connection.send("AUTH PLAIN \(token)")
            var reply = try connection.readReply()
            if reply.code == 334 {  // a server that ignores initial responses asks again
                try connection.send(token)
                reply = try connection.readReply()
            }
            try expect(reply, 235, "AUTH PLAIN")
        } else if mechanisms.contains("LOGIN") {
            try command("AUTH LOGIN", expecting: 334, name: "AUTH LOGIN")
            try connection.send(Base64.encode(Array(username.utf8)))
            try expect(connection.readReply(), 334, "AUTH LOGIN")
            try connection.send(Base64.encode(Array(password.utf8)))
            try expect(connection.readReply(), 235, "AUTH LOGIN")
        } else if mechanisms.isEmpty {
            throw .authenticationUnsupported("credentials are configured but the server does not offer AUTH")
        } else {
            let offered = mechanisms.sorted().joined(separator: " ")
            throw .authenticationUnsupported("the server offers \(SMTPReplyParser.printable(offered.utf8.prefix(100)))")
        }
    }

    // MARK: - Replies

    /// Sends `line` and checks the reply; `name` is what errors show (never the line, which may hold secrets).
    @discardableResult
    private func command(_ line: String, expecting codes: Int..., name: String) throws(MailError) -> SMTPReply {
        try connection.send(line)
        let reply = try connection.readReply()
        guard codes.contains(reply.code) else { throw Self.failure(reply, name) }
        return reply
    }

    @discardableResult
    private func expect(_ reply: SMTPReply, _ code: Int, _ name: String) throws(MailError) -> SMTPReply {
        guard reply.code == code else { throw Self.failure(reply, name) }
        return reply
    }

    /// A refusal for 4xx/5xx; any other unexpected code means the server is not following the protocol.
    private static func failure(_ reply: SMTPReply, _ name: String) -> MailError {
        (400..<600).contains(reply.code)
            ? .rejected(command: name, reply: reply) : .protocolViolation("unexpected reply to \(name): \(reply)")
    }
}
