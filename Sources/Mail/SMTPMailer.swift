import Crypto

/// Sends mail through an SMTP submission server (RFC 5321, RFC 6409), encrypted with STARTTLS or
/// implicit TLS and verified against the system trust store or a private CA.
///
/// Each `send` opens its own connection and closes it with QUIT: mail volume is small (sign-up,
/// password reset, trip invitations), and a fresh connection per message means no idle connection to
/// keep alive or recover. The CA file is read on every send, so a rotated file is picked up.
///
/// The conversation: greeting, EHLO, STARTTLS and EHLO again (unless SMTPS), AUTH PLAIN — or LOGIN
/// when that is all the server offers — only ever over TLS, MAIL FROM, one RCPT TO per recipient,
/// DATA with dot-stuffing, QUIT. Every reply is checked. Delivery is all or nothing: a refused
/// recipient aborts before DATA, so a retry never duplicates mail to the recipients that were accepted.
/// A failure after the server accepted the data (a lost QUIT) is ignored; a timeout while waiting for
/// that acceptance is reported as transient, and the retry may then deliver the message twice.
public struct SMTPMailer: Mailer {
    public let configuration: SMTPConfiguration

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    public func send(_ message: MailMessage) throws(MailError) {
        // Render first: a message that cannot be rendered must not cost a connection.
        let rendered = try message.rendered()
        try configuration.validate()
        let context: TLSClientContext
        do {
            context = try TLSClientContext(configuration: configuration.tls)
        } catch {
            throw .invalidConfiguration(error.description)
        }
        let connection = try SMTPConnection.open(
            host: configuration.host, port: configuration.port, connectTimeout: configuration.connectTimeout,
            timeout: configuration.commandTimeout,
            implicitTLS: configuration.security == .implicitTLS ? context : nil)
        defer { connection.close() }
        var session = SMTPSession(connection: connection, configuration: configuration, context: context)
        do {
            try session.deliver(rendered)
        } catch {
            // After a refusal or a policy stop the server is still listening: say goodbye. After I/O
            // errors and timeouts it is not.
            switch error {
            case .rejected, .tlsUnavailable, .authenticationUnsupported: session.quit()
            default: break
            }
            throw error
        }
        session.quit()
    }
}
