import Foundation
import Postgres
import TestSupport
import Testing

@testable import Jobs

@Suite struct TimeoutAndRescueTests {
    @Test func anAttemptPastItsTimeoutIsRecordedAndRetried() throws {
        let db = try makeDatabase()
        let system = makeSystem(db, configuration: fastConfiguration(retryPolicy: .constant(.seconds(60))))
        let sawCancellation = Locked(false)
        system.register(kind: "slow", timeout: .milliseconds(300)) { job in
            // Cooperative: checks between steps and gives up once the attempt no longer counts.
            let until = Date().addingTimeInterval(5)
            while Date() < until && !job.isCancelled { usleep(10_000) }
            sawCancellation.withLock { $0 = job.isCancelled }
        }
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        let started = Date()
        let id = try #require(try system.client.enqueue("slow").id)
        #expect(eventually { (try? db.state(of: id)) == .retryable })
        #expect(Date().timeIntervalSince(started) < 4)
        let record = try #require(try system.client.job(id: id))
        #expect(record.errors.first?.error.hasPrefix("timed out after") == true)
        #expect(eventually { sawCancellation.withLock { $0 } })
        // The handler's late return does not overwrite the recorded timeout.
        usleep(200_000)
        #expect(try db.state(of: id) == .retryable)
    }

    @Test func theRescuerReturnsJobsOfDeadWorkersOnly() throws {
        let db = try makeDatabase()
        // A dead worker (heartbeat an hour old), a live one (fresh), and a vanished one (no row).
        try db.pool.execute(
            """
            INSERT INTO job_workers (id, host, pid, heartbeat_at) VALUES
                ('dead', 'h', 1, now() - interval '1 hour'), ('alive', 'h', 2, now() + interval '1 hour')
            """)
        func running(_ worker: String, attempt: Int, maxAttempts: Int = 25) throws -> Int64 {
            try db.pool.query(
                """
                INSERT INTO jobs (queue, kind, state, attempt, max_attempts, attempted_at, attempted_by)
                VALUES ('default', 'noop', 'running', $1, $2, now() - interval '1 minute', $3) RETURNING id
                """, [attempt, maxAttempts, worker]
            ).first?.decode(0, as: Int64.self) ?? -1
        }
        let orphan = try running("dead", attempt: 1)
        let lastAttempt = try running("dead", attempt: 3, maxAttempts: 3)
        let vanished = try running("gone", attempt: 1)
        let busy = try running("alive", attempt: 1)

        let system = makeSystem(db)
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        #expect(eventually { (try? db.state(of: orphan)) == .completed })
        #expect(eventually { (try? db.state(of: vanished)) == .completed })
        #expect(try db.state(of: lastAttempt) == .discarded)
        #expect(try db.state(of: busy) == .running)
        let record = try #require(try system.client.job(id: orphan))
        #expect(record.attempt == 2)
        #expect(record.errors.first?.error == "rescued: worker dead stopped heartbeating")
        #expect(try system.client.job(id: lastAttempt)?.errors.count == 1)
    }

    @Test func aLiveWorkersJobIsRescuedOnlyPastRescueAfter() throws {
        let db = try makeDatabase()
        try db.pool.execute("INSERT INTO job_workers (id, host, pid, heartbeat_at) VALUES ('alive', 'h', 2, now())")
        let id = try #require(
            try db.pool.query(
                """
                INSERT INTO jobs (queue, kind, state, attempt, attempted_at, attempted_by)
                VALUES ('default', 'noop', 'running', 1, now() - interval '10 minutes', 'alive') RETURNING id
                """
            ).first?.decode(0, as: Int64.self))
        let rescuer = Rescuer(
            pool: db.pool, logger: testLogger, workerDeadAfter: .seconds(60), rescueAfter: .seconds(300),
            metrics: SystemMetrics())
        rescuer.run()
        #expect(try db.state(of: id) == .retryable)
        #expect(
            try JobClient(pool: db.pool).job(id: id)?.errors.first?.error.hasPrefix("rescued: running longer") == true)
    }
}

@Suite struct ShutdownAndWakeupTests {
    @Test func gracefulStopFinishesQuickJobsAndReleasesTheRest() throws {
        let db = try makeDatabase()
        let system = makeSystem(db)
        let started = Locked(0)
        system.register(kind: "hang") { _ in
            started.withLock { $0 += 1 }
            usleep(3_000_000)  // not cooperative
        }
        system.register(kind: "short") { _ in
            started.withLock { $0 += 1 }
            usleep(200_000)
        }
        let hang = try #require(try system.client.enqueue("hang").id)
        let short = try #require(try system.client.enqueue("short").id)
        try system.start()
        #expect(eventually { started.withLock { $0 } == 2 })
        let clean = system.stop(grace: .milliseconds(800))
        #expect(clean == false)
        #expect(try db.state(of: short) == .completed)
        let released = try #require(try system.client.job(id: hang))
        #expect(released.state == .available)
        #expect(released.attempt == 0)  // the interrupted attempt does not count
        #expect(try db.count("true") == 2)
        #expect(try db.pool.query("SELECT 1 FROM job_workers").count == 0)
    }

    @Test func gracefulStopWaitsForHandlersWithinTheGrace() throws {
        let db = try makeDatabase()
        let system = makeSystem(db)
        let started = Locked(false)
        system.register(kind: "short") { _ in
            started.withLock { $0 = true }
            usleep(300_000)
        }
        let id = try #require(try system.client.enqueue("short").id)
        try system.start()
        #expect(eventually { started.withLock { $0 } })
        #expect(system.stop(grace: .seconds(5)))
        #expect(try db.state(of: id) == .completed)
    }

    @Test func aNotificationWakesAnIdleWorkerLongBeforeThePoll() throws {
        let db = try makeDatabase()
        let system = makeSystem(db, configuration: fastConfiguration(pollInterval: .seconds(30)))
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        #expect(eventually { system.isListening })
        usleep(300_000)  // let the start-up claim come back empty: the worker is now idle
        let enqueued = Date()
        let id = try #require(try system.client.enqueue("noop").id)
        #expect(eventually(seconds: 10) { (try? db.state(of: id)) == .completed })
        #expect(Date().timeIntervalSince(enqueued) < 5)
    }

    @Test func withoutListenTheWorkerFallsBackToPolling() throws {
        let db = try makeDatabase()
        let system = makeSystem(db, configuration: fastConfiguration(pollInterval: .milliseconds(300)), listen: false)
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        usleep(200_000)
        let id = try #require(try system.client.enqueue("noop").id)
        #expect(eventually { (try? db.state(of: id)) == .completed })
    }

    @Test func aBadConfigurationIsRefusedAtStart() throws {
        let db = try makeDatabase()
        var configuration = fastConfiguration(queues: ["default": 0])
        configuration.workerDeadAfter = .milliseconds(600)
        let system = makeSystem(db, configuration: configuration)
        #expect(throws: JobConfigurationError.self) { try system.start() }
    }
}
