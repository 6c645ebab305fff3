import Foundation
import Jobs
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The job queue across real `travelsense serve` processes sharing one database: no job lost, none run
/// twice, a SIGKILLed process's jobs rescued by the survivors, and cron firing once per slot whatever the
/// number of replicas.
@Suite(.serialized) struct JobProcessTests {
    /// 8 workers per process; quick liveness so a killed worker's jobs come back in seconds.
    static let environment = [
        "WORKERS": "8", "JOBS_WORKER_DEAD_AFTER": "3", "JOBS_POLL_INTERVAL": "0.2", "SHUTDOWN_GRACE_PERIOD": "5",
    ]

    let db: TestDatabase

    init() throws {
        db = try TestDatabase.create(migrations: JobSchema.migrations, poolSize: 4)
    }

    func enqueueNoops(_ count: Int, sleepMs: Int = 0) throws {
        let client = JobClient(pool: db.pool)
        let args = sleepMs > 0 ? #"{"sleep_ms":\#(sleepMs)}"# : "{}"
        var left = count
        while left > 0 {
            let batch = min(left, 1_000)
            let inserted = try client.enqueueMany(
                Array(repeating: JobInsert(kind: BuiltinKinds.noop, argsJSON: args), count: batch))
            #expect(inserted == batch)
            left -= batch
        }
    }

    func scalar(_ sql: String, _ binds: [any PostgresEncodable] = []) throws -> Int {
        try db.pool.query(sql, binds).first?.decode(0, as: Int?.self) ?? 0
    }

    var completed: Int {
        get throws { try scalar("SELECT count(*) FROM jobs WHERE kind = 'noop' AND state = 'completed'") }
    }

    @Test func tenThousandJobsOnTwoProcessesEachRunExactlyOnce() throws {
        let a = try ChildServer(command: "serve", environment: Self.environment, database: db)
        let b = try ChildServer(command: "serve", environment: Self.environment, database: db)
        try enqueueNoops(10_000)
        #expect(try eventually(seconds: 120) { try completed == 10_000 })
        // attempt counts claims: a job run twice would show 2.
        #expect(try scalar("SELECT count(*) FROM jobs WHERE kind = 'noop' AND attempt <> 1") == 0)
        #expect(try scalar("SELECT count(*) FROM jobs WHERE kind = 'noop'") == 10_000)
        // Both processes took part.
        #expect(try scalar("SELECT count(DISTINCT attempted_by) FROM jobs WHERE kind = 'noop'") == 2)
        _ = (a, b)
    }

    @Test func aSIGKILLedProcessLosesNoJobAndOnlyItsRunningJobsRunAgain() throws {
        // A survivor starved of CPU (the whole suite runs beside it on two cores) must not be taken for
        // dead itself: its own jobs would be rescued and run again, which is right but not this test.
        let environment = Self.environment.merging(["JOBS_WORKER_DEAD_AFTER": "10"]) { $1 }
        let victim = try ChildServer(command: "serve", environment: environment, database: db)
        let survivor = try ChildServer(command: "serve", environment: environment, database: db)
        try enqueueNoops(3_000, sleepMs: 10)
        #expect(try eventually(seconds: 60) { try completed >= 300 })
        victim.sendSignal(SIGKILL)
        #expect(victim.waitForExit(timeout: .seconds(10)) == 128 + SIGKILL)
        // A claim the victim sent just before dying may still commit on the server: let PostgreSQL
        // finish what it received (well inside the 10 s before anyone is rescued).
        Thread.sleep(forTimeInterval: 1)
        // Frozen from now on: what the dead process held (claimed, running, or finished but not yet
        // recorded). Only these may run a second time.
        let held = Set(
            try db.pool.query(
                "SELECT id FROM jobs WHERE state = 'running' AND attempted_by LIKE $1", ["%:\(victim.pid):%"]
            ).map { try $0.decode(0, as: Int64.self) })
        #expect(!held.isEmpty)
        #expect(try eventually(seconds: 120) { try completed == 3_000 })
        let rerun = Set(
            try db.pool.query("SELECT id FROM jobs WHERE kind = 'noop' AND attempt > 1").map {
                try $0.decode(0, as: Int64.self)
            })
        #expect(rerun.isSubset(of: held), "re-run but not held by the killed process: \(rerun.subtracting(held))")
        _ = survivor
    }

    @Test func aCronEntryEverySecondRunsOncePerSecondAcrossThreeProcesses() throws {
        var environment = Self.environment
        environment["JOBS_PRUNE_SCHEDULE"] = "@every 1s"
        let processes = try (0..<3).map { _ in
            try ChildServer(command: "serve", environment: environment, database: db)
        }
        let slots = "SELECT count(*) FROM jobs WHERE kind = 'jobs_prune'"
        #expect(try eventually(seconds: 30) { try scalar(slots) >= 2 })
        let before = try scalar(slots)
        sleep(30)
        let fired = try scalar(slots) - before
        #expect((29...31).contains(fired), "\(fired) runs in 30 s")
        // One job per slot: no slot enqueued twice.
        #expect(try scalar("SELECT count(DISTINCT unique_key) FROM jobs WHERE kind = 'jobs_prune'") == scalar(slots))
        _ = processes
    }

    @Test func serveWithoutWorkersOnlyEnqueuesAndWorkRunsTheJobs() throws {
        var environment = Self.environment
        environment["WORKERS"] = "0"
        let api = try ChildServer(command: "serve", environment: environment, database: db)
        try enqueueNoops(50)
        sleep(2)
        #expect(try completed == 0)
        #expect(try scalar("SELECT count(*) FROM jobs WHERE state = 'available'") == 50)

        // `work` serves no API, only what probes and Prometheus need.
        let worker = try ChildServer(
            command: "work", environment: environment.merging(["WORKERS": "2"]) { $1 }, database: db)
        #expect(try worker.get("/healthz").status == 200)
        #expect(try worker.get("/v1/me").status == 404)
        #expect(try eventually(seconds: 60) { try completed == 50 })
        #expect(try worker.get("/metrics").bodyString.contains("jobs_runs_total"))
        worker.sendSignal(SIGTERM)
        #expect(worker.waitForExit(timeout: .seconds(30)) == 0)
        _ = api
    }
}
