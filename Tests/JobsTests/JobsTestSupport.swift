import Foundation
import Logging
import Postgres
import TestSupport

@testable import Jobs

/// Fast settings for tests: short intervals so state changes show up within a second or two.
func fastConfiguration(
    queues: [String: Int] = ["default": 4], pollInterval: Duration = .milliseconds(200),
    retryPolicy: RetryPolicy = .constant(.milliseconds(50))
) -> JobConfiguration {
    JobConfiguration(
        queues: queues, pollInterval: pollInterval, stageInterval: .milliseconds(100),
        rescueInterval: .milliseconds(200), heartbeatInterval: .milliseconds(500), workerDeadAfter: .seconds(2),
        rescueAfter: .seconds(120), defaultTimeout: .seconds(10), leaderLease: .seconds(3),
        depthSampleInterval: .milliseconds(500), pruneSchedule: nil, retryPolicy: retryPolicy)
}

/// Quiet by default; `JOBS_TEST_LOG=debug` shows the job system's logs.
let testLogger: Logger = {
    var logger = Logger(label: "jobs-test")
    let level = ProcessInfo.processInfo.environment["JOBS_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) }
    logger.logLevel = level ?? .critical
    return logger
}()

func makeDatabase() throws -> TestDatabase {
    try TestDatabase.create(migrations: JobSchema.migrations)
}

func makeSystem(
    _ db: TestDatabase, configuration: JobConfiguration = fastConfiguration(), listen: Bool = true
) -> JobSystem {
    JobSystem(
        pool: db.pool, listenerConfiguration: listen ? PostgresConfiguration(connection: db.url) : nil,
        logger: testLogger, configuration: configuration)
}

extension TestDatabase {
    func state(of id: Int64) throws -> JobState? {
        try JobClient(pool: pool).job(id: id)?.state
    }

    func count(_ whereClause: String = "true") throws -> Int {
        try pool.query("SELECT count(*) FROM jobs WHERE \(whereClause)").first?.decode(0, as: Int.self) ?? -1
    }
}

struct TestArgs: Codable, Sendable, Equatable {
    var tripId: String
    var count: Int
    var when: Date
    var tags: [String]
}
