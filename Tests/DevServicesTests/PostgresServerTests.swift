import Foundation
import Testing

@testable import DevServices

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct PostgresServerTests {
    @Test func startsAndRequiresThePassword() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let server = try PostgresServer.start(directory: directory.path, options: .init(durable: false))
        defer { try? server.stop() }

        #expect(server.url == "postgres://travelsense:\(server.password)@127.0.0.1:\(server.port)/travelsense")
        let ok = try psql(server.url, "SELECT current_database() || ' ' || current_user")
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.trimmingCharacters(in: .whitespacesAndNewlines) == "travelsense travelsense")

        let wrong = try psql("postgres://travelsense:wrong@127.0.0.1:\(server.port)/travelsense", "SELECT 1")
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("password authentication failed"), "\(wrong.output)")

        let secret = try FileManager.default.attributesOfItem(atPath: directory.path + "/password")
        #expect((secret[.posixPermissions] as? Int) == 0o600)
    }

    @Test func appliesOptions() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let options = PostgresOptions(durable: false, maxConnections: 42, settings: ["work_mem": "7MB"])
        let server = try PostgresServer.start(directory: directory.path, options: options)
        defer { try? server.stop() }

        let shown = try psql(
            server.url,
            "SELECT current_setting('fsync') || current_setting('max_connections') || current_setting('work_mem')")
        #expect(shown.output.trimmingCharacters(in: .whitespacesAndNewlines) == "off427MB", "\(shown.output)")
    }

    @Test func reusesTheDirectoryOnTheNextStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let first = try PostgresServer.start(directory: directory.path)
        let created = try psql(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')")
        #expect(created.status == 0, "\(created.output)")
        try first.stop()
        #expect(!Loopback.isListening(port: first.port))

        let second = try PostgresServer.start(directory: directory.path)
        defer { try? second.stop() }
        #expect(second.password == first.password)
        let read = try psql(second.url, "SELECT v FROM kept")
        #expect(read.output.trimmingCharacters(in: .whitespacesAndNewlines) == "still here", "\(read.output)")
    }

    @Test func refusesAClusterWhoseSecretIsGone() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let server = try PostgresServer.start(directory: directory.path, options: .init(durable: false))
        try server.stop()
        let secret = directory.path + "/password"
        try FileManager.default.removeItem(atPath: secret)

        #expect {
            try PostgresServer.start(directory: directory.path, options: .init(durable: false))
        } throws: { error in
            guard case .secretMissing(let path, _) = error as? DevServicesError else { return false }
            return path == secret
        }
    }

    @Test func restartKeepsThePortAndData() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let server = try PostgresServer.start(directory: directory.path, options: .init(durable: false))
        defer { try? server.stop() }
        let port = server.port
        let firstPID = try #require(server.serverPID)
        _ = try psql(server.url, "CREATE TABLE t (v int); INSERT INTO t VALUES (7)")

        try server.restart()
        #expect(server.port == port)
        #expect(server.serverPID != firstPID)
        #expect(!isAlive(firstPID))
        let read = try psql(server.url, "SELECT v FROM t")
        #expect(read.output.trimmingCharacters(in: .whitespacesAndNewlines) == "7", "\(read.output)")
    }

    @Test func immediateStopRefusesConnectionsUntilRestart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let server = try PostgresServer.start(directory: directory.path)
        defer { try? server.stop() }
        _ = try psql(server.url, "CREATE TABLE t (v int); INSERT INTO t VALUES (1)")

        try server.stop(immediate: true)
        #expect(server.serverPID == nil)
        let refused = try psql(server.url, "SELECT 1")
        #expect(refused.status != 0)
        #expect(refused.output.contains("Connection refused"), "\(refused.output)")

        try server.restart()
        let read = try psql(server.url, "SELECT v FROM t")
        #expect(read.status == 0, "\(read.output)")
        #expect(read.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    @Test func reportsStartFailuresWithTheServerLog() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        #expect {
            try PostgresServer.start(
                directory: directory.path, options: .init(durable: false, settings: ["no_such_setting": "1"]))
        } throws: { error in
            guard case .exitedDuringStart(_, _, let logTail) = error as? DevServicesError else { return false }
            return logTail.contains("no_such_setting")
        }

        let taken = try occupyPort()
        defer { close(taken.fd) }
        #expect {
            try PostgresServer.start(directory: directory.path, options: .init(durable: false, port: taken.port))
        } throws: { error in
            guard case .portInUse(_, let port, let logTail) = error as? DevServicesError else { return false }
            return port == taken.port && logTail.contains("Address already in use")
        }
    }

    @Test(.enabled(if: geteuid() == 0, "the postgres user only matters when running as root"))
    func explainsADirectoryThePostgresUserCannotReach() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let locked = directory.path + "/locked"
        try Paths.makeDirectories(locked, mode: 0o700)

        #expect {
            try PostgresServer.start(directory: locked + "/postgres")
        } throws: { error in
            guard case .directoryNotAccessible(let path, let user) = error as? DevServicesError else { return false }
            return path == locked + "/postgres" && user == "postgres"
                && (error as? DevServicesError)?.description.contains("--data-dir") == true
        }
    }

    @Test func relativePathsBecomeAbsolute() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(Paths.absolute("a/./b/../c") == cwd + "/a/c")
        #expect(Paths.absolute("/x/y/") == "/x/y")
    }
}
