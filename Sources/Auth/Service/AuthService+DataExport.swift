import Foundation
import Kernel
import Postgres

/// Auth's sections of a user's data export (GDPR access, `AccountDataSources`): the profile, the
/// sessions, the API keys, the audit trail and the sign-in failure counter. Each is one JSON object,
/// `{"version": 1, "<section>": …}`, with the API's conventions (snake_case, RFC 3339 UTC, lower-case
/// ids, an absent key for a timestamp that is not set).
///
/// Never exported: password hashes, the TOTP secret, recovery codes (only how many remain), token and
/// key digests, and other people's addresses (an administrator's IP and user agent on an event about
/// this user).
extension AuthService {
    /// The version every Auth section carries; raised when a section's shape changes incompatibly.
    static let accountDataVersion = 1

    /// Registers Auth's sections on `sources` (at start-up, from `AuthModule`).
    func registerAccountData(_ sources: AccountDataSources) {
        sources.register("account") { user, c in try self.accountSection(user, on: c) }
        sources.register("sessions") { user, c in try self.sessionsSection(user, on: c) }
        sources.register("api_keys") { user, c in try self.apiKeysSection(user, on: c) }
        sources.register("audit_log") { user, c in try self.auditLogSection(user, on: c) }
        sources.register("login_failures") { user, c in try self.loginFailuresSection(user, on: c) }
    }

    // MARK: account

    func accountSection(_ userID: UUID, on c: PostgresConnection) throws -> [UInt8] {
        let account = try UserRecord.find(id: userID, on: c).map { user in
            let remaining = try c.query(
                "SELECT count(*)::int FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", [userID]
            ).first?.decode(0, as: Int.self)
            return ExportedAccount(user, recoveryCodesRemaining: remaining ?? 0)
        }
        let links = try c.query(
            """
            SELECT purpose, email, created_at, expires_at, used_at FROM one_time_tokens
            WHERE user_id = $1 ORDER BY created_at, purpose
            """, [userID]
        ).decode(ExportedEmailLink.self)
        return try JSONBody.encode(
            AccountSection(version: Self.accountDataVersion, account: account, emailLinks: links))
    }

    // MARK: sessions

    func sessionsSection(_ userID: UUID, on c: PostgresConnection) throws -> [UInt8] {
        let tokens = try c.query(
            """
            SELECT family_id, created_at, expires_at, rotated_at, revoked_at, ip, user_agent,
                (rotated_at IS NULL AND revoked_at IS NULL AND expires_at > now()) AS live
            FROM refresh_tokens WHERE user_id = $1 ORDER BY family_id, created_at, id
            """, [userID]
        ).decode(RefreshTokenRow.self)
        // One session per family (one sign-in); each refresh replaced its token with a new row.
        var sessions: [ExportedSession] = []
        for token in tokens {
            if sessions.last?.id != token.familyId.lowercasedString {
                sessions.append(ExportedSession(id: token.familyId.lowercasedString, startedAt: token.createdAt))
            }
            sessions[sessions.count - 1].add(token)
        }
        return try JSONBody.encode(SessionsSection(version: Self.accountDataVersion, sessions: sessions))
    }

    // MARK: api_keys

    func apiKeysSection(_ userID: UUID, on c: PostgresConnection) throws -> [UInt8] {
        let keys = try c.query(
            """
            SELECT id::text, name, prefix, scopes, created_at, last_used_at, expires_at, revoked_at
            FROM api_keys WHERE user_id = $1 ORDER BY id
            """, [userID]
        ).decode(ExportedAPIKey.self)
        return try JSONBody.encode(APIKeysSection(version: Self.accountDataVersion, apiKeys: keys))
    }

    // MARK: audit_log

    /// Events this user caused (actor) or that were about them (target: an administrator's change, a
    /// bootstrap). Where someone else acted, their IP and user agent stay out: those are theirs.
    func auditLogSection(_ userID: UUID, on c: PostgresConnection) throws -> [UInt8] {
        let rows = try c.query(
            """
            SELECT id::text, at, action, actor_id, target_id, ip, user_agent, request_id,
                coalesce((SELECT jsonb_object_agg(key, value) FROM jsonb_each_text(detail)), '{}'::jsonb) AS detail
            FROM audit_log WHERE actor_id = $1 OR target_id = $1 ORDER BY id
            """, [userID]
        ).decode(AuditRow.self)
        let events = rows.map { ExportedAuditEvent($0, user: userID) }
        return try JSONBody.encode(AuditLogSection(version: Self.accountDataVersion, auditLog: events))
    }

    // MARK: login_failures

    /// The failure counter of the account's current address (rows are keyed by a digest of the
    /// address, known account or not; addresses the account had before are not recognisable).
    func loginFailuresSection(_ userID: UUID, on c: PostgresConnection) throws -> [UInt8] {
        var failures: [ExportedLoginFailures] = []
        if let user = try UserRecord.find(id: userID, on: c), user.deletedAt == nil {
            failures = try c.query(
                "SELECT failures, last_failure_at, locked_until FROM login_failures WHERE email_key = $1",
                [try Self.emailKey(user.email)]
            ).decode(ExportedLoginFailures.self)
        }
        return try JSONBody.encode(LoginFailuresSection(version: Self.accountDataVersion, loginFailures: failures))
    }
}

// MARK: - Section documents

struct AccountSection: Encodable {
    var version: Int
    /// Nil only when no such account exists.
    var account: ExportedAccount?
    /// Password-reset and verification links mailed to the account (never the link's token).
    var emailLinks: [ExportedEmailLink]
}

