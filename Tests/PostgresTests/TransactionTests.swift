import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct TransactionTests {
    let db: TestDatabase

    init() throws {
        db = try TestDatabase.create()
        try db.pool.execute("CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)")
        try db.pool.execute("INSERT INTO counters VALUES (1, 0)")
    }

    struct Oops: Error {}

    @Test func commitsOnReturnAndRollsBackOnThrow() throws {
        try db.pool.transaction { tx in try tx.execute("UPDATE counters SET n = n + 1") }
        #expect(throws: Oops.self) {
            try db.pool.transaction { tx in
                try tx.execute("UPDATE counters SET n = n + 100")
                throw Oops()
            }
        }
        let n = try #require(try db.pool.query("SELECT n FROM counters").first).decode(0, as: Int.self)
        #expect(n == 1)
        // The connection went back to the pool outside any transaction.
        try db.pool.withConnection { #expect($0.isIdle) }
    }

    @Test func serializationFailuresAreRetriedWhenAskedTo() throws {
        let workers = 8
        let options = TransactionOptions(isolation: .serializable, retries: 50)
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            for _ in 0..<10 {
                do {
                    try db.pool.transaction(options) { tx in
                        let n = try #require(try tx.query("SELECT n FROM counters WHERE id = 1").first).decode(
                            0, as: Int.self)
                        try tx.execute("UPDATE counters SET n = $1 WHERE id = 1", [n + 1])
                    }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let n = try #require(try db.pool.query("SELECT n FROM counters").first).decode(0, as: Int.self)
        #expect(n == workers * 10)
    }

    /// Forces the classic conflict: this transaction reads, another commits an update of the same row,
    /// then this one writes — PostgreSQL must refuse with 40001.
    func conflictingIncrement(_ tx: PostgresConnection, interfere: Bool) throws {
        let n = try #require(try tx.query("SELECT n FROM counters WHERE id = 1").first).decode(0, as: Int.self)
        if interfere {
            try db.pool.transaction { other in try other.execute("UPDATE counters SET n = n + 10 WHERE id = 1") }
        }
        try tx.execute("UPDATE counters SET n = $1 WHERE id = 1", [n + 1])
    }

    @Test func withoutRetriesTheConflictSurfaces() throws {
        #expect {
            try db.pool.transaction(TransactionOptions(isolation: .serializable)) { tx in
                try conflictingIncrement(tx, interfere: true)
            }
        } throws: { error in
            (error as? PostgresError)?.sqlState == SQLState.serializationFailure
        }
        let n = try #require(try db.pool.query("SELECT n FROM counters").first).decode(0, as: Int.self)
        #expect(n == 10)
    }

    @Test func aRetriedTransactionRunsAgainFromTheStart() throws {
        let attempts = Locked(0)
        try db.pool.transaction(TransactionOptions(isolation: .serializable, retries: 2)) { tx in
            let attempt = attempts.withLock {
                $0 += 1
                return $0
            }
            try conflictingIncrement(tx, interfere: attempt == 1)
        }
        #expect(attempts.withLock { $0 } == 2)
        let n = try #require(try db.pool.query("SELECT n FROM counters").first).decode(0, as: Int.self)
        #expect(n == 11)
    }
}
