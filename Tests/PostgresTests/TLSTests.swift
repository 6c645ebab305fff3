import DevServices
import Foundation
import Postgres
import TestSupport
import Testing

/// `sslmode` and friends go to libpq untouched: TLS works exactly as libpq documents it.
@Suite struct TLSTests {
    /// Runs a command, failing the test if it does not exit 0.
    func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(arguments.joined(separator: " "))")
    }

    /// A self-signed certificate (its own CA) and key in `directory`.
    func makeCertificate(in directory: String, name: String) throws {
        try run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).crt",
        ])
    }

    @Test func verifiedTLSConnectsAndAWrongCAIsRefused() throws {
        let directory = NSTemporaryDirectory() + "travelsense-tls-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try makeCertificate(in: directory, name: "server")
        try makeCertificate(in: directory, name: "other")
        // PostgreSQL insists its key is private to the user it runs as.
        if geteuid() == 0 { try run(["chown", "postgres", "\(directory)/server.key", "\(directory)/server.crt"]) }
        try run(["chmod", "600", "\(directory)/server.key"])
        let server = try PostgresServer.start(
            directory: directory + "/pg",
            options: PostgresOptions(
                durable: false,
                settings: [
                    "ssl": "on", "ssl_cert_file": "\(directory)/server.crt", "ssl_key_file": "\(directory)/server.key",
                ]))
        defer { try? server.stop() }

        let verified = try PostgresConnection.connect(
            PostgresConfiguration(connection: server.url + "?sslmode=verify-ca&sslrootcert=\(directory)/server.crt"))
        let row = try #require(try verified.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first)
        #expect(try row.decode(0, as: Bool.self))

        #expect {
            try PostgresConnection.connect(
                PostgresConfiguration(connection: server.url + "?sslmode=verify-ca&sslrootcert=\(directory)/other.crt"))
        } throws: { error in
            guard case .connection(let message) = error as? PostgresError else { return false }
            return message.contains("certificate")
        }
        // Plain connections are still possible unless the caller demands TLS.
        let plain = try PostgresConnection.connect(PostgresConfiguration(connection: server.url + "?sslmode=disable"))
        let plainRow = try #require(try plain.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first)
        #expect(try plainRow.decode(0, as: Bool.self) == false)
    }
}
