/// Sends one message. Implementations: `SMTPMailer` (production, STARTTLS) and `FileMailer`
/// (`travelsense dev` and tests: one `.eml` file per message).
///
/// `send` blocks until the message is accepted or refused; it runs on job workers, never on a
/// request handler, so a slow mail server delays mail, not the API.
public protocol Mailer: Sendable {
    func send(_ message: MailMessage) throws(MailError)
}
