import Crypto
import Foundation
import HTTP
import Kernel
import Postgres

extension AuthService {
    /// Signs in. A wrong address and a wrong password get the same answer after the same work (a
    /// dummy hash). Failures count per address, known or not, and lock it for 1 min after
    /// `lockoutThreshold`, doubling per further failure up to 1 h; a success clears the count.
    public func login(_ body: LoginRequest, origin: RequestOrigin) throws -> TokenPair {
        // An address that cannot exist is still answered like a wrong password.
        let email = EmailAddress.normalize(body.email) ?? body.email.lowercased()
        let emailKey = try Self.emailKey(email)
        if let retryAfter = try lockedFor(emailKey) { throw Self.lockedOut(retryAfter) }
        let user = try pool.withConnection { try UserRecord.find(email: email, on: $0) }
        let live = user.flatMap { $0.deletedAt == nil ? $0 : nil }
        var passwordOK = false
        if body.password.count <= PasswordPolicy.lengths.upperBound {
            passwordOK = try verifyPassword(body.password, against: live?.passwordHash)
        }
        guard let user = live, passwordOK else {
            try recordFailure(
                emailKey, user: live?.id, reason: live == nil ? "unknown_account" : "password", origin: origin)
            throw Self.invalidCredentials
        }
        guard user.disabledAt == nil else {
            throw HTTPError(.forbidden, detail: "This account is disabled; contact support.")
        }
        if user.totpEnabledAt != nil {
            guard let code = body.totpCode?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
                throw HTTPError(
                    .unauthorized, title: "Two-factor code required",
                    detail: "This account uses two-factor authentication: send totp_code (or a recovery code).",
                    type: Self.totpRequiredType, headers: Self.bearerChallenge)
            }
            guard try consumeSecondFactor(code, user: user) else {
                try recordFailure(emailKey, user: user.id, reason: "totp", origin: origin)
                throw HTTPError(
                    .unauthorized, title: "Invalid two-factor code",
                    detail: "The two-factor code is wrong, expired or already used.", type: Self.totpInvalidType,
                    headers: Self.bearerChallenge)
            }
        }
        // Raised cost (PASSWORD_SCRYPT_LOG_N): rehash now, while the password is in hand.
        let newHash = hasher.needsRehash(user.passwordHash ?? "") ? try hashPassword(body.password) : nil
        return try pool.transaction { c in
            try c.execute("DELETE FROM login_failures WHERE email_key = $1", [emailKey])
            if let newHash {
                try c.execute(
                    "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", [user.id, newHash])
            }
            try AuditLog.record(.loginSuccess, actor: user.id, origin: origin, on: c)
            return try startSession(for: user, origin: origin, on: c)
        }
    }

    static let totpRequiredType = "https://travelsense.dev/problems/totp-required"
    static let totpInvalidType = "https://travelsense.dev/problems/totp-invalid"

    static var bearerChallenge: HTTPFields {
        var h = HTTPFields()
        h.append(.wwwAuthenticate, "Bearer realm=\"\(AuthProblems.realm)\"")
        return h
    }

    static var invalidCredentials: HTTPError {
        HTTPError(.unauthorized, detail: "Invalid e-mail address or password.", headers: bearerChallenge)
    }

    static func lockedOut(_ seconds: Int) -> HTTPError {
        var h = HTTPFields()
        h.append(.retryAfter, String(seconds))
        return HTTPError(
            .tooManyRequests, title: "Too many failed sign-ins",
            detail: "Too many failed sign-ins for this address; retry after the time in Retry-After.", headers: h)
    }

    /// The address as `login_failures` keys it: a digest, so the table holds no e-mail addresses.
    static func emailKey(_ email: String) throws -> Data {
        Data(try SHA256.hash(Array("login:\(email)".utf8)))
    }

    /// Seconds until the address unlocks, or nil when it is not locked.
    func lockedFor(_ emailKey: Data) throws -> Int? {
        let rows = try pool.query(
            "SELECT ceil(extract(epoch FROM locked_until - now()))::int FROM login_failures WHERE email_key = $1 AND locked_until > now()",
            [emailKey])
        return try rows.first.map { max(1, try $0.decode(0, as: Int.self)) }
    }

    /// Counts a failure (forgetting failures older than a day) and audits it.
    func recordFailure(_ emailKey: Data, user: UUID?, reason: String, origin: RequestOrigin) throws {
        try pool.transaction { c in
            try c.execute(
                """
                INSERT INTO login_failures AS f (email_key, failures, locked_until, last_failure_at)
                VALUES ($1, 1, CASE WHEN $2 <= 1 THEN now() + interval '1 minute' END, now())
                ON CONFLICT (email_key) DO UPDATE SET
                    failures = CASE WHEN f.last_failure_at < now() - interval '1 day' THEN 1 ELSE f.failures + 1 END,
                    locked_until = CASE
                        WHEN f.last_failure_at >= now() - interval '1 day' AND f.failures + 1 >= $2
                        THEN now() + least(interval '1 hour', interval '1 minute' * power(2, f.failures + 1 - $2))
                        ELSE f.locked_until END,
                    last_failure_at = now()
                """, [emailKey, settings.lockoutThreshold])
            try AuditLog.record(.loginFailure, actor: user, origin: origin, detail: ["reason": reason], on: c)
        }
    }
}
