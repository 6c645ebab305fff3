import Foundation
import Postgres

/// What another module may know about an account: enough to show a member list or send an invite.
public struct AccountProfile: Sendable, Equatable {
    public let id: UUID
    public let email: String
    public let displayName: String
    /// False once the account is disabled or deleted.
    public let active: Bool
}

/// The account directory other modules read through (DESIGN §1: never Auth's tables directly).
extension AuthService {
    /// Trimmed and lower-cased, or nil when `text` is not an e-mail address Auth would accept.
    public static func normalizeEmail(_ text: String) -> String? {
        EmailAddress.normalize(text)
    }

    /// The active account registered with `email` (already normalised), if any.
    public func account(email: String) throws -> AccountProfile? {
        try pool.query(
            """
            SELECT id, email, display_name, (disabled_at IS NULL AND deleted_at IS NULL) AS active FROM users
            WHERE lower(email) = $1 AND deleted_at IS NULL AND disabled_at IS NULL
            """, [email]
        ).decode(ProfileRow.self).first.map(\.profile)
    }

    /// Profiles of `ids` in one query; unknown ids are absent from the answer.
    public func profiles(_ ids: [UUID]) throws -> [UUID: AccountProfile] {
        guard !ids.isEmpty else { return [:] }
        return try pool.withConnection { try profiles(ids, on: $0) }
    }

    /// `profiles(_:)` on the caller's connection: inside its transaction (one snapshot), and without
    /// taking a second connection from the pool while holding one.
    public func profiles(_ ids: [UUID], on connection: PostgresConnection) throws -> [UUID: AccountProfile] {
        guard !ids.isEmpty else { return [:] }
        let rows = try connection.query(
            """
            SELECT id, email, display_name, (disabled_at IS NULL AND deleted_at IS NULL) AS active FROM users
            WHERE id = ANY($1::uuid[])
            """, [ids]
        ).decode(ProfileRow.self)
        return Dictionary(rows.map { ($0.id, $0.profile) }, uniquingKeysWith: { a, _ in a })
    }
}

private struct ProfileRow: Decodable {
    var id: UUID
    var email: String
    var displayName: String
    var active: Bool

    var profile: AccountProfile { AccountProfile(id: id, email: email, displayName: displayName, active: active) }
}
