import Foundation
import Logging
import Testing

@testable import Kernel

@Suite struct ConfigTests {
    @Test func defaultsWithEmptyEnvironment() throws {
        let c = try AppConfig.load(from: Environment([:]))
        #expect(c.host == "0.0.0.0")
        #expect(c.port == 8080)
        #expect(c.logLevel == .info)
        #expect(c.logFormat == .json)
        #expect(c.accessLog)
        #expect(c.maxBodyBytes == 1 << 20)
        #expect(c.headerTimeout == .seconds(10))
        #expect(c.bodyTimeout == .seconds(30))
        #expect(c.idleTimeout == .seconds(90))
        #expect(c.gracePeriod == .seconds(25))
        #expect(c.databaseURL == nil)
        #expect(c.redisURL == nil)
    }

    @Test func readsEveryVariable() throws {
        let c = try AppConfig.load(
            from: Environment([
                "HOST": "127.0.0.1", "PORT": "9000", "LOG_LEVEL": "DEBUG", "LOG_FORMAT": "text", "ACCESS_LOG": "off",
                "HTTP_IO_QUEUES": "3", "HTTP_HANDLER_THREADS": "16", "HTTP_HANDLER_QUEUE": "10",
                "HTTP_MAX_CONNECTIONS": "500",
                "HTTP_MAX_BODY_BYTES": "2048", "HTTP_HEADER_TIMEOUT": "2.5", "HTTP_BODY_TIMEOUT": "5",
                "HTTP_IDLE_TIMEOUT": "100",
                "SHUTDOWN_GRACE_PERIOD": "0.25", "DATABASE_URL": "postgresql://u:p@db/travel",
                "REDIS_URL": "redis://cache:6380",
            ]), requireDatabase: true)
        #expect(c.host == "127.0.0.1")
        #expect(c.port == 9000)
        #expect(c.logLevel == .debug)
        #expect(c.logFormat == .text)
        #expect(!c.accessLog)
        #expect(c.headerTimeout == .milliseconds(2500))
        #expect(c.gracePeriod == .milliseconds(250))
        #expect(c.databaseURL == "postgresql://u:p@db/travel")
        #expect(c.redisURL == "redis://cache:6380")
        let s = c.serverConfiguration()
        #expect(s.host == "127.0.0.1" && s.port == 9000 && s.ioQueues == 3 && s.handlerThreads == 16)
        #expect(s.handlerQueueLimit == 10 && s.maxConnections == 500)
        #expect(
            s.headerTimeout == .milliseconds(2500) && s.bodyTimeout == .seconds(5) && s.idleTimeout == .seconds(100))
        #expect(s.gracePeriod == .milliseconds(250))
    }

    @Test func everyBadVariableIsNamedInOneError() {
        let env = Environment([
            "PORT": "+80", "LOG_LEVEL": "loud", "LOG_FORMAT": "xml", "ACCESS_LOG": "maybe", "HTTP_IO_QUEUES": "0",
            "HTTP_HANDLER_THREADS": "99999999999999999999999", "HTTP_MAX_BODY_BYTES": "-1",
            "HTTP_HEADER_TIMEOUT": "inf",
            "HTTP_BODY_TIMEOUT": "1e3", "HTTP_IDLE_TIMEOUT": "0", "SHUTDOWN_GRACE_PERIOD": "abc",
            "DATABASE_URL": "mysql://root:hunter2@db", "REDIS_URL": "http://cache", "HOST": "bad host",
        ])
        do {
            _ = try AppConfig.load(from: env, requireDatabase: true)
            Issue.record("expected a ConfigError")
        } catch {
            let expected: Set = [
                "HOST", "PORT", "LOG_LEVEL", "LOG_FORMAT", "ACCESS_LOG", "HTTP_IO_QUEUES", "HTTP_HANDLER_THREADS",
                "HTTP_MAX_BODY_BYTES", "HTTP_HEADER_TIMEOUT", "HTTP_BODY_TIMEOUT", "HTTP_IDLE_TIMEOUT",
                "SHUTDOWN_GRACE_PERIOD", "DATABASE_URL", "REDIS_URL",
            ]
            #expect(Set(error.variables) == expected)
            #expect(error.variables.count == expected.count)
            for name in expected { #expect(error.description.contains(name)) }
            // Connection URLs carry passwords: never echoed.
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func serveRequiresDatabaseURL() {
        #expect(
            throws: ConfigError(problems: [
                ConfigProblem(variable: "DATABASE_URL", message: "is required (or DATABASE_URL_FILE)")
            ])
        ) {
            try AppConfig.load(from: Environment([:]), requireDatabase: true)
        }
        #expect(throws: Never.self) { try AppConfig.load(from: Environment([:]), requireDatabase: false) }
    }

    @Test func portRange() {
        for bad in ["0", "65536", "80a", " 80", ""] where !bad.isEmpty {
            #expect(throws: ConfigError.self) { try AppConfig.load(from: Environment(["PORT": bad])) }
        }
        #expect((try? AppConfig.load(from: Environment(["PORT": "65535"])))?.port == 65_535)
        // Empty means unset.
        #expect((try? AppConfig.load(from: Environment(["PORT": ""])))?.port == 8080)
    }

    @Test func fileVariantIsReadAndTrailingNewlineTrimmed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kernel-config-\(UUIDv7())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let secret = dir.appendingPathComponent("db")
        try "postgres://app:s3cret @db/travel\r\n".write(to: secret, atomically: true, encoding: .utf8)
        let c = try AppConfig.load(from: Environment(["DATABASE_URL_FILE": secret.path]), requireDatabase: true)
        #expect(c.databaseURL == "postgres://app:s3cret @db/travel")

        let port = dir.appendingPathComponent("port")
        try "9001\n".write(to: port, atomically: true, encoding: .utf8)
        #expect(try AppConfig.load(from: Environment(["PORT_FILE": port.path])).port == 9001)
    }

    @Test func settingBothNameAndFileIsAnError() {
        let env = Environment(
            ["DATABASE_URL": "postgres://a@b/c", "DATABASE_URL_FILE": "/run/secrets/db"],
            readFile: { _ in "postgres://x@y/z" })
        do {
            _ = try AppConfig.load(from: env, requireDatabase: true)
            Issue.record("expected a ConfigError")
        } catch {
            #expect(error.variables == ["DATABASE_URL"])
            #expect(error.description.contains("DATABASE_URL_FILE"))
        }
    }

    @Test func unreadableFileNamesTheFileVariable() {
        let env = Environment(["REDIS_URL_FILE": "/nonexistent/redis"])
        do {
            _ = try AppConfig.load(from: env)
            Issue.record("expected a ConfigError")
        } catch {
            #expect(error.variables == ["REDIS_URL_FILE"])
        }
    }

    @Test func documentationTableCoversEveryVariableLoaded() {
        let names = AppConfig.variables.map(\.name)
        #expect(Set(names).count == names.count)
        // Every documented variable is read: setting it to garbage makes load fail naming it.
        for name in names {
            #expect(throws: ConfigError.self, "\(name)") { try AppConfig.load(from: Environment([name: "\u{1}bad"])) }
        }
        #expect(AppConfig.markdownTable().contains("| `SHUTDOWN_GRACE_PERIOD` | `25` |"))
    }

    /// The README's configuration table is this table, so the docs cannot drift from the code.
    @Test func readmeListsEveryVariable() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let table = AppConfig.markdownTable()
        #expect(text.contains(table), "README.md should contain:\n\(table)")
    }

    @Test func strictNumberParsing() {
        #expect(Environment.parseDigits("+5") == nil)
        #expect(Environment.parseDigits("-5") == nil)
        #expect(Environment.parseDigits("99999999999999999999") == nil)
        #expect(Environment.parseDigits("007") == 7)
        #expect(Environment.parseDecimal("1.5") == 1.5)
        #expect(Environment.parseDecimal(".5") == nil)
        #expect(Environment.parseDecimal("5.") == nil)
        #expect(Environment.parseDecimal("nan") == nil)
    }
}
