import Foundation
import TestSupport
import Testing

/// `travelsense migrate [--status]` through the real binary, on an empty database.
@Suite struct MigrateCommandTests {
    func travelsense(_ arguments: [String], databaseURL: String?) throws -> (status: Int32, output: String) {
        try ChildServer.run(arguments, environment: ["DATABASE_URL": databaseURL])
    }

    @Test func statusThenApplyThenNothingLeft() throws {
        let db = try TestDatabase.create()
        let before = try travelsense(["migrate", "--status"], databaseURL: db.url)
        #expect(before.status == 0)
        #expect(before.output.contains("pending   jobs_0001_queue"), "\(before.output)")
        let apply = try travelsense(["migrate"], databaseURL: db.url)
        #expect(apply.status == 0)
        #expect(apply.output.contains("applied jobs_0001_queue"), "\(apply.output)")
        #expect(try travelsense(["migrate"], databaseURL: db.url).output.contains("up to date"))
        let after = try travelsense(["migrate", "--status"], databaseURL: db.url)
        #expect(after.output.contains("applied   jobs_0001_queue"), "\(after.output)")
    }

    @Test func withoutDatabaseURLItRefusesWithExitCode2() throws {
        let result = try travelsense(["migrate"], databaseURL: nil)
        #expect(result.status == 2)
        #expect(result.output.contains("DATABASE_URL"))
    }
}
