import Crypto

/// `smtp://` and `smtps://` URLs into `SMTPConfiguration`, by hand: the grammar is small, and we want
/// error messages that never echo the password, which a general URL type would not promise.
enum SMTPURLParser {
    static func parse(_ url: String) throws(MailError) -> SMTPConfiguration {
        let lower = url.lowercased()
        let implicitTLS: Bool
        let rest: Substring
        if lower.hasPrefix("smtp://") {
            implicitTLS = false
            rest = url.dropFirst("smtp://".count)
        } else if lower.hasPrefix("smtps://") {
            implicitTLS = true
            rest = url.dropFirst("smtps://".count)
        } else {
            throw .invalidConfiguration("SMTP URL must start with smtp:// or smtps://")
        }
        guard !url.contains("#") else { throw .invalidConfiguration("SMTP URL may not have a fragment ('#')") }

        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var tail = rest[authorityEnd...]
        if tail.hasPrefix("/") { tail = tail.dropFirst() }
        guard tail.isEmpty || tail.hasPrefix("?") else { throw .invalidConfiguration("SMTP URL may not have a path") }
        let query = tail.dropFirst()

        // The last "@" ends the user info, so an unescaped "@" in a user name still parses.
        var username: String?
        var password: String?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                username = try percentDecode(userInfo[..<colon], what: "user")
                password = try percentDecode(userInfo[userInfo.index(after: colon)...], what: "password")
            } else {
                username = try percentDecode(userInfo, what: "user")
            }
            guard username?.isEmpty == false else { throw .invalidConfiguration("SMTP URL has an empty user") }
        }
        let (host, port) = try hostAndPort(hostPort)

        var security: SMTPConfiguration.Security = implicitTLS ? .implicitTLS : .startTLS
        var tls = TLSClientConfiguration()
        var clientName: String?
        var connectTimeout = SMTPConfiguration.defaultConnectTimeout
        var commandTimeout = SMTPConfiguration.defaultCommandTimeout
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let value = try percentDecode(parts.count > 1 ? parts[1] : "", what: "parameter \(key)")
            switch key {
            case "starttls":
                guard !implicitTLS else { throw .invalidConfiguration("starttls does not apply to smtps://") }
                switch value {
                case "required": security = .startTLS
                case "opportunistic": security = .opportunisticStartTLS
                default: throw .invalidConfiguration("starttls must be required or opportunistic")
                }
            case "ca_file":
                guard !value.isEmpty else { throw .invalidConfiguration("ca_file is empty") }
                tls.caFile = value
            case "helo":
                clientName = value
            case "timeout":
                commandTimeout = try seconds(value, key)
            case "connect_timeout":
                connectTimeout = try seconds(value, key)
            default:
                throw .invalidConfiguration(
                    "unknown SMTP URL parameter \(SMTPReplyParser.printable(key.utf8.prefix(40)))")
            }
        }
        let configuration = SMTPConfiguration(
            host: host, port: port, security: security, username: username, password: password, tls: tls,
            clientName: clientName ?? SMTPConfiguration.localHostName(), connectTimeout: connectTimeout,
            commandTimeout: commandTimeout)
        try configuration.validate()
        return configuration
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`; the port is digits only, 1…65535.
    private static func hostAndPort(_ text: Substring) throws(MailError) -> (String, Int?) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw .invalidConfiguration("SMTP URL has an unclosed [")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidConfiguration("SMTP URL has text after ]") }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw .invalidConfiguration("SMTP URL has no host") }
        guard let portText else { return (String(host), nil) }
        // Digits only: Int("+25") would accept a sign.
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portText), (1...65535).contains(port)
        else { throw .invalidConfiguration("SMTP port must be 1…65535") }
        return (String(host), port)
    }

    private static func seconds(_ text: String, _ key: String) throws(MailError) -> Duration {
        guard !text.isEmpty, text.count <= 6, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text),
            value > 0
        else { throw .invalidConfiguration("\(key) must be a positive number of seconds") }
        return .seconds(value)
    }

    /// RFC 3986 percent-decoding; the result must be UTF-8. `what` names the part in errors, never its text.
    static func percentDecode(_ text: Substring, what: String) throws(MailError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw .invalidConfiguration("SMTP URL \(what) has an invalid percent escape")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .invalidConfiguration("SMTP URL \(what) is not UTF-8")
        }
        return decoded
    }

    /// Escapes everything but RFC 3986 unreserved characters and "/".
    static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in text.utf8 {
            let unreserved =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-._~/".utf8.contains(byte)
            if unreserved {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
