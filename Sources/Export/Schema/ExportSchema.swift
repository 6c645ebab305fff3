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
                """),
        Migration(
            id: "export_0002_exports",
            sql: """
                CREATE TABLE exports (
                    id uuid PRIMARY KEY,
                    -- Not a foreign key: on account deletion the rows must outlive the user until the
                    -- cleanup job has deleted their objects (see ExportService.expireAccount).
                    user_id uuid NOT NULL,
                    trip_id uuid,
                    format text NOT NULL,
                    status text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'running', 'ready', 'failed')),
                    filename text NOT NULL,
                    object_key text,
                    size bigint,
                    sha256 text,
                    error text,
                    job_id bigint,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    finished_at timestamptz,
                    expires_at timestamptz NOT NULL
                );
                CREATE INDEX exports_user ON exports (user_id, id DESC);
                CREATE INDEX exports_expiry ON exports (expires_at);
                """),
    ]
}
