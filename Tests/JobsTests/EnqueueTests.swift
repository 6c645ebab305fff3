import Foundation
import Postgres
import TestSupport
import Testing

@testable import Jobs

@Suite struct EnqueueTests {
    @Test func migrationAppliesOnAnEmptyDatabase() throws {
        let db = try TestDatabase.create(migrations: [])
        let applied = try Migrator(pool: db.pool).apply(JobSchema.migrations)
        #expect(applied == ["jobs_0001_queue"])
        let tables = try db.pool.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        ).map { try $0.decode(0, as: String.self) }
        #expect(tables.contains("jobs") && tables.contains("job_workers"))
        #expect(tables.contains("job_leader") && tables.contains("job_cron"))
        // The CHECK over states holds.
        #expect(throws: PostgresError.self) {
            try db.pool.execute("INSERT INTO jobs (queue, kind, state) VALUES ('default', 'noop', 'bogus')")
        }
    }

    @Test func claimUsesThePartialIndex() throws {
        let db = try makeDatabase()
        try db.pool.withConnection { conn in
            try conn.simpleQuery("SET enable_seqscan = off")
            let plan = try conn.query("EXPLAIN " + QueueProducer.claimSQL, ["default", 10, "w"])
                .map { try $0.decode(0, as: String.self) }.joined(separator: "\n")
            #expect(plan.contains("jobs_claim_idx"), "\(plan)")
        }
    }

    @Test func oneJobRoundTripsItsArgumentsAndCompletes() throws {
        let db = try makeDatabase()
        let system = makeSystem(db)
        let received = Locked<[TestArgs]>([])
        system.register(kind: "trip_export", args: TestArgs.self) { args, job in
            #expect(job.attempt == 1)
            received.withLock { $0.append(args) }
        }
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        let args = TestArgs(
            tripId: "t-1 \"quoted\" \\ ünïcode", count: 42, when: Date(timeIntervalSince1970: 1_700_000_000),
            tags: ["a", "b,c"])
        let result = try system.client.enqueue("trip_export", args: args)
        guard case .inserted(let id) = result else {
            Issue.record("not inserted: \(result)")
            return
        }
        #expect(eventually { (try? db.state(of: id)) == .completed })
        #expect(received.withLock { $0 } == [args])
        let record = try #require(try system.client.job(id: id))
        #expect(record.attempt == 1 && record.finalizedAt != nil && record.errors.isEmpty)
        #expect(record.attemptedBy == system.workerID)
    }

    @Test func aThousandJobsInOneBatchEachRunExactlyOnce() throws {
        let db = try makeDatabase()
        let system = makeSystem(db, configuration: fastConfiguration(queues: ["default": 8, "other": 2]))
        let runs = Locked<[Int64: Int]>([:])
        system.register(kind: "count") { job in runs.withLock { $0[job.id, default: 0] += 1 } }
        let inserts = (0..<1000).map { i in
            JobInsert(
                kind: "count", argsJSON: "{\"i\": \(i)}",
                options: EnqueueOptions(queue: i % 10 == 0 ? "other" : "default"))
        }
        #expect(try system.client.enqueueMany(inserts) == 1000)
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        #expect(eventually(seconds: 30) { (try? db.count("state = 'completed'")) == 1000 })
        let counts = runs.withLock { $0 }
        #expect(counts.count == 1000)
        #expect(counts.values.allSatisfy { $0 == 1 })
        #expect(try db.count("attempt = 1") == 1000)
    }

    @Test func anEnqueueInARolledBackTransactionLeavesNoJob() throws {
        let db = try makeDatabase()
        let client = JobClient(pool: db.pool)
        struct Rollback: Error {}
        #expect(throws: Rollback.self) {
            try db.pool.transaction { conn in
                try client.enqueue(on: conn, "noop")
                _ = try client.enqueueMany([JobInsert(kind: "noop"), JobInsert(kind: "noop")], on: conn)
                throw Rollback()
            }
        }
        #expect(try db.count() == 0)
        _ = try db.pool.transaction { conn in try client.enqueue(on: conn, "noop") }
        #expect(try db.count() == 1)
    }

    @Test func aUniqueKeyDedupesUntilTheJobIsFinalized() throws {
        let db = try makeDatabase()
        let client = JobClient(pool: db.pool)
        let options = EnqueueOptions(uniqueKey: "export:trip-7")
        let first = try client.enqueue("noop", options: options)
        guard case .inserted(let id) = first else {
            Issue.record("first enqueue: \(first)")
            return
        }
        #expect(try client.enqueue("noop", options: options) == .duplicate(existingID: id))
        // Also within and across a batch.
        let batch = [
            JobInsert(kind: "noop", options: options),
            JobInsert(kind: "noop", options: EnqueueOptions(uniqueKey: "k2")),
            JobInsert(kind: "noop", options: EnqueueOptions(uniqueKey: "k2")),
        ]
        #expect(try client.enqueueMany(batch) == 1)
        #expect(try db.count() == 2)

        // Once finalized, the key is free again.
        #expect(try client.cancel(id: id))
        #expect(try client.enqueue("noop", options: options).id != id)
        #expect(try db.count("unique_key = 'export:trip-7'") == 2)
    }

    @Test func invalidEnqueuesAreRefusedNamingTheField() throws {
        let db = try makeDatabase()
        let client = JobClient(pool: db.pool)
        #expect(throws: JobClientError.invalid(field: "kind", message: "must be 1 to 128 characters")) {
            try client.enqueue("")
        }
        #expect(throws: JobClientError.invalid(field: "max_attempts", message: "must be at least 1")) {
            try client.enqueue("noop", options: EnqueueOptions(maxAttempts: 0))
        }
        #expect(try db.count() == 0)
    }

    @Test func cancelOnlyTouchesJobsThatHaveNotStarted() throws {
        let db = try makeDatabase()
        let client = JobClient(pool: db.pool)
        let id = try #require(try client.enqueue("noop").id)
        #expect(try client.cancel(id: id))
        #expect(try db.state(of: id) == .cancelled)
        #expect(try client.cancel(id: id) == false)
        #expect(try client.job(id: 999_999) == nil)
    }
}
