import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where and how `SMTPMailer` delivers: server, TLS mode, credentials, timeouts.
///
/// Usually parsed from a URL (`SMTP_URL`):
/// - `smtp://[user:pass@]host[:port]` — submission with STARTTLS, port 587. STARTTLS is required:
///   a server (or an attacker stripping the capability) that does not offer it gets nothing.
/// - `smtp://host:25?starttls=opportunistic` — STARTTLS when offered, clear text otherwise; meant for
///   a relay on the same host or pod. Credentials are still never sent without TLS.
/// - `smtps://[user:pass@]host[:port]` — TLS from the first byte, port 465.
///
/// Query parameters: `ca_file=/path.pem` (trust only that CA, for a private one), `helo=name` (the
/// EHLO name, by default this machine's host name), `timeout=60` and `connect_timeout=10` (seconds).
/// User and password are percent-decoded, so `:`, `/`, `?` and `#` in them must be written `%3A`,
/// `%2F`, `%3F`, `%23` (and `@` preferably `%40`). `description` shows the password as `***`.
///
/// Whenever TLS is used — opportunistic mode included — the certificate is verified: a local relay
/// with a self-signed certificate needs `ca_file`.
public struct SMTPConfiguration: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// How the connection is protected.
    public enum Security: Sendable, Equatable {
        /// Clear text upgraded with STARTTLS, which must succeed (the default).
        case startTLS
        /// STARTTLS when the server offers it, clear text without credentials otherwise.
        case opportunisticStartTLS
        /// TLS from the first byte (SMTPS, RFC 8314).
        case implicitTLS
    }

    public static let defaultSubmissionPort = 587
    public static let defaultImplicitTLSPort = 465
    public static let defaultConnectTimeout = Duration.seconds(10)
    /// Per command reply; generous because some servers scan the message before answering its final dot.
    public static let defaultCommandTimeout = Duration.seconds(60)

    public var host: String
    public var port: Int
    public var security: Security
    /// AUTH credentials; nil sends without AUTH (a relay that trusts our address).
    public var username: String?
    public var password: String?
    /// Certificate verification: the system trust store, or `caFile` for a private CA.
    public var tls: TLSClientConfiguration
    /// The name sent in EHLO.
    public var clientName: String
    /// Limit for resolving and connecting, over all addresses tried.
    public var connectTimeout: Duration
    /// Limit for each reply and each write, the TLS handshake included.
    public var commandTimeout: Duration

    public init(
        host: String, port: Int? = nil, security: Security = .startTLS, username: String? = nil,
        password: String? = nil, tls: TLSClientConfiguration = TLSClientConfiguration(),
        clientName: String = SMTPConfiguration.localHostName(),
        connectTimeout: Duration = SMTPConfiguration.defaultConnectTimeout,
        commandTimeout: Duration = SMTPConfiguration.defaultCommandTimeout
    ) {
        self.host = host
        self.port = port ?? (security == .implicitTLS ? Self.defaultImplicitTLSPort : Self.defaultSubmissionPort)
        self.security = security
        self.username = username
        self.password = password
        self.tls = tls
        self.clientName = clientName
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    /// Parses an `smtp://` or `smtps://` URL (see the type's documentation). Error messages never
    /// quote the URL, which may hold a password.
    public init(url: String) throws(MailError) {
        self = try SMTPURLParser.parse(url)
    }

    public var description: String {
        var text = security == .implicitTLS ? "smtps://" : "smtp://"
        if let username {
            text += SMTPURLParser.percentEncode(username)
            if password != nil { text += ":***" }
            text += "@"
        }
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)"
        var query: [String] = []
        if security == .opportunisticStartTLS { query.append("starttls=opportunistic") }
        if let caFile = tls.caFile { query.append("ca_file=\(SMTPURLParser.percentEncode(caFile))") }
        return query.isEmpty ? text : text + "?" + query.joined(separator: "&")
    }

    /// `dump()` and debuggers see the redacted URL, not the password field.
    public var customMirror: Mirror {
        Mirror(self, children: ["url": description, "clientName": clientName], displayStyle: .struct)
    }

    /// Throws `invalidConfiguration` when a field could not work: empty host, port outside 1…65535,
    /// an EHLO name that is not a domain or address literal, non-positive timeouts.
    func validate() throws(MailError) {
        guard !host.isEmpty, host.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .invalidConfiguration("SMTP host is empty or not printable ASCII")
        }
        guard (1...65535).contains(port) else { throw .invalidConfiguration("SMTP port \(port) is not 1…65535") }
        guard Self.isValidClientName(clientName) else {
            throw .invalidConfiguration("EHLO name must be a domain or an address literal")
        }
        guard connectTimeout > .zero, commandTimeout > .zero else {
            throw .invalidConfiguration("SMTP timeouts must be positive")
        }
        for (name, value) in [("user", username), ("password", password)] {
            if let value, value.utf8.contains(0) { throw .invalidConfiguration("SMTP \(name) contains NUL") }
        }
    }

    /// This machine's host name when it is a valid EHLO name, else "localhost".
    public static func localHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return isValidClientName(name) ? name : "localhost"
    }

    /// A host name (letters, digits, hyphens, dots) or an address literal such as `[192.0.2.1]`.
    static func isValidClientName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 255 else { return false }
        let isLiteral = bytes.first == UInt8(ascii: "[") && bytes.last == UInt8(ascii: "]")
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
                || (isLiteral && [UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ":")].contains(byte))
        }
    }
}
