import Postgres
import Redis
import Synchronization

/// The readiness checks of the data layer (DESIGN §8): PostgreSQL must answer and have this release's
/// migrations applied (critical); Redis is reported but never makes the replica unready, because it
/// is only a cache.
public enum DependencyChecks {
    /// Probes run on a pool of their own, so a saturated request pool cannot fail the probe and a dead
    /// database fails it at once (connection refused) rather than after the acquire timeout.
    public static func postgres(
        _ configuration: PostgresConfiguration, migrations: [Migration]
    ) -> @Sendable () -> ReadinessCheck {
        var probe = configuration
        probe.name = "readiness"
        probe.maxConnections = 1
        probe.acquireTimeout = .seconds(1)
        probe.connectTimeoutSeconds = 2  // libpq's minimum
        probe.reconnectBackoff = .zero
        probe.statementTimeoutMilliseconds = 1_000
        let pool = PostgresPool(configuration: probe)
        // Once this release's migrations are seen applied they stay applied; skip the query afterwards.
        let migrated = Atomic(false)
        return {
            do {
                try pool.query("SELECT 1")
                if !migrated.load(ordering: .relaxed) {
                    guard try Migrator(pool: pool).isUpToDate(migrations) else {
                        return .failed("migrations pending: run `travelsense migrate`")
                    }
                    migrated.store(true, ordering: .relaxed)
                }
                return .ok
            } catch let error as PostgresError where error.isUnavailable {
                return .failed("unreachable")
            } catch {
                return .failed("error")
            }
        }
    }

    public static func redis(_ pool: RedisPool) -> @Sendable () -> ReadinessCheck {
        {
            do {
                try pool.ping()
                return .ok
            } catch {
                return .failed("unreachable")
            }
        }
    }
}