struct SessionsSection: Encodable {
    var version: Int
    var sessions: [ExportedSession]
}

struct APIKeysSection: Encodable {
    var version: Int
    var apiKeys: [ExportedAPIKey]
}

struct AuditLogSection: Encodable {
    var version: Int
    var auditLog: [ExportedAuditEvent]
}

struct LoginFailuresSection: Encodable {
    var version: Int
    var loginFailures: [ExportedLoginFailures]
}

/// The `users` row as its owner may read it: everything but the credentials.
struct ExportedAccount: Encodable {
    var id: String
    var email: String
    var displayName: String
    var role: String
    var emailVerified: Bool
    var emailVerifiedAt: Date?
    var twoFactorEnabled: Bool
    var twoFactorEnabledAt: Date?
    /// Enrolment started (a secret was generated) but never confirmed.
    var twoFactorEnrolmentPending: Bool
    var recoveryCodesRemaining: Int
    /// Access tokens issued before this were revoked (sign-out everywhere, password reset…).
    var accessTokensValidAfter: Date?
    var disabledAt: Date?
    var deletedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    init(_ u: UserRecord, recoveryCodesRemaining: Int) {
        id = u.id.lowercasedString
        email = u.email
        displayName = u.displayName
        role = u.role
        emailVerified = u.emailVerifiedAt != nil
        emailVerifiedAt = u.emailVerifiedAt
        twoFactorEnabled = u.totpEnabledAt != nil
        twoFactorEnabledAt = u.totpEnabledAt
        twoFactorEnrolmentPending = u.totpSecret != nil && u.totpEnabledAt == nil
        self.recoveryCodesRemaining = recoveryCodesRemaining
        accessTokensValidAfter = u.tokensValidAfter
        disabledAt = u.disabledAt
        deletedAt = u.deletedAt
        createdAt = u.createdAt
        updatedAt = u.updatedAt
    }
}

struct ExportedEmailLink: Codable {
    var purpose: String
    /// The address the link was mailed to.
    var email: String
    var createdAt: Date
    var expiresAt: Date
    var usedAt: Date?
}

private struct RefreshTokenRow: Decodable {
    var familyId: UUID
    var createdAt: Date
    var expiresAt: Date
    var rotatedAt: Date?
    var revokedAt: Date?
    var ip: String?
    var userAgent: String?
    var live: Bool
}

/// One sign-in and its refreshes.
struct ExportedSession: Encodable {
    var id: String
    var startedAt: Date
    /// The last refresh (or the sign-in, when never refreshed).
    var lastUsedAt: Date
    var expiresAt: Date
    var revokedAt: Date?
    var active = false
    /// Every refresh token the session had, oldest first, with where it was issued to.
    var tokens: [Token] = []

    struct Token: Encodable {
        var issuedAt: Date
        var expiresAt: Date
        var rotatedAt: Date?
        var revokedAt: Date?
        var ip: String?
        var userAgent: String?
    }

    init(id: String, startedAt: Date) {
        self.id = id
        self.startedAt = startedAt
        lastUsedAt = startedAt
        expiresAt = startedAt
    }

    fileprivate mutating func add(_ t: RefreshTokenRow) {
        tokens.append(
            Token(
                issuedAt: t.createdAt, expiresAt: t.expiresAt, rotatedAt: t.rotatedAt, revokedAt: t.revokedAt, ip: t.ip,
                userAgent: t.userAgent))
        lastUsedAt = max(lastUsedAt, t.createdAt)
        expiresAt = max(expiresAt, t.expiresAt)
        if let r = t.revokedAt { revokedAt = max(revokedAt ?? r, r) }
        active = active || t.live
    }
}

struct ExportedAPIKey: Codable {
    var id: String
    var name: String
    /// The key's first characters, as the API lists them; the key itself is never stored.
    var prefix: String
    var scopes: [String]
    var createdAt: Date
    var lastUsedAt: Date?
    var expiresAt: Date?
    var revokedAt: Date?
}

private struct AuditRow: Decodable {
    var id: String
    var at: Date
    var action: String
    var actorId: UUID?
    var targetId: UUID?
    var ip: String?
    var userAgent: String?
    var requestId: String?
    var detail: [String: String]
}

struct ExportedAuditEvent: Encodable {
    /// Who acted and whom it was about, from this user's point of view.
    enum Party: String, Encodable {
        case you
        /// An administrator (or the command line) acting on this account, or an account this
        /// administrator acted on: not named, it is someone else's data.
        case someoneElse = "someone_else"
        /// No account: the `admin create` command.
        case system
    }

    var id: String
    var at: Date
    var action: String
    var actor: Party
    var subject: Party
    var ip: String?
    var userAgent: String?
    var requestId: String?
    var detail: [String: String]

    fileprivate init(_ row: AuditRow, user: UUID) {
        func party(_ id: UUID?) -> Party { id == user ? .you : id == nil ? .system : .someoneElse }
        id = row.id
        at = row.at
        action = row.action
        actor = party(row.actorId)
        subject = party(row.targetId)
        requestId = row.requestId
        detail = row.detail
        // Where the request came from is the actor's data.
        if actor == .you {
            ip = row.ip
            userAgent = row.userAgent
        }
    }
}

struct ExportedLoginFailures: Codable {
    var failures: Int
    var lastFailureAt: Date
    var lockedUntil: Date?
}

extension UUID {
    /// The API's spelling of an id.
    fileprivate var lowercasedString: String { uuidString.lowercased() }
}
