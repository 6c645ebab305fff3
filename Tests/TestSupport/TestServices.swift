import Foundation

/// The PostgreSQL and Redis every test in this process shares: `TEST_DATABASE_URL` / `TEST_REDIS_URL`
/// when set, otherwise servers started once per process by `DevServices` (wired in a later step).
public enum TestServices {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// A `redis://` URL of a server the tests may use freely (use your own key prefix per test).
    public static func redisURL() throws -> String {
        if let url = ProcessInfo.processInfo.environment["TEST_REDIS_URL"], !url.isEmpty { return url }
        throw Unavailable(description: "TEST_REDIS_URL is not set")
    }

    /// A `postgres://` URL of a server on which the tests may create databases.
    public static func postgresURL() throws -> String {
        if let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty { return url }
        throw Unavailable(description: "TEST_DATABASE_URL is not set")
    }
}
