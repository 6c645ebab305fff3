import ArgumentParser
import Auth
import Foundation
import Kernel
import Postgres

/// `travelsense admin …`: operator tasks against the database.
struct Admin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Administration tasks (DATABASE_URL is required).", subcommands: [CreateAdmin.self])
}

/// `travelsense admin create --email ana@example.com [--password-stdin]`: makes the account an
/// administrator, creating it (e-mail verified) when it does not exist. The password is read from
/// stdin, never from the command line, where `ps` and shell history would show it.
struct CreateAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Make an account an administrator, creating it if needed.")

    @Option(help: "E-mail address of the account.")
    var email: String

    @Option(name: .customLong("display-name"), help: "Display name for a new account.")
    var displayName: String?

    @Flag(name: .customLong("password-stdin"), help: "Read the password of a new account from stdin.")
    var passwordStdin = false

    func run() throws {
        let config = try CommandSupport.loadConfig(requireDatabase: false)
        guard config.databaseURL != nil else {
            StandardError.write("travelsense admin create: DATABASE_URL is required\n")
            throw ExitCode(2)
        }
        var password: String?
        if passwordStdin {
            password = readLine(strippingNewline: true)
            if password?.isEmpty ?? true {
                StandardError.write("travelsense admin create: no password on stdin\n")
                throw ExitCode(2)
            }
        }
        let pool = PostgresPool(configuration: .from(config, name: "admin", size: 1))
        defer { pool.close() }
        do {
            let created = try AdminBootstrap(pool: pool, scryptLogN: config.auth.scryptLogN).create(
                email: email, password: password, displayName: displayName)
            print(created ? "created administrator \(email)" : "\(email) is now an administrator")
        } catch {
            StandardError.write("travelsense admin create: \(error)\n")
            throw ExitCode(1)
        }
    }
}
