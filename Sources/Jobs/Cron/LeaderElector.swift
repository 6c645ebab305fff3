import Logging
import Postgres
import Synchronization

/// Elects one leader among the processes sharing a database with a lease row in `job_leader`: a
/// process takes the lease when it is free or expired, keeps it by renewing before it expires, and
/// gives it up on a clean stop. The database's clock decides expiry, so replicas' clocks need not agree.
///
/// Locally, leadership is trusted only until `lease − leaderSafetyMargin` after the renewing statement
/// was *sent*: a process cut off from the database stops acting as leader before another can take over.
final class LeaderElector: Sendable {
    static let safetyMarginFraction = 0.2

    let name: String
    let holder: String
    private let pool: PostgresPool
    private let lease: Duration
    private let logger: Logger
    /// Until when this process may act as leader (nil: it may not).
    private let until = Mutex<ContinuousClock.Instant?>(nil)

    init(pool: PostgresPool, name: String, holder: String, lease: Duration, logger: Logger) {
        self.pool = pool
        self.name = name
        self.holder = holder
        self.lease = lease
        self.logger = logger
    }

    var isLeader: Bool {
        guard let until = until.withLock({ $0 }) else { return false }
        return ContinuousClock.now < until
    }

    static let acquireSQL = """
        INSERT INTO job_leader (name, holder, elected_at, expires_at)
        VALUES ($1, $2, now(), now() + $3::float8 * interval '1 second')
        ON CONFLICT (name) DO UPDATE SET
            holder = excluded.holder,
            expires_at = excluded.expires_at,
            elected_at = CASE WHEN job_leader.holder = excluded.holder THEN job_leader.elected_at ELSE now() END
        WHERE job_leader.holder = excluded.holder OR job_leader.expires_at < now()
        RETURNING holder
        """

    /// Takes or renews the lease; returns whether this process leads. On a database error leadership
    /// lasts until the local deadline of the last successful renewal.
    @discardableResult
    func renew() -> Bool {
        let sent = ContinuousClock.now
        let wasLeader = isLeader
        do {
            let won = try pool.query(Self.acquireSQL, [name, holder, lease.jobSeconds]).count == 1
            let trusted = lease - lease * Self.safetyMarginFraction
            until.withLock { $0 = won ? sent + trusted : nil }
            if won != wasLeader {
                logger.info(
                    won ? "became the job leader" : "lost the job leadership",
                    metadata: ["holder": "\(holder)", "lease": "\(name)"])
            }
            return won
        } catch {
            logger.error("cannot renew the job leader lease", metadata: ["error": "\(error)"])
            return isLeader
        }
    }

    /// Gives the lease up so another process takes over at once.
    func resign() {
        let was = until.withLock { u -> Bool in
            defer { u = nil }
            return u != nil
        }
        guard was else { return }
        do {
            try pool.execute("DELETE FROM job_leader WHERE name = $1 AND holder = $2", [name, holder])
        } catch {
            logger.warning("cannot release the job leader lease", metadata: ["error": "\(error)"])
        }
    }
}
