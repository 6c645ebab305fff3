import Foundation
import Testing

@testable import DevServices

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct RedisServerTests {
    @Test func startsAndRequiresThePassword() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let server = try RedisServer.start(directory: directory.path)
        defer { try? server.stop() }

        #expect(server.url == "redis://:\(server.password)@127.0.0.1:\(server.port)/0")
        let pong = try redisCLI(port: server.port, password: server.password, ["PING"])
        #expect(pong.output.trimmingCharacters(in: .whitespacesAndNewlines) == "PONG", "\(pong.output)")
        let anonymous = try redisCLI(port: server.port, password: nil, ["PING"])
        #expect(anonymous.output.contains("NOAUTH"), "\(anonymous.output)")
        let wrong = try redisCLI(port: server.port, password: "wrong", ["PING"])
        #expect(wrong.output.contains("WRONGPASS"), "\(wrong.output)")
        #expect(!RedisServer.answersPing(port: server.port, password: "wrong"))
    }

    @Test func keepsPasswordAndDataAcrossStarts() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let first = try RedisServer.start(directory: directory.path)
        let set = try redisCLI(port: first.port, password: first.password, ["SET", "kept", "yes"])
        #expect(set.output.contains("OK"), "\(set.output)")
        try first.stop()  // SIGTERM: Redis snapshots before exiting

        let second = try RedisServer.start(directory: directory.path)
        defer { try? second.stop() }
        #expect(second.password == first.password)
        let get = try redisCLI(port: second.port, password: second.password, ["GET", "kept"])
        #expect(get.output.trimmingCharacters(in: .whitespacesAndNewlines) == "yes", "\(get.output)")
    }

    @Test func killThenRestartOnTheSamePort() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let server = try RedisServer.start(directory: directory.path)
        defer { try? server.stop() }
        let port = server.port
        let pid = try #require(server.serverPID)

        try server.kill()
        #expect(!isAlive(pid))
        #expect(!Loopback.isListening(port: port))

        try server.restart()
        #expect(server.port == port)
        let pong = try redisCLI(port: server.port, password: server.password, ["PING"])
        #expect(pong.output.trimmingCharacters(in: .whitespacesAndNewlines) == "PONG", "\(pong.output)")
    }

    @Test func reportsATakenPort() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let taken = try occupyPort()
        defer { close(taken.fd) }
        #expect {
            try RedisServer.start(directory: directory.path, port: taken.port)
        } throws: { error in
            guard case .portInUse(_, let port, _) = error as? DevServicesError else { return false }
            return port == taken.port
        }
    }
}
