import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct PoolTests {
    let db: TestDatabase

    init() throws {
        db = try TestDatabase.create()
    }

    func pool(size: Int, acquireTimeout: Duration = .seconds(5)) -> PostgresPool {
        var configuration = PostgresConfiguration(connection: db.url)
        configuration.maxConnections = size
        configuration.acquireTimeout = acquireTimeout
        return PostgresPool(configuration: configuration)
    }

    @Test func exhaustionIsATimelyErrorNotAHang() throws {
        let pool = pool(size: 2, acquireTimeout: .milliseconds(200))
        defer { pool.close() }
        let held = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            Thread.detachNewThread {
                try? pool.withConnection { _ in
                    held.signal()
                    release.wait()
                }
            }
        }
        held.wait()
        held.wait()
        let start = Date()
        #expect {
            try pool.query("SELECT 1")
        } throws: { error in
            guard case .poolTimeout = error as? PostgresError else { return false }
            return true
        }
        // Bounded by the acquire timeout, not by anything else (generous margin for a loaded machine).
        #expect(Date().timeIntervalSince(start) < 3)
        #expect(pool.statistics.inUse == 2)
        release.signal()
        release.signal()
        // Once released, the same pool serves again.
        #expect(try pool.query("SELECT 1").count == 1)
    }

    @Test func aKilledConnectionIsReplacedNotReused() throws {
        let pool = pool(size: 1)
        defer { pool.close() }
        let pid = try pool.withConnection { $0.backendPID }
        let killed = try #require(try db.pool.query("SELECT pg_terminate_backend($1)", [Int(pid)]).first)
        #expect(try killed.decode(0, as: Bool.self))
        // Give the server a moment to close the socket, so the idle probe sees it.
        usleep(100_000)
        let newPID = try pool.withConnection { conn -> Int32 in
            let rows = try conn.query("SELECT 1")
            #expect(rows.count == 1)
            return conn.backendPID
        }
        #expect(newPID != pid)
        #expect(pool.statistics == .init(idle: 1, inUse: 0, waiting: 0))
    }

    @Test func aConnectionThatDiesMidStatementIsDroppedAndTheErrorSaysUnavailable() throws {
        let pool = pool(size: 1)
        defer { pool.close() }
        let pid = try pool.withConnection { $0.backendPID }
        Thread.detachNewThread {
            usleep(200_000)
            _ = try? db.pool.query("SELECT pg_terminate_backend($1)", [Int(pid)])
        }
        #expect {
            try pool.query("SELECT pg_sleep(5)")
        } throws: { error in
            (error as? PostgresError)?.isUnavailable == true
        }
        #expect(try pool.query("SELECT 1").count == 1)
        #expect(try pool.withConnection { $0.backendPID } != pid)
    }

    @Test func twoHundredConcurrentUsersThroughTenConnections() throws {
        let pool = pool(size: 10, acquireTimeout: .seconds(30))
        defer { pool.close() }
        let failures = Locked(0)
        let done = Locked(0)
        let group = DispatchGroup()
        for user in 0..<200 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    for i in 0..<5 {
                        let row = try #require(try pool.query("SELECT $1::int + $2::int", [user, i]).first)
                        if try row.decode(0, as: Int.self) != user + i { failures.withLock { $0 += 1 } }
                    }
                    done.withLock { $0 += 1 }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        group.wait()
        #expect(failures.withLock { $0 } == 0)
        #expect(done.withLock { $0 } == 200)
        #expect(pool.statistics == .init(idle: 10, inUse: 0, waiting: 0))
        let backends = try #require(
            try db.pool.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'travelsense'",
                [db.name]
            ).first)
        // Ten for the pool under test plus the suite's own pool's one.
        #expect(try backends.decode(0, as: Int.self) <= 11)
    }

    @Test func anUnreachableServerFailsFastAndKeepsFailingFast() throws {
        var configuration = PostgresConfiguration(connection: "postgres://nobody@127.0.0.1:1/none")
        configuration.maxConnections = 2
        let pool = PostgresPool(configuration: configuration)
        for _ in 0..<20 {
            #expect {
                try pool.query("SELECT 1")
            } throws: { error in
                (error as? PostgresError)?.isUnavailable == true
            }
        }
        #expect(pool.statistics == .init(idle: 0, inUse: 0, waiting: 0))
    }

    @Test func aClosedPoolRefusesWork() throws {
        let pool = pool(size: 1)
        _ = try pool.query("SELECT 1")
        pool.close()
        #expect {
            try pool.query("SELECT 1")
        } throws: { error in
            guard case .poolClosed = error as? PostgresError else { return false }
            return true
        }
    }

    @Test func asynchronousCommitIsPerPool() throws {
        var configuration = PostgresConfiguration(connection: db.url)
        configuration.synchronousCommit = false
        let relaxed = PostgresPool(configuration: configuration)
        defer { relaxed.close() }
        #expect(try relaxed.query("SHOW synchronous_commit").first?.decode(0, as: String.self) == "off")
    }
}
