import Crypto
import Foundation
import HTTP
import Kernel
import Postgres

/// `POST /v1/me/2fa/totp` answer: the secret to type or scan. Shown until confirmed.
public struct TOTPEnrolment: Encodable, Sendable {
    public var secret: String
    public var otpauthUri: String
}

/// `POST /v1/me/2fa/totp/confirm` answer: shown once.
public struct RecoveryCodes: Encodable, Sendable {
    public var recoveryCodes: [String]
}

/// RFC 6238 two-factor authentication: SHA-1, 30 s, 6 digits, ±1 step; a code is accepted once (the
/// accepted step is stored and later steps only are allowed). Secrets are sealed with AES-256-GCM,
/// bound to the user id. Ten recovery codes of 80 random bits replace a lost device, each once.
extension AuthService {
    static let recoveryCodeCount = 10
    static let issuer = "TravelSense"

    /// Starts (or restarts) enrolment: a new pending secret.
    public func beginTOTP(_ principal: Principal) throws -> TOTPEnrolment {
        let secret = try TOTP.generateSecret()
        let sealed = try cipher.seal(secret, context: Self.totpContext(principal.userID))
        let email = try pool.transaction { c -> String in
            guard let user = try UserRecord.find(id: principal.userID, on: c, forUpdate: true), user.isActive else {
                throw AuthProblems.invalidToken()
            }
            guard user.totpEnabledAt == nil else {
                throw HTTPError(.conflict, detail: "Two-factor authentication is already on; turn it off first.")
            }
            try c.execute(
                "UPDATE users SET totp_secret = $2, totp_last_step = 0, updated_at = now() WHERE id = $1",
                [principal.userID, Data(sealed)])
            return user.email
        }
        let encoded = Base32.encode(secret)
        let label =
            "\(Self.issuer):\(email)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? Self.issuer
        return TOTPEnrolment(
            secret: encoded,
            otpauthUri:
                "otpauth://totp/\(label)?secret=\(encoded)&issuer=\(Self.issuer)&algorithm=SHA1&digits=6&period=30")
    }

    /// Confirms enrolment with a current code; returns the recovery codes (replacing any old ones).
    public func confirmTOTP(_ principal: Principal, code: String, origin: RequestOrigin) throws -> RecoveryCodes {
        let codes = try (0..<Self.recoveryCodeCount).map { _ in try Self.newRecoveryCode() }
        try pool.transaction { c in
            guard let user = try UserRecord.find(id: principal.userID, on: c, forUpdate: true), user.isActive else {
                throw AuthProblems.invalidToken()
            }
            guard user.totpEnabledAt == nil else {
                throw HTTPError(.conflict, detail: "Two-factor authentication is already on.")
            }
            guard user.totpSecret != nil else {
                throw HTTPError(.conflict, detail: "Start with POST /v1/me/2fa/totp to get a secret.")
            }
            guard try acceptTOTP(code, user: user, on: c) else {
                throw HTTPError.invalid([.init(field: "code", message: "is wrong or expired")])
            }
            try c.execute("UPDATE users SET totp_enabled_at = now(), updated_at = now() WHERE id = $1", [user.id])
            try c.execute("DELETE FROM recovery_codes WHERE user_id = $1", [user.id])
            for code in codes {
                try c.execute(
                    "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)",
                    [user.id, try Self.recoveryDigest(code, user: user.id)])
            }
            try AuditLog.record(.totpEnabled, actor: user.id, origin: origin, on: c)
        }
        return RecoveryCodes(recoveryCodes: codes)
    }

    /// Turns two-factor off after checking the password.
    public func disableTOTP(_ principal: Principal, password: String, origin: RequestOrigin) throws {
        let user = try activeUser(principal.userID)
        guard try verifyPassword(password, against: user.passwordHash) else { throw Self.wrongPassword }
        try pool.transaction { c in
            try c.execute(
                """
                UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0, updated_at = now()
                WHERE id = $1
                """, [user.id])
            try c.execute("DELETE FROM recovery_codes WHERE user_id = $1", [user.id])
            try AuditLog.record(.totpDisabled, actor: user.id, origin: origin, on: c)
        }
    }

    /// A login's second factor: a 6-digit code or a recovery code, each usable once.
    func consumeSecondFactor(_ code: String, user: UserRecord) throws -> Bool {
        if code.count == 6, code.allSatisfy(\.isASCII) {
            return try pool.withConnection { try acceptTOTP(code, user: user, on: $0) }
        }
        let normalized = code.uppercased().filter { $0 != "-" && $0 != " " }
        guard normalized.count == 16 else { return false }
        let used = try pool.execute(
            "UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
            [user.id, try Self.recoveryDigest(normalized, user: user.id)])
        return used == 1
    }

    /// Checks `code` against the user's secret and records its step atomically, so two requests racing
    /// with one code cannot both pass.
    func acceptTOTP(_ code: String, user: UserRecord, on c: PostgresConnection) throws -> Bool {
        guard let sealed = user.totpSecret else { return false }
        let secret = try cipher.open([UInt8](sealed), context: Self.totpContext(user.id))
        guard let step = TOTP().verify(code: code, secret: secret, at: Date(), window: 1, after: user.totpLastStep)
        else { return false }
        let updated = try c.execute(
            "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2", [user.id, step])
        return updated == 1
    }

    static func totpContext(_ user: UUID) -> [UInt8] {
        Array("users.totp_secret:\(user.uuidString.lowercased())".utf8)
    }

    /// `XXXX-XXXX-XXXX-XXXX`, base32: 80 random bits, easy to read aloud and type.
    static func newRecoveryCode() throws -> String {
        let text = Base32.encode(try SecureRandom.bytes(10))
        var out = ""
        for (i, ch) in text.enumerated() {
            if i > 0, i % 4 == 0 { out.append("-") }
            out.append(ch)
        }
        return out
    }

    /// Digest of a recovery code, salted with the user id. 80 bits of entropy make a fast hash enough.
    static func recoveryDigest(_ code: String, user: UUID) throws -> Data {
        let normalized = code.uppercased().filter { $0 != "-" && $0 != " " }
        return Data(try SHA256.hash(Array("recovery:\(user.uuidString.lowercased()):\(normalized)".utf8)))
    }
}
