import DevServices
import Foundation
import Synchronization

/// The PostgreSQL and Redis every test in this process shares: `TEST_DATABASE_URL` / `TEST_REDIS_URL`
/// when set, otherwise servers started once per process by `DevServices` and stopped when it exits.
///
/// The servers' data lives next to the test bundle (`<build dir>/test-services`), so the next run
/// reuses the cluster and its migrated templates instead of running initdb again; PostgreSQL runs
/// non-durably (fsync off) since nothing there needs to survive a crash.
public enum TestServices {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Servers started by this process, kept alive for its lifetime (their lifelines close on exit).
    private static let started = Mutex<(postgres: PostgresServer?, redis: RedisServer?)>((nil, nil))

    /// A `redis://` URL of a server the tests may use freely (use your own key prefix per test).
    public static func redisURL() throws -> String {
        if let url = ProcessInfo.processInfo.environment["TEST_REDIS_URL"], !url.isEmpty { return url }
        return try started.withLock { s in
            if let redis = s.redis { return redis.url }
            let redis = try RedisServer.start(directory: directory + "/redis")
            s.redis = redis
            return redis.url
        }
    }

    /// A `postgres://` URL (superuser) of a server on which the tests may create databases.
    public static func postgresURL() throws -> String {
        if let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty { return url }
        return try started.withLock { s in
            if let postgres = s.postgres { return postgres.url }
            let postgres: PostgresServer
            do {
                postgres = try PostgresServer.start(
                    directory: directory + "/postgres", options: PostgresOptions(durable: false))
            } catch DevServicesError.directoryNotAccessible {
                // Run as root in a checkout the postgres user cannot traverse (under /root): use /tmp.
                postgres = try PostgresServer.start(
                    directory: NSTemporaryDirectory() + "travelsense-test-services-\(getuid())/postgres",
                    options: PostgresOptions(durable: false))
            }
            s.postgres = postgres
            try Templates.shared.dropLeftoverTestDatabases(server: postgres.url)
            return postgres.url
        }
    }

    /// `<directory of the test bundle>/test-services`: per build directory, so two checkouts (or two
    /// scratch paths) never share a cluster.
    static let directory: String = {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? NSTemporaryDirectory()
        var dir = (exe as NSString).deletingLastPathComponent
        // Inside an .xctest bundle directory on some layouts: step out of it.
        while dir.hasSuffix(".xctest") || dir.contains(".xctest/") { dir = (dir as NSString).deletingLastPathComponent }
        return dir + "/test-services"
    }()
}
