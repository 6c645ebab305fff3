import Foundation
import Kernel
import Postgres

/// A `users` row as Auth reads it. Never encoded to a client: `UserView` is what leaves the server.
struct UserRecord: Decodable, Sendable {
    var id: UUID
    var email: String
    var displayName: String
    var passwordHash: String?
    var role: String
    var emailVerifiedAt: Date?
    var disabledAt: Date?
    var deletedAt: Date?
    var tokensValidAfter: Date?
    var totpSecret: Data?
    var totpEnabledAt: Date?
    var totpLastStep: Int64
    var createdAt: Date
    var updatedAt: Date

    static let columns = """
        id, email, display_name, password_hash, role, email_verified_at, disabled_at, deleted_at,
        CASE WHEN tokens_valid_after = '-infinity' THEN NULL ELSE tokens_valid_after END AS tokens_valid_after,
        totp_secret, totp_enabled_at, totp_last_step, created_at, updated_at
        """

    var globalRole: GlobalRole { GlobalRole(rawValue: role) ?? .user }
    var isActive: Bool { disabledAt == nil && deletedAt == nil }

    static func find(id: UUID, on connection: PostgresConnection, forUpdate: Bool = false) throws -> UserRecord? {
        try connection.query(
            "SELECT \(columns) FROM users WHERE id = $1\(forUpdate ? " FOR UPDATE" : "")", [id]
        ).decode(UserRecord.self).first
    }

    static func find(email: String, on connection: PostgresConnection) throws -> UserRecord? {
        try connection.query("SELECT \(columns) FROM users WHERE lower(email) = $1", [email])
            .decode(UserRecord.self).first
    }
}

/// A user as the API shows them to themselves.
public struct UserView: Codable, Sendable, Equatable {
    /// Lower-case, as every id in the API.
    public var id: String
    public var email: String
    public var displayName: String
    public var role: GlobalRole
    public var emailVerified: Bool
    public var twoFactorEnabled: Bool
    public var createdAt: Date

    init(_ u: UserRecord) {
        id = u.id.uuidString.lowercased()
        email = u.email
        displayName = u.displayName
        role = u.globalRole
        emailVerified = u.emailVerifiedAt != nil
        twoFactorEnabled = u.totpEnabledAt != nil
        createdAt = u.createdAt
    }
}

/// A user as administrators see them.
public struct AdminUserView: Codable, Sendable, Equatable {
    public var id: String
    public var email: String
    public var displayName: String
    public var role: GlobalRole
    public var emailVerified: Bool
    public var twoFactorEnabled: Bool
    public var disabled: Bool
    public var deleted: Bool
    public var createdAt: Date

    init(_ u: UserRecord) {
        id = u.id.uuidString.lowercased()
        email = u.email
        displayName = u.displayName
        role = u.globalRole
        emailVerified = u.emailVerifiedAt != nil
        twoFactorEnabled = u.totpEnabledAt != nil
        disabled = u.disabledAt != nil
        deleted = u.deletedAt != nil
        createdAt = u.createdAt
    }
}
