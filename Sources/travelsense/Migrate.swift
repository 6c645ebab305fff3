import ArgumentParser
import Kernel
import Postgres

/// `travelsense migrate`: applies pending migrations (the Kubernetes migration Job runs this) or, with
/// `--status`, lists every migration's state without changing anything.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations (DATABASE_URL is required).")

    @Flag(help: "List each migration as applied, pending, modified or unknown; change nothing.")
    var status = false

    func run() throws {
        let config = try CommandSupport.loadConfig(requireDatabase: true)
        let pool = PostgresPool(configuration: .from(config, name: "migrate", size: 1))
        defer { pool.close() }
        let migrator = Migrator(pool: pool)
        do {
            if status {
                for entry in try migrator.status(AllMigrations.list) {
                    print(
                        "\(entry.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(entry.id)"
                            + (entry.appliedAt.map { "  \($0)" } ?? ""))
                }
                return
            }
            let applied = try migrator.apply(AllMigrations.list)
            print(applied.isEmpty ? "migrate: up to date" : "migrate: applied \(applied.joined(separator: ", "))")
        } catch {
            StandardError.write("travelsense migrate: \(error)\n")
            throw ExitCode(1)
        }
    }
}
