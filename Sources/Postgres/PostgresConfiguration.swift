/// How to reach PostgreSQL and how many connections to keep.
///
/// `connection` is anything libpq accepts as a `dbname`: a `postgres://` / `postgresql://` URL or a
/// keyword string (`host=… sslmode=verify-full …`). TLS, passwords, `PGPASSFILE`, service files and
/// every other libpq option therefore work exactly as libpq documents them.
public struct PostgresConfiguration: Sendable {
    public var connection: String
    /// The most connections the pool opens (PostgreSQL's `max_connections` is shared by all replicas).
    public var maxConnections: Int = 10
    /// How long `withConnection` waits for a free connection before `PostgresError.poolTimeout`.
    public var acquireTimeout: Duration = .seconds(5)
    /// libpq `connect_timeout` unless the connection string sets its own.
    public var connectTimeoutSeconds: Int = 5
    /// After a failed connect, fail fast for this long instead of dialling again for every request.
    public var reconnectBackoff: Duration = .milliseconds(250)
    /// Shown in `pg_stat_activity`.
    public var applicationName = "travelsense"
    /// Server-side `statement_timeout` in milliseconds (0 = none).
    public var statementTimeoutMilliseconds = 0
    /// False sets `synchronous_commit = off` for these sessions: a commit returns before its WAL reaches
    /// disk, so a crash of the *server* may forget the last few hundred milliseconds of them (never
    /// corrupt anything). Only for writes that are safe to lose, like the job queue's claims and outcomes.
    public var synchronousCommit = true
    /// Prepared statements kept per connection; statements beyond this run unprepared.
    public var preparedStatementLimit = 256
    /// A label to tell pools apart in metrics.
    public var name = "main"

    public init(connection: String) {
        self.connection = connection
    }

    /// Keyword/value pairs for `PQconnectdbParams`. Our defaults come first and `dbname` (the caller's
    /// string, expanded by libpq) after, so anything the caller's string sets wins. The session always
    /// runs in UTC with ISO dates: the text decoders rely on it.
    var connectParameters: [(String, String)] {
        var options = "-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=iso_8601 -c client_encoding=UTF8"
        if statementTimeoutMilliseconds > 0 { options += " -c statement_timeout=\(statementTimeoutMilliseconds)" }
        if !synchronousCommit { options += " -c synchronous_commit=off" }
        return [
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("application_name", applicationName),
            ("options", options),
            ("keepalives", "1"),
            ("keepalives_idle", "30"),
            ("dbname", connection),
        ]
    }
}
