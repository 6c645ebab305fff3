import Foundation
import Postgres
import TestSupport
import Testing

@testable import Jobs

@Suite struct MaintenanceTests {
    @Test func theBuiltInPruneEntryDeletesOnlyOldFinalizedJobs() throws {
        let db = try makeDatabase()
        func insert(_ state: String, finalizedAgo: String?) throws -> Int64 {
            try db.pool.query(
                """
                INSERT INTO jobs (queue, kind, state, finalized_at)
                VALUES ('parked', 'noop', $1, now() - $2::interval) RETURNING id
                """, [state, finalizedAgo]
            ).first?.decode(0, as: Int64.self) ?? -1
        }
        let old = try insert("completed", finalizedAgo: "2 hours")
        let oldDiscarded = try insert("discarded", finalizedAgo: "3 hours")
        let recent = try insert("completed", finalizedAgo: "10 minutes")
        let waiting = try insert("available", finalizedAgo: nil)
        var configuration = fastConfiguration()
        configuration.retention = .seconds(3600)
        configuration.pruneSchedule = "@every 1s"
        let system = makeSystem(db, configuration: configuration)
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        #expect(system.cronEntries.map(\.name).contains(BuiltinKinds.pruneEntry))
        #expect(eventually { (try? db.state(of: old)) == nil })
        #expect(try db.state(of: oldDiscarded) == nil)
        #expect(try db.state(of: recent) == .completed)
        #expect(try db.state(of: waiting) == .available)
        // The prune job itself ran and completed.
        #expect(eventually { ((try? db.count("kind = 'jobs_prune' AND state = 'completed'")) ?? 0) >= 1 })
    }

    @Test func aLateOutcomeForAnOlderAttemptChangesNothing() throws {
        let db = try makeDatabase()
        let id = try #require(
            try db.pool.query(
                """
                INSERT INTO jobs (queue, kind, state, attempt, attempted_at, attempted_by)
                VALUES ('default', 'noop', 'running', 2, now(), 'w') RETURNING id
                """
            ).first?.decode(0, as: Int64.self))
        let stale = Completer(pool: db.pool, logger: testLogger)
        stale.add(FinishedAttempt(id: id, attempt: 1, outcome: .completed))
        stale.add(FinishedAttempt(id: id, attempt: 1, outcome: .failed(error: "old", retryDelay: nil)))
        stale.close()
        #expect(try db.state(of: id) == .running)

        let current = Completer(pool: db.pool, logger: testLogger)
        current.add(FinishedAttempt(id: id, attempt: 2, outcome: .failed(error: "now", retryDelay: .seconds(5))))
        current.close()
        let record = try #require(try JobClient(pool: db.pool).job(id: id))
        #expect(record.state == .retryable)
        #expect(record.errors.map(\.error) == ["now"])
        #expect(current.add(FinishedAttempt(id: id, attempt: 2, outcome: .completed)) == false)
    }

    @Test func theStagerMakesOnlyDueJobsAvailable() throws {
        let db = try makeDatabase()
        try db.pool.execute(
            """
            INSERT INTO jobs (queue, kind, state, scheduled_at) VALUES
                ('a', 'noop', 'scheduled', now() - interval '1 second'),
                ('b', 'noop', 'retryable', now() - interval '1 second'),
                ('a', 'noop', 'scheduled', now() + interval '1 hour')
            """)
        let woken = Locked<Set<String>>([])
        Stager(pool: db.pool, logger: testLogger) { queue in _ = woken.withLock { $0.insert(queue) } }.run()
        #expect(try db.count("state = 'available'") == 2)
        #expect(try db.count("state = 'scheduled'") == 1)
        #expect(woken.withLock { $0 } == ["a", "b"])
    }
}
