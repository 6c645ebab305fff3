import Foundation
import Kernel
import Postgres

/// Export's section of a user's data export: their calendar feeds (never the token: only its hash is
/// stored) and their stored exports.
enum ExportAccountData {
    struct Section: Encodable {
        var version = 1
        var calendarFeeds: [Feed]
        var exports: [Export]
    }

    struct Feed: Decodable, Encodable {
        var id: String
        var tripId: String?
        var createdAt: Date
        var rotatedAt: Date?
        var revokedAt: Date?
    }

    struct Export: Decodable, Encodable {
        var id: String
        var tripId: String?
        var format: String
        var status: String
        var filename: String
        var size: Int64?
        var sha256: String?
        var createdAt: Date
        var expiresAt: Date
    }

    static func section(_ userID: UUID, on c: PostgresConnection) throws -> [UInt8] {
        let feeds = try c.query(
            """
            SELECT id::text AS id, trip_id::text AS trip_id, created_at, rotated_at, revoked_at FROM calendar_feeds
            WHERE user_id = $1 ORDER BY id
            """, [userID]
        ).decode(Feed.self)
        let exports = try c.query(
            """
            SELECT id::text AS id, trip_id::text AS trip_id, format, status, filename, size, sha256, created_at,
                expires_at
            FROM exports WHERE user_id = $1 ORDER BY id
            """, [userID]
        ).decode(Export.self)
        return try JSONBody.encode(Section(calendarFeeds: feeds, exports: exports))
    }
}
