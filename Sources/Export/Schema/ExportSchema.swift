import Postgres

/// The Export module's tables.
/// - `calendar_feeds`: secret subscription URLs. Only the token's SHA-256 is stored; rotating replaces
///   it (the old URL stops at once), revoking sets `revoked_at`. A feed belongs to a user and optionally
///   one trip; it goes with either.
public enum ExportSchema {
    public static let migrations: [Migration] = [
        Migration(
            id: "export_0001_calendar_feeds",
            sql: """
                CREATE TABLE calendar_feeds (
                    id uuid PRIMARY KEY,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    trip_id uuid REFERENCES trips (id) ON DELETE CASCADE,
                    token_hash bytea NOT NULL UNIQUE,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    rotated_at timestamptz,
                    revoked_at timestamptz
                );
                CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id, id DESC);
                """)
    ]
}
