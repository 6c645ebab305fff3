import Foundation
import Postgres
import TestSupport
import Testing

/// DESIGN §3, §4, §8 under real faults: PostgreSQL stopped with `pg_ctl stop -m immediate` and started
/// again, Redis killed with SIGKILL and started again — all while our server keeps running.
@Suite(.serialized) struct DataLayerFaultTests {
    @Test func postgresDownMeansUnreadyAndFast503sThenFullServiceWithoutRestart() throws {
        let stack = try DataLayerApp()
        #expect(try stack.get("/db").status == 200)
        #expect(try stack.readyCheck("postgres") == (200, true))

        try stack.postgres.stop(immediate: true)
        let stopped = ContinuousClock.now
        // /readyz turns 503 within 2 s.
        #expect(try eventually(seconds: 2) { try stack.readyCheck("postgres") == (503, false) })
        let unready = ContinuousClock.now - stopped
        var slowest = Duration.zero
        // A request needing the database gets a 503 problem with Retry-After, well before the client's
        // 1 s timeout (a hang would surface as a timeout error here).
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let r = try stack.get("/db", timeout: .seconds(1))
            slowest = max(slowest, ContinuousClock.now - start)
            #expect(r.status == 503)
            #expect(r.header("content-type") == "application/problem+json")
            #expect(r.header("retry-after") != nil)
            #expect(!String(decoding: r.body, as: UTF8.self).contains("127.0.0.1"))
        }
        // Liveness does not depend on the database.
        #expect(try stack.get("/healthz").status == 200)

        try stack.postgres.restart()
        let restarted = ContinuousClock.now
        #expect(try eventually(seconds: 10) { try stack.get("/db").status == 200 })
        #expect(try eventually(seconds: 10) { try stack.readyCheck("postgres") == (200, true) })
        print(
            "[faults] postgres stopped: /readyz 503 after \(unready), slowest 503 \(slowest); "
                + "restarted: full service after \(ContinuousClock.now - restarted)")
    }

    @Test func redisDownIsReportedButServiceContinuesAndRecovers() throws {
        let stack = try DataLayerApp()
        #expect(String(decoding: try stack.get("/cache").body, as: UTF8.self) == "postgres hello")
        #expect(String(decoding: try stack.get("/cache").body, as: UTF8.self) == "redis hello")

        try stack.redis.kill()
        // Still ready (Redis is a cache), and says Redis is down.
        #expect(try eventually(seconds: 5) { try stack.readyCheck("redis") == (200, false) })
        for _ in 0..<3 {
            let r = try stack.get("/cache", timeout: .seconds(1))
            #expect(r.status == 200)
            #expect(String(decoding: r.body, as: UTF8.self) == "postgres hello")
        }

        try stack.redis.restart()
        #expect(try eventually(seconds: 10) { try stack.readyCheck("redis") == (200, true) })
        // Used again automatically: the fallback writes the value back, then reads come from Redis.
        #expect(
            try eventually(seconds: 10) {
                String(decoding: try stack.get("/cache").body, as: UTF8.self) == "redis hello"
            })
    }

    @Test func pendingMigrationsKeepTheReplicaUnreadyUntilApplied() throws {
        let migrations = [Migration(id: "test_0001_table", sql: "CREATE TABLE readiness_probe (x int)")]
        let stack = try DataLayerApp(migrations: migrations)
        let r = try stack.get("/readyz")
        #expect(r.status == 503)
        #expect(String(decoding: r.body, as: UTF8.self).contains("migrations pending"))
        try Migrator(pool: stack.services.database).apply(migrations)
        #expect(try stack.readyCheck("postgres") == (200, true))
    }
}
