import ArgumentParser
import Foundation
import Kernel

/// `travelsense dev`: the embedded default for a laptop. Listens on 127.0.0.1 only, keeps its state in
/// a local data directory, and needs no configuration. (PostgreSQL and Redis child processes arrive with
/// the data-layer issue; the other variables of `serve` still apply, DATABASE_URL is optional.)
struct Dev: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a local development server on 127.0.0.1.")

    @Option(help: "TCP port to listen on.")
    var port: Int = 8080

    @Option(name: .customLong("data-dir"), help: "Directory for local state (created if missing).")
    var dataDir: String = ".dev-data"

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
        guard !dataDir.isEmpty else { throw ValidationError("--data-dir must not be empty") }
    }

    func run() throws {
        var config: AppConfig
        do {
            config = try AppConfig.load(from: Environment.current())
        } catch {
            StandardError.write("travelsense: \(error.description)\n")
            throw ExitCode(2)
        }
        config.host = "127.0.0.1"
        config.port = port
        do {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        } catch {
            StandardError.write("travelsense: cannot create data directory \(dataDir): \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
        let code = Application(config: config).run()
        if code != 0 { throw ExitCode(code) }
    }
}
