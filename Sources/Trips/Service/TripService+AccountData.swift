import Foundation
import Kernel
import Postgres

/// Trips' section of a user's data export (GDPR access, `AccountDataSources`): which trips the user
/// belongs to, the invitations to and from them, and the share links they made. What is inside the
/// trips (items, expenses, checklists) the exporter writes through `TripService` itself.
///
/// One JSON object, `{"version": 1, "memberships": […], …}`, with the API's conventions. Share links
/// appear without their token (only its digest is stored). Soft-deleted trips are included, with
/// `trip_deleted_at`, since they are still stored until purged.
extension TripService {
    static let accountDataVersion = 1

    func accountDataSection(_ userID: UUID, on c: PostgresConnection) throws -> [UInt8] {
        let memberships = try c.query(
            """
            SELECT t.id::text AS trip_id, t.title, m.role, m.created_at AS joined_at, t.deleted_at AS trip_deleted_at
            FROM trip_members m JOIN trips t ON t.id = m.trip_id
            WHERE m.user_id = $1 ORDER BY m.created_at, t.id
            """, [userID]
        ).decode(ExportedMembership.self)
        // Invitations wait under an address, not an account: those to the account's current address.
        var received: [ExportedInvitation] = []
        if let email = try accounts.profiles([userID], on: c)[userID]?.email {
            received = try c.query(
                """
                SELECT t.id::text AS trip_id, t.title, i.role, i.created_at AS invited_at
                FROM trip_invites i JOIN trips t ON t.id = i.trip_id
                WHERE i.email = lower($1) ORDER BY i.created_at, t.id
                """, [email]
            ).decode(ExportedInvitation.self)
        }
        let sent = try c.query(
            """
            SELECT t.id::text AS trip_id, t.title, i.email, i.role, i.created_at AS invited_at
            FROM trip_invites i JOIN trips t ON t.id = i.trip_id
            WHERE i.invited_by = $1 ORDER BY i.created_at, t.id, i.email
            """, [userID]
        ).decode(ExportedInvitation.self)
        let links = try c.query(
            """
            SELECT s.id::text, t.id::text AS trip_id, t.title, s.sections, s.created_at, s.expires_at, s.revoked_at
            FROM trip_share_links s JOIN trips t ON t.id = s.trip_id
            WHERE s.created_by = $1 ORDER BY s.id
            """, [userID]
        ).decode(ExportedShareLink.self)
        return try JSONBody.encode(
            TripsAccountSection(
                version: Self.accountDataVersion, memberships: memberships, invitationsReceived: received,
                invitationsSent: sent, shareLinks: links))
    }
}

struct TripsAccountSection: Encodable {
    var version: Int
    var memberships: [ExportedMembership]
    /// Pending invitations to the account's address (they become memberships at registration).
    var invitationsReceived: [ExportedInvitation]
    /// Pending invitations this user sent to addresses without an account.
    var invitationsSent: [ExportedInvitation]
    var shareLinks: [ExportedShareLink]
}

struct ExportedMembership: Codable {
    var tripId: String
    var title: String
    var role: String
    var joinedAt: Date
    var tripDeletedAt: Date?
}

struct ExportedInvitation: Codable {
    var tripId: String
    var title: String
    /// The invited address; only on invitations this user sent.
    var email: String?
    var role: String
    var invitedAt: Date
}

struct ExportedShareLink: Codable {
    var id: String
    var tripId: String
    var title: String
    var sections: [String]
    var createdAt: Date
    var expiresAt: Date?
    var revokedAt: Date?
}
