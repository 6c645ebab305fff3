import Foundation
import HTTP
import Kernel
import Postgres

public struct ForgotPasswordRequest: Decodable, Sendable {
    public var email: String
}

public struct ResetPasswordRequest: Decodable, Sendable {
    public var token: String
    public var newPassword: String
}

public struct VerifyEmailRequest: Decodable, Sendable {
    public var token: String
}

extension AuthService {
    /// Queues a reset mail when the address belongs to an active account; the caller always gets 202,
    /// whether it does or not.
    public func forgotPassword(_ body: ForgotPasswordRequest, origin: RequestOrigin) throws {
        guard let email = EmailAddress.normalize(body.email) else { return }
        try pool.transaction { c in
            guard let user = try UserRecord.find(email: email, on: c), user.isActive else { return }
            try enqueueMail(.passwordReset, user: user.id, on: c)
        }
    }

    /// Spends a reset token: new password, every session and access token revoked.
    public func resetPassword(_ body: ResetPasswordRequest, origin: RequestOrigin) throws {
        if let problem = PasswordPolicy.problem(with: body.newPassword) {
            throw HTTPError.invalid([.init(field: "new_password", message: problem)])
        }
        guard OpaqueToken.isWellFormed(body.token, prefix: OpaqueToken.oneTimePrefix) else { throw Self.badToken }
        let hash = try hashPassword(body.newPassword)
        let (user, validAfter): (UUID, Int64) = try pool.transaction { c in
            guard let user = try spend(body.token, purpose: .passwordReset, on: c) else { throw Self.badToken }
            try c.execute("UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", [user.id, hash])
            try revokeSessions(of: user.id, except: nil, on: c)
            // Other outstanding reset links die with this one.
            try c.execute(
                "UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose = 'password_reset' AND used_at IS NULL",
                [user.id])
            try c.execute("DELETE FROM login_failures WHERE email_key = $1", [try Self.emailKey(user.email)])
            try AuditLog.record(.passwordReset, actor: user.id, origin: origin, on: c)
            return (user.id, try invalidateAccessTokens(of: user.id, on: c))
        }
        publishRevocation(of: user, validAfterMilliseconds: validAfter)
    }

    /// Spends a verification token for the address it was sent to.
    public func verifyEmail(_ body: VerifyEmailRequest, origin: RequestOrigin) throws {
        guard OpaqueToken.isWellFormed(body.token, prefix: OpaqueToken.oneTimePrefix) else { throw Self.badToken }
        try pool.transaction { c in
            guard let user = try spend(body.token, purpose: .emailVerify, on: c) else { throw Self.badToken }
            try c.execute(
                "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = $1",
                [user.id])
            try AuditLog.record(.emailVerified, actor: user.id, origin: origin, on: c)
        }
    }

    /// Queues another verification mail for the caller (202), unless already verified (409).
    public func resendVerification(_ principal: Principal) throws {
        try pool.transaction { c in
            let user = try activeUser(principal.userID, on: c)
            guard user.emailVerifiedAt == nil else {
                throw HTTPError(.conflict, detail: "The e-mail address is already verified.")
            }
            try enqueueMail(.emailVerify, user: user.id, on: c)
        }
    }

    /// Marks a live token of `purpose` used and returns its active user; the address must still be the
    /// one the token was mailed to.
    private func spend(_ token: String, purpose: AccountMail.Purpose, on c: PostgresConnection) throws -> UserRecord? {
        let rows = try c.query(
            """
            UPDATE one_time_tokens SET used_at = now()
            WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
            RETURNING user_id, email
            """, [try OpaqueToken.digest(token), purpose.rawValue])
        guard let row = rows.first,
            let user = try UserRecord.find(id: try row.decode(0, as: UUID.self), on: c, forUpdate: true),
            user.isActive, user.email == (try row.decode(1, as: String.self))
        else { return nil }
        return user
    }

    static var badToken: HTTPError {
        HTTPError.invalid([.init(field: "token", message: "is invalid, expired or already used")])
    }
}
