import Foundation
import HTTP
import Kernel
import Postgres

public struct UpdateMeRequest: Decodable, Sendable {
    public var displayName: String?
    public var email: String?
}

public struct ChangePasswordRequest: Decodable, Sendable {
    public var currentPassword: String
    public var newPassword: String
}

public struct PasswordConfirmation: Decodable, Sendable {
    public var password: String
}

extension AuthService {
    func activeUser(_ id: UUID) throws -> UserRecord {
        try pool.withConnection { try activeUser(id, on: $0) }
    }

    /// The caller's account; a deleted or disabled one is treated as an invalid credential.
    func activeUser(_ id: UUID, on c: PostgresConnection, forUpdate: Bool = false) throws -> UserRecord {
        guard let user = try UserRecord.find(id: id, on: c, forUpdate: forUpdate), user.isActive else {
            throw AuthProblems.invalidToken()
        }
        return user
    }

    /// `GET /v1/me`.
    public func me(_ principal: Principal) throws -> UserView {
        UserView(try activeUser(principal.userID))
    }

    /// `PATCH /v1/me`: a new address must be verified again (a mail goes to it).
    public func updateMe(_ principal: Principal, _ body: UpdateMeRequest, origin: RequestOrigin) throws -> UserView {
        var errors: [HTTPError.FieldError] = []
        let name = body.displayName.map(DisplayName.normalize)
        if case .some(nil) = name {
            errors.append(.init(field: "display_name", message: "must be 1 to \(DisplayName.maximumLength) characters"))
        }
        let email = body.email.map(EmailAddress.normalize)
        if case .some(nil) = email { errors.append(.init(field: "email", message: "must be a valid e-mail address")) }
        guard errors.isEmpty else { throw HTTPError.invalid(errors) }
        do {
            return try pool.transaction { c in
                var user = try activeUser(principal.userID, on: c, forUpdate: true)
                if let newName = name ?? nil, newName != user.displayName {
                    try c.execute(
                        "UPDATE users SET display_name = $2, updated_at = now() WHERE id = $1", [user.id, newName])
                    user.displayName = newName
                }
                if let newEmail = email ?? nil, newEmail != user.email {
                    try c.execute(
                        "UPDATE users SET email = $2, email_verified_at = NULL, updated_at = now() WHERE id = $1",
                        [user.id, newEmail])
                    // Links already mailed to the old address must not verify the new one.
                    try c.execute(
                        "UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL", [user.id])
                    user.email = newEmail
                    user.emailVerifiedAt = nil
                    try AuditLog.record(.emailChange, actor: user.id, origin: origin, on: c)
                    try enqueueMail(.emailVerify, user: user.id, on: c)
                }
                return UserView(user)
            }
        } catch let error as PostgresError where error.sqlState == SQLState.uniqueViolation {
            throw HTTPError(
                .conflict, detail: "An account with this e-mail address already exists.",
                errors: [.init(field: "email", message: "is already registered")])
        }
    }

    /// `POST /v1/me/password`: other sessions end; this one (the access token's `sid`) continues.
    public func changePassword(
        _ principal: Principal, _ body: ChangePasswordRequest, origin: RequestOrigin, session: UUID?
    )
        throws
    {
        if let problem = PasswordPolicy.problem(with: body.newPassword) {
            throw HTTPError.invalid([.init(field: "new_password", message: problem)])
        }
        let user = try activeUser(principal.userID)
        guard try verifyPassword(body.currentPassword, against: user.passwordHash) else { throw Self.wrongPassword }
        let hash = try hashPassword(body.newPassword)
        try pool.transaction { c in
            try c.execute("UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", [user.id, hash])
            try revokeSessions(of: user.id, except: session, on: c)
            try AuditLog.record(.passwordChange, actor: user.id, origin: origin, on: c)
        }
    }

    /// `DELETE /v1/me`: personal data anonymised, credentials revoked, other modules' hooks run (Trips
    /// hands owned trips over or deletes them) — all in one transaction. The row stays, without an
    /// e-mail or password, so audit entries and foreign keys keep pointing at something, and nobody can
    /// ever sign in as it again.
    public func deleteAccount(_ principal: Principal, password: String, origin: RequestOrigin) throws {
        let user = try activeUser(principal.userID)
        guard try verifyPassword(password, against: user.passwordHash) else { throw Self.wrongPassword }
        let validAfter = try pool.transaction { c in
            try deletionHooks.run(user.id, on: c)
            try c.execute(
                """
                UPDATE users SET email = 'deleted+' || id::text || '@deleted.invalid', display_name = 'Deleted user',
                    password_hash = NULL, email_verified_at = NULL, totp_secret = NULL, totp_enabled_at = NULL,
                    deleted_at = now(), updated_at = now()
                WHERE id = $1
                """, [user.id])
            try revokeSessions(of: user.id, except: nil, on: c)
            try c.execute("UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", [user.id])
            try c.execute("DELETE FROM one_time_tokens WHERE user_id = $1", [user.id])
            try c.execute("DELETE FROM recovery_codes WHERE user_id = $1", [user.id])
            try c.execute("DELETE FROM login_failures WHERE email_key = $1", [try Self.emailKey(user.email)])
            try AuditLog.record(.accountDeleted, actor: user.id, origin: origin, on: c)
            return try invalidateAccessTokens(of: user.id, on: c)
        }
        publishRevocation(of: user.id, validAfterMilliseconds: validAfter)
    }

    static var wrongPassword: HTTPError {
        HTTPError(
            .forbidden, detail: "The password is incorrect.",
            errors: [.init(field: "password", message: "is incorrect")])
    }
}
