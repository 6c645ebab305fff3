/// Why a message was not sent. `isTransient` tells the job whether a retry may succeed.
///
/// Descriptions are safe to log: they never contain a password or an AUTH exchange, only the
/// command name ("AUTH PLAIN") and the server's reply.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message cannot be sent as given: CR/LF in a header (injection), a malformed address, no
    /// recipient, a reserved extra header. Nothing was sent.
    case invalidMessage(String)
    /// The transport's configuration is unusable: a malformed SMTP URL, an unreadable CA file.
    case invalidConfiguration(String)
    /// The server could not be resolved or reached, or the connection broke mid-conversation.
    case connectionFailed(String)
    /// The server did not answer within the configured timeout; the string names the step.
    case timedOut(String)
    /// The TLS handshake failed (protocol version, alert, reset) for a reason other than the certificate.
    case tlsFailed(String)
    /// The server's certificate did not verify against the trusted CAs or does not name the host;
    /// the string is OpenSSL's verify error.
    case certificateRejected(String)
    /// TLS is required but the server does not offer it, or credentials would have to travel in
    /// clear text. Nothing secret was sent.
    case tlsUnavailable(String)
    /// The server offers no AUTH mechanism this client speaks (PLAIN, LOGIN).
    case authenticationUnsupported(String)
    /// The server refused `command` ("RCPT TO", "AUTH PLAIN"…) with `reply`.
    case rejected(command: String, reply: SMTPReply)
    /// The server broke the protocol: a malformed or unexpected reply.
    case protocolViolation(String)
    /// `FileMailer` could not write the message.
    case fileSystem(String)

    /// Whether retrying later may succeed: 4xx replies, network trouble and timeouts are transient;
    /// 5xx replies, bad messages, bad configuration and certificate failures are not.
    public var isTransient: Bool {
        switch self {
        case .connectionFailed, .timedOut, .tlsFailed, .protocolViolation, .fileSystem: true
        case .rejected(_, let reply): reply.isTransient
        case .invalidMessage, .invalidConfiguration, .certificateRejected, .tlsUnavailable,
            .authenticationUnsupported:
            false
        }
    }

    public var description: String {
        switch self {
        case .invalidMessage(let reason): "invalid message: \(reason)"
        case .invalidConfiguration(let reason): "invalid mail configuration: \(reason)"
        case .connectionFailed(let reason): "SMTP connection failed: \(reason)"
        case .timedOut(let step): "SMTP server did not answer in time (\(step))"
        case .tlsFailed(let reason): "SMTP TLS handshake failed: \(reason)"
        case .certificateRejected(let reason): "SMTP server certificate rejected: \(reason)"
        case .tlsUnavailable(let reason): "SMTP TLS unavailable: \(reason)"
        case .authenticationUnsupported(let reason): "SMTP authentication unsupported: \(reason)"
        case .rejected(let command, let reply): "SMTP server refused \(command): \(reply)"
        case .protocolViolation(let reason): "SMTP protocol violation: \(reason)"
        case .fileSystem(let reason): "mail file: \(reason)"
        }
    }
}
