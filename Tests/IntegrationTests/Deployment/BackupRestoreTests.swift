import Foundation
import Postgres
import TestSupport
import Testing

/// The backup CronJob's own script (`k8s/base/backup/backup.sh`, the file the Kubernetes ConfigMap is
/// generated from) run here against a populated database: its dump must restore into an empty database
/// with every table's row count equal, and old dumps must age out after the retention period.
@Suite struct BackupRestoreTests {
    static let script = NginxProcess.repositoryRoot + "/k8s/base/backup/backup.sh"

    /// Runs the script with `environment` added to ours.
    func backup(_ environment: [String: String?]) throws -> (status: Int32, output: String) {
        try ToolProcess.run("/bin/sh", [Self.script], environment: environment)
    }

    /// Row counts of every ordinary table outside the system schemas, by `schema.table`.
    func rowCounts(_ pool: PostgresPool) throws -> [String: Int] {
        let tables = try pool.query(
            """
            SELECT schemaname || '.' || tablename FROM pg_tables
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
            """
        ).map { try $0.decode(0, as: String.self) }
        var counts: [String: Int] = [:]
        for table in tables {
            // Names come from the catalogue, not from input; quoted per part all the same.
            let quoted = table.split(separator: ".").map { "\"\($0)\"" }.joined(separator: ".")
            counts[table] = try pool.query("SELECT count(*) FROM \(quoted)")[0].decode(0, as: Int.self)
        }
        return counts
    }

    @Test func theDumpRestoresIntoAnEmptyDatabaseWithEveryRowCountEqual() throws {
        let database: TestDatabase
        do {
            let app = try AuthApp()
            database = app.database
            // Data in every module: accounts and tokens, a shared trip with items, an expense, a checklist
            // and a share link, jobs and audit rows.
            let crew = try TripKit.crew(app)
            let owner = crew.owner.accessToken
            for (i, kind) in ["activity", "food", "transport", "note"].enumerated() {
                _ = try TripKit.addItem(
                    app, owner, crew.trip, ["kind": kind, "title": "\(kind) \(i)", "day": "2027-05-02"])
            }
            let base = "/v1/trips/\(crew.trip)"
            for (path, body) in [
                ("\(base)/expenses", TripKit.taxi(crew)),
                ("\(base)/checklists", ["title": "Pack", "items": ["passport", "charger"]]),
                ("\(base)/share-links", ["sections": ["itinerary"]]),
            ] {
                let r = try app.call("POST", path, json: body, token: owner)
                #expect(r.status == 201, "\(path): \(r.text)")
            }
        }
        // The app has stopped (its last reference is gone): nothing writes while counting and dumping.
        let source = try rowCounts(database.pool)
        #expect(source.count >= 15, "\(source.keys.sorted())")
        #expect(source.values.reduce(0, +) > 30)

        let directory = NSTemporaryDirectory() + "travelsense-backup-\(UUID())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try backup(["DATABASE_URL": database.url, "BACKUP_DIR": directory])
        #expect(run.status == 0, "\(run.output)")
        let dumps = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasPrefix("travelsense-") && $0.hasSuffix(".dump")
        }
        try #require(dumps.count == 1, "\(dumps) \(run.output)")

        // A new database with not even the migration table in it (test databases come with one).
        let target = try TestDatabase.create(poolSize: 2)
        try target.pool.withConnection { try $0.simpleQuery("DROP SCHEMA public CASCADE; CREATE SCHEMA public") }
        #expect(try rowCounts(target.pool).isEmpty, "the target starts empty")
        let restore = try ToolProcess.run(
            "/usr/bin/pg_restore",
            ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", target.url, directory + "/" + dumps[0]])
        #expect(restore.status == 0, "\(restore.output)")
        let restored = try rowCounts(target.pool)
        #expect(restored == source)
        print(
            "restored \(restored.count) tables, \(restored.values.reduce(0, +)) rows, counts equal: \(restored == source)"
        )
        // The restored database is one the binary accepts as fully migrated.
        let status = try ChildServer.run(["migrate", "--status"], environment: ["DATABASE_URL": target.url])
        #expect(status.status == 0 && !status.output.contains("pending"), "\(status.output)")
    }

    @Test func dumpsOlderThanTheRetentionPeriodAreDeletedAndNewerOnesKept() throws {
        let db = try TestDatabase.create(poolSize: 1)
        let directory = NSTemporaryDirectory() + "travelsense-retention-\(UUID())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let day = 86_400.0
        for (name, age) in [("travelsense-old.dump", 31 * day), ("travelsense-recent.dump", 29 * day)] {
            let path = directory + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
            try FileManager.default.setAttributes([.modificationDate: Date() - age], ofItemAtPath: path)
        }
        let run = try backup(["DATABASE_URL": db.url, "BACKUP_DIR": directory, "RETENTION_DAYS": "30"])
        #expect(run.status == 0, "\(run.output)")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(!left.contains("travelsense-old.dump"))
        #expect(left.contains("travelsense-recent.dump"))
        #expect(left.filter { $0.hasSuffix(".dump") }.count == 2, "the recent one and today's: \(left)")
    }
}
