import Foundation
import Jobs
import Kernel
import Mail
import Postgres

/// The e-mails Auth sends, each through a job so a slow or failing mail server never holds a request:
/// password reset and e-mail verification. The job (not the request) mints the single-use token, so
/// the token exists only in memory, in the mail, and as a digest in `one_time_tokens` — never in the
/// job's arguments.
enum AccountMail {
    static let jobKind = "auth_mail"

    enum Purpose: String, Codable, Sendable {
        case passwordReset = "password_reset"
        case emailVerify = "email_verify"

        var lifetime: Duration {
            switch self {
            case .passwordReset: .seconds(30 * 60)
            case .emailVerify: .seconds(24 * 3600)
            }
        }
    }

    struct Args: Codable, Sendable {
        var userId: UUID
        var purpose: Purpose
    }
}

extension AuthService {
    func enqueueMail(_ purpose: AccountMail.Purpose, user: UUID, on c: PostgresConnection) throws {
        try jobs.enqueue(
            on: c, AccountMail.jobKind, args: AccountMail.Args(userId: user, purpose: purpose),
            options: EnqueueOptions(maxAttempts: 10))
    }

    /// The job: mint a token, store its digest, send the mail. A transient SMTP failure throws (the job
    /// retries with backoff, minting a fresh token); a permanent one gives up.
    func sendAccountMail(_ args: AccountMail.Args) throws {
        guard let mailer else { throw MailNotConfigured() }
        let token = try OpaqueToken.generate(prefix: OpaqueToken.oneTimePrefix)
        let seconds = args.purpose.lifetime.components.seconds
        let email: String? = try pool.transaction { c in
            guard let user = try UserRecord.find(id: args.userId, on: c), user.isActive else { return nil }
            if args.purpose == .emailVerify, user.emailVerifiedAt != nil { return nil }
            try c.execute(
                """
                INSERT INTO one_time_tokens (token_hash, user_id, purpose, email, expires_at)
                VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
                """, [try OpaqueToken.digest(token), user.id, args.purpose.rawValue, user.email, Int(seconds)])
            return user.email
        }
        guard let email else { return }  // deleted, disabled or already verified: nothing to send
        do {
            try mailer.send(message(args.purpose, to: email, token: token))
        } catch {
            if error.isTransient { throw error }
            throw JobCancel("mail refused permanently: \(error)")
        }
    }

    func message(_ purpose: AccountMail.Purpose, to email: String, token: String) -> MailMessage {
        let from = Self.parseAddress(settings.mailFrom)
        switch purpose {
        case .passwordReset:
            let link = "\(settings.publicBaseURL)/reset-password?token=\(token)"
            return MailMessage(
                from: from, to: [MailAddress(email)], subject: "Reset your TravelSense password",
                text: """
                    Someone (hopefully you) asked to reset the password of your TravelSense account.

                    Open this link within 30 minutes to choose a new password:
                    \(link)

                    Or send this token to POST /v1/auth/password/reset:
                    \(token)

                    If you did not ask for this, ignore this message: your password stays as it is.
                    """, headers: [(name: "Auto-Submitted", value: "auto-generated")])
        case .emailVerify:
            let link = "\(settings.publicBaseURL)/verify-email?token=\(token)"
            return MailMessage(
                from: from, to: [MailAddress(email)], subject: "Confirm your e-mail address for TravelSense",
                text: """
                    Confirm that this address belongs to your TravelSense account by opening this link
                    within 24 hours:
                    \(link)

                    Or send this token to POST /v1/auth/email/verify:
                    \(token)
                    """, headers: [(name: "Auto-Submitted", value: "auto-generated")])
        }
    }

    /// `Name <address>` or a bare address.
    static func parseAddress(_ text: String) -> MailAddress {
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            let name = text[..<open].trimmingCharacters(in: .whitespaces)
            return MailAddress(String(text[text.index(after: open)..<close]), name: name.isEmpty ? nil : name)
        }
        return MailAddress(text.trimmingCharacters(in: .whitespaces))
    }
}

/// Mail jobs fail (and retry) with this until SMTP_URL or MAIL_DIR is set.
struct MailNotConfigured: Error, CustomStringConvertible {
    var description: String { "no mail transport configured: set SMTP_URL (or MAIL_DIR for files)" }
}
