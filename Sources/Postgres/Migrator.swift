/// Applies `Migration`s once each, in order, recorded in `schema_migrations` with a checksum.
///
/// Replicas that start together serialise on a session advisory lock, so exactly one applies a
/// migration and the others then see it recorded. Each migration runs in its own transaction with its
/// bookkeeping row: it is applied completely or not at all.
public struct Migrator: Sendable {
    /// The advisory-lock key (any constant unique to this application; "TRVLSNSE" in ASCII).
    static let lockKey: Int64 = 0x5452_564C_534E_5345

    public enum State: String, Sendable {
        /// Recorded with the same checksum.
        case applied
        /// Not yet applied.
        case pending
        /// Recorded, but its SQL has changed since: refuse to run on a schema we don't know.
        case modified
        /// Recorded in the database but unknown to this binary (a newer release ran here).
        case unknown
    }

    public struct Status: Sendable, Equatable {
        public var id: String
        public var state: State
        public var appliedAt: String?
    }

    public enum Failure: Error, CustomStringConvertible {
        case modified([String])
        case duplicateID(String)

        public var description: String {
            switch self {
            case .modified(let ids):
                return
                    "migrations changed after being applied: \(ids.joined(separator: ", ")); add a new migration instead"
            case .duplicateID(let id): return "migration id \(id) appears twice"
            }
        }
    }

    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Applies every pending migration and returns their ids. Throws `Failure.modified` (before
    /// applying anything) if an applied migration's SQL has changed.
    @discardableResult
    public func apply(_ migrations: [Migration]) throws -> [String] {
        try Self.checkUnique(migrations)
        return try pool.withConnection { conn in
            try Self.ensureTable(conn)
            try conn.query("SELECT pg_advisory_lock($1)", [Self.lockKey])
            defer { _ = try? conn.query("SELECT pg_advisory_unlock($1)", [Self.lockKey]) }
            let recorded = try Self.recorded(conn)
            let modified = migrations.filter {
                recorded[$0.id].map { $0.checksum } ?? Self.checksum($0) != Self.checksum($0)
            }
            guard modified.isEmpty else { throw Failure.modified(modified.map(\.id)) }
            var applied = [String]()
            for migration in migrations where recorded[migration.id] == nil {
                try conn.transaction { tx in
                    try tx.simpleQuery(migration.sql)
                    try tx.query(
                        "INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)",
                        [migration.id, Self.checksum(migration)])
                }
                applied.append(migration.id)
            }
            return applied
        }
    }

    /// Every migration's state, in order, then any recorded ids this binary does not know.
    public func status(_ migrations: [Migration]) throws -> [Status] {
        try pool.withConnection { conn in
            try Self.ensureTable(conn)
            let recorded = try Self.recorded(conn)
            var out = migrations.map { m -> Status in
                guard let row = recorded[m.id] else { return Status(id: m.id, state: .pending) }
                return Status(
                    id: m.id, state: row.checksum == Self.checksum(m) ? .applied : .modified, appliedAt: row.appliedAt)
            }
            let known = Set(migrations.map(\.id))
            for (id, row) in recorded.sorted(by: { $0.value.appliedAt < $1.value.appliedAt }) where !known.contains(id)
            {
                out.append(Status(id: id, state: .unknown, appliedAt: row.appliedAt))
            }
            return out
        }
    }

    /// True when every migration is applied unchanged (readiness: this replica's schema is in place).
    public func isUpToDate(_ migrations: [Migration]) throws -> Bool {
        try status(migrations).allSatisfy { $0.state == .applied || $0.state == .unknown }
    }

    private static func ensureTable(_ conn: PostgresConnection) throws {
        try conn.simpleQuery(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id text PRIMARY KEY,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    private static func recorded(_ conn: PostgresConnection) throws -> [String: (checksum: String, appliedAt: String)] {
        var out = [String: (checksum: String, appliedAt: String)]()
        for row in try conn.query(
            "SELECT id, checksum, to_char(applied_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM schema_migrations")
        {
            out[try row.decode(0, as: String.self)] = (try row.decode(1), try row.decode(2))
        }
        return out
    }

    private static func checkUnique(_ migrations: [Migration]) throws {
        var seen = Set<String>()
        for m in migrations where !seen.insert(m.id).inserted { throw Failure.duplicateID(m.id) }
    }

    /// FNV-1a (64-bit) of the SQL text: detects an edited migration; not a security boundary.
    static func checksum(_ migration: Migration) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in migration.sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
