import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct MigratorTests {
    let db: TestDatabase

    init() throws {
        db = try TestDatabase.create()
    }

    static let first = Migration(id: "test_0001_items", sql: "CREATE TABLE items (id int PRIMARY KEY)")
    static let second = Migration(
        id: "test_0002_names", sql: "ALTER TABLE items ADD COLUMN name text; CREATE INDEX items_name ON items (name)")

    @Test func appliesInOrderOnceAndRecordsEach() throws {
        let migrator = Migrator(pool: db.pool)
        #expect(try migrator.status([Self.first, Self.second]).map(\.state) == [.pending, .pending])
        #expect(try migrator.apply([Self.first]) == [Self.first.id])
        #expect(try migrator.apply([Self.first, Self.second]) == [Self.second.id])
        #expect(try migrator.apply([Self.first, Self.second]).isEmpty)
        #expect(try migrator.status([Self.first, Self.second]).map(\.state) == [.applied, .applied])
        #expect(try migrator.isUpToDate([Self.first, Self.second]))
        try db.pool.execute("INSERT INTO items (id, name) VALUES (1, 'x')")
    }

    @Test func anEditedMigrationIsRefusedBeforeAnythingRuns() throws {
        let migrator = Migrator(pool: db.pool)
        try migrator.apply([Self.first])
        let edited = Migration(id: Self.first.id, sql: Self.first.sql + " -- changed")
        #expect(throws: Migrator.Failure.self) { try migrator.apply([edited, Self.second]) }
        // Nothing after the refusal ran.
        #expect(try migrator.status([edited, Self.second]).map(\.state) == [.modified, .pending])
        #expect(try !migrator.isUpToDate([edited]))
    }

    @Test func aFailingMigrationLeavesNoTraceAndLaterOnesDoNotRun() throws {
        let migrator = Migrator(pool: db.pool)
        let broken = Migration(id: "test_0002_broken", sql: "CREATE TABLE half (x int); SELECT 1/0")
        #expect(throws: PostgresError.self) { try migrator.apply([Self.first, broken, Self.second]) }
        #expect(try migrator.status([Self.first, broken, Self.second]).map(\.state) == [.applied, .pending, .pending])
        // Its transaction rolled back: the table it created first is not there.
        let half = try db.pool.query("SELECT to_regclass('half') IS NULL").first?.decode(0, as: Bool.self)
        #expect(half == true)
    }

    @Test func unknownRecordedMigrationsAreListedNotFatal() throws {
        try Migrator(pool: db.pool).apply([Self.first, Self.second])
        let older = Migrator(pool: db.pool)
        let status = try older.status([Self.first])
        #expect(status.map(\.id) == [Self.first.id, Self.second.id])
        #expect(status.map(\.state) == [.applied, .unknown])
        #expect(try older.isUpToDate([Self.first]))
    }

    @Test func duplicateIDsAreRefused() {
        #expect(throws: Migrator.Failure.self) { try Migrator(pool: db.pool).apply([Self.first, Self.first]) }
    }

    @Test func replicasMigratingTogetherApplyEachMigrationOnce() throws {
        let applied = Locked([String]())
        let failures = Locked(0)
        let migrations = (1...5).map { Migration(id: "test_1\($0)", sql: "CREATE TABLE t\($0) (x int)") }
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do {
                let ids = try Migrator(pool: db.pool).apply(migrations)
                applied.withLock { $0 += ids }
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(applied.withLock { $0 }.sorted() == migrations.map(\.id).sorted())
    }
}
