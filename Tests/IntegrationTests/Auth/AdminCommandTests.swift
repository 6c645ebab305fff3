import Foundation
import Postgres
import TestSupport
import Testing

/// `travelsense admin create`: the built binary against the test database.
@Suite struct AdminCommandTests {
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs `travelsense admin create …` with `stdin` on its standard input and only the variables
    /// given (so the test's own DATABASE_URL, if any, cannot leak in).
    static func run(_ arguments: [String], stdin: String = "", environment: [String: String]) throws -> Outcome {
        let binary = try #require(ChildServer.binaryPath, "travelsense binary not built")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["admin", "create"] + arguments
        var env = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "PASSWORD_SCRYPT_LOG_N": "10",
        ]
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        // Written before the start (it fits the pipe's buffer): a child that exits without reading
        // can then never make this write fail with SIGPIPE.
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            errors: String(decoding: err, as: UTF8.self))
    }

    @Test func createsAndPromotesAdministrators() throws {
        let app = try AuthApp()
        let env = ["DATABASE_URL": app.database.url]
        let email = "root-\(AccountKit.tag())@example.com"
        let password = "the operator's long passphrase"

        let created = try Self.run(["--email", email, "--password-stdin"], stdin: password + "\n", environment: env)
        #expect(created.status == 0, "\(created.errors)")
        #expect(created.output.contains("created"))
        #expect(!created.output.contains(password) && !created.errors.contains(password))

        let login = try AccountKit.login(app, email, password)
        #expect(login.status == 200)
        let token = try #require(login.string("access_token"))
        #expect(try AccountKit.claims(token)["role"] as? String == "admin")
        let me = try app.call("GET", "/v1/me", token: token)
        #expect(me.string("role") == "admin")
        #expect(me.json["email_verified"] as? Bool == true)
        #expect(try app.call("GET", "/v1/admin/users", token: token).status == 200)
        let users = try app.database.pool.query("SELECT count(*)::int FROM users WHERE role = 'admin'")[0]
        #expect(try users.decode(0, as: Int.self) == 1)
        LeakGuard(secrets: [password]).check(login, me)

        // An existing account is promoted, its password untouched.
        let user = try app.register()
        #expect(try app.call("GET", "/v1/admin/users", token: user.accessToken).status == 403)
        let promoted = try Self.run(["--email", user.email.uppercased()], environment: env)
        #expect(promoted.status == 0, "\(promoted.errors)")
        #expect(promoted.output.contains("now an administrator"))
        let after = try AccountKit.accessToken(app, user)
        #expect(try app.call("GET", "/v1/admin/users", token: after).status == 200)

        // Running it again for the same address changes nothing else.
        let again = try Self.run(
            ["--email", email, "--password-stdin"], stdin: "some other password\n", environment: env)
        #expect(again.status == 0, "\(again.errors)")
        #expect(try AccountKit.login(app, email, password).status == 200)
        #expect(try AccountKit.login(app, email, "some other password").status == 401)
        let count = try app.database.pool.query("SELECT count(*)::int FROM users WHERE lower(email) = $1", [email])[0]
        #expect(try count.decode(0, as: Int.self) == 1)
        let audits = try app.database.pool.query("SELECT count(*)::int FROM audit_log WHERE action = 'admin_created'")[
            0]
        #expect(try audits.decode(0, as: Int.self) == 3)
    }

    @Test func refusesBadInvocations() throws {
        let app = try AuthApp()
        let env = ["DATABASE_URL": app.database.url]

        let noDatabase = try Self.run(
            ["--email", "x@example.com", "--password-stdin"], stdin: "long enough pass\n", environment: [:])
        #expect(noDatabase.status == 2)
        #expect(noDatabase.errors.contains("DATABASE_URL"))

        let email = "new-\(AccountKit.tag())@example.com"
        let noPassword = try Self.run(["--email", email], environment: env)
        #expect(noPassword.status != 0)
        let emptyStdin = try Self.run(["--email", email, "--password-stdin"], stdin: "", environment: env)
        #expect(emptyStdin.status == 2)
        let weak = try Self.run(["--email", email, "--password-stdin"], stdin: "12345678\n", environment: env)
        #expect(weak.status == 1)
        #expect(!weak.errors.contains("12345678"))
        let badEmail = try Self.run(
            ["--email", "not an address", "--password-stdin"], stdin: "long enough pass\n", environment: env)
        #expect(badEmail.status == 1)
        let users = try app.database.pool.query("SELECT count(*)::int FROM users")[0]
        #expect(try users.decode(0, as: Int.self) == 0)
    }
}
