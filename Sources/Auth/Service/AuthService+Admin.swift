import Crypto
import Foundation
import HTTP
import Kernel
import Postgres

public struct AdminUpdateUserRequest: Decodable, Sendable {
    public var role: GlobalRole?
    public var disabled: Bool?
}

public struct AuditEntry: Codable, Sendable {
    public var id: String
    public var at: Date
    public var action: String
    public var actorId: String?
    public var targetId: String?
    public var ip: String?
    public var userAgent: String?
    public var requestId: String?
    public var detail: [String: String]
}

extension AuthService {
    /// Users whose e-mail or name contains `q`, oldest first (ids are time-ordered).
    public func adminListUsers(query: String?, page: PageRequest) throws -> Page<AdminUserView> {
        var binds: [any PostgresEncodable] = [page.limit + 1]
        var conditions: [String] = []
        if let q = query?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            // LIKE wildcards in the query are literal.
            let escaped = q.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            binds.append("%\(escaped)%")
            conditions.append("(lower(email) LIKE $\(binds.count) OR lower(display_name) LIKE $\(binds.count))")
        }
        if let cursor = page.after?.first {
            guard let id = UUID(uuidString: cursor) else {
                throw HTTPError.invalid([.init(field: "cursor", message: "is invalid")])
            }
            binds.append(id)
            conditions.append("id > $\(binds.count)")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let users = try pool.query(
            "SELECT \(UserRecord.columns) FROM users \(filter) ORDER BY id LIMIT $1", binds
        ).decode(UserRecord.self)
        return Page(rows: users.map(AdminUserView.init), limit: page.limit) { [$0.id] }
    }

    /// Changes a user's role or disables/enables them. Either change ends the user's access tokens at
    /// once (a demoted admin must not keep admin tokens); disabling also ends their sessions.
    public func adminUpdateUser(
        _ admin: Principal, id: UUID, _ body: AdminUpdateUserRequest, origin: RequestOrigin
    ) throws -> AdminUserView {
        guard body.role != nil || body.disabled != nil else {
            throw HTTPError.invalid([.init(field: "body", message: "must set role or disabled")])
        }
        if id == admin.userID {
            throw HTTPError(
                .unprocessableContent, detail: "Administrators cannot change their own role or disable themselves.")
        }
        let (view, validAfter): (AdminUserView, Int64?) = try pool.transaction { c in
            guard var user = try UserRecord.find(id: id, on: c, forUpdate: true), user.deletedAt == nil else {
                throw HTTPError(.notFound, detail: "No such user.")
            }
            var revoke = false
            if let role = body.role, role != user.globalRole {
                try c.execute("UPDATE users SET role = $2, updated_at = now() WHERE id = $1", [id, role.rawValue])
                try AuditLog.record(
                    .roleChange, actor: admin.userID, target: id, origin: origin,
                    detail: ["from": user.role, "to": role.rawValue], on: c)
                user.role = role.rawValue
                revoke = true
            }
            if let disabled = body.disabled, disabled != (user.disabledAt != nil) {
                try c.execute(
                    "UPDATE users SET disabled_at = CASE WHEN $2 THEN now() END, updated_at = now() WHERE id = $1",
                    [id, disabled])
                if disabled { try revokeSessions(of: id, except: nil, on: c) }
                try AuditLog.record(
                    disabled ? .userDisabled : .userEnabled, actor: admin.userID, target: id, origin: origin, on: c)
                user.disabledAt = disabled ? Date() : nil
                revoke = revoke || disabled
            }
            return (AdminUserView(user), revoke ? try invalidateAccessTokens(of: id, on: c) : nil)
        }
        if let validAfter { publishRevocation(of: id, validAfterMilliseconds: validAfter) }
        return view
    }

    /// The audit log, newest first, filtered by actor and/or action.
    public func adminAuditLog(actor: UUID?, action: String?, page: PageRequest) throws -> Page<AuditEntry> {
        var binds: [any PostgresEncodable] = [page.limit + 1]
        var conditions: [String] = []
        if let actor {
            binds.append(actor)
            conditions.append("actor_id = $\(binds.count)")
        }
        if let action {
            binds.append(action)
            conditions.append("action = $\(binds.count)")
        }
        if let cursor = page.after?.first {
            guard let id = UUID(uuidString: cursor) else {
                throw HTTPError.invalid([.init(field: "cursor", message: "is invalid")])
            }
            binds.append(id)
            conditions.append("id < $\(binds.count)")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try pool.query(
            """
            SELECT id::text, at, action, actor_id::text, target_id::text, ip, user_agent, request_id, detail
            FROM audit_log
            \(filter) ORDER BY id DESC LIMIT $1
            """, binds
        ).decode(AuditEntry.self)
        return Page(rows: rows, limit: page.limit) { [$0.id] }
    }
}

/// `travelsense admin create`: needs only the database (no signing keys), so the first administrator
/// can be made before anything else is configured.
public struct AdminBootstrap: Sendable {
    let pool: PostgresPool
    let hasher: PasswordHasher

    public init(pool: PostgresPool, scryptLogN: Int = AuthSettings().scryptLogN) throws {
        self.pool = pool
        hasher = PasswordHasher(
            policy: .scrypt(
                try ScryptParameters(logN: scryptLogN, r: ScryptParameters.default.r, p: ScryptParameters.default.p)))
    }

    /// `travelsense admin create`: makes the account an admin, creating it when it does not exist
    /// (then with `password`). Returns whether the account was created.
    public func create(email rawEmail: String, password: String?, displayName: String?) throws -> Bool {
        guard let email = EmailAddress.normalize(rawEmail) else {
            throw HTTPError.invalid([.init(field: "email", message: "must be a valid e-mail address")])
        }
        let hash: String?
        if let password {
            if let problem = PasswordPolicy.problem(with: password) {
                throw HTTPError.invalid([.init(field: "password", message: problem)])
            }
            hash = try hasher.hash(password)
        } else {
            hash = nil
        }
        return try pool.transaction { c in
            let origin = RequestOrigin(userAgent: "travelsense admin create")
            if let user = try UserRecord.find(email: email, on: c) {
                guard user.deletedAt == nil else { throw HTTPError(.conflict, detail: "That account was deleted.") }
                try c.execute(
                    "UPDATE users SET role = 'admin', disabled_at = NULL, updated_at = now() WHERE id = $1", [user.id])
                try AuditLog.record(.adminCreated, actor: nil, target: user.id, origin: origin, on: c)
                return false
            }
            guard let hash else {
                throw HTTPError.invalid([.init(field: "password", message: "is required to create a new account")])
            }
            let id = UUIDv7.make()
            try c.execute(
                """
                INSERT INTO users (id, email, display_name, password_hash, role, email_verified_at)
                VALUES ($1, $2, $3, $4, 'admin', now())
                """, [id, email, DisplayName.normalize(displayName ?? "") ?? "Administrator", hash])
            try AuditLog.record(.adminCreated, actor: nil, target: id, origin: origin, on: c)
            return true
        }
    }
}
