import Foundation
import Redis
import Testing

@Suite struct RedisReconnectTests {
    /// kill -9 the server: calls fail with connection errors (no hang), and once it is back the same
    /// pool serves again.
    @Test func poolSurvivesAKilledServer() throws {
        let server = try OwnRedisServer(port: try freePort())
        defer { server.kill() }
        var configuration = RedisConfiguration(host: "127.0.0.1", port: server.port)
        configuration.poolSize = 2
        configuration.reconnectBackoff = .milliseconds(200)
        let pool = RedisPool(configuration: configuration)
        try pool.set("k", "before")
        #expect(pool.statistics == RedisPool.Statistics(open: 1, idle: 1))

        server.kill()
        for _ in 0..<5 {
            #expect {
                try pool.set("k", "while down")
            } throws: { error in
                guard case .connection = error as? RedisError else { return false }
                return true
            }
            #expect(throws: RedisError.self) { try pool.getString("k") }
        }
        #expect(pool.statistics.open == 0)

        try server.start()
        var recovered = false
        for _ in 0..<100 where !recovered {
            recovered = (try? pool.ping()) != nil
            if !recovered { usleep(50_000) }
        }
        #expect(recovered)
        try pool.set("k", "after")
        #expect(try pool.getString("k") == "after")
    }

    /// A restart while connections sit idle: the next reads and writes go through on fresh connections
    /// (idle connections are probed; a read on a dead reused connection is retried once).
    @Test func restartWhileIdleIsInvisibleToCallers() throws {
        let server = try OwnRedisServer(port: try freePort())
        defer { server.kill() }
        let pool = try RedisPool(url: server.url)
        try pool.set("k", "v")
        server.kill()
        try server.start()
        try pool.set("k", "v2")
        #expect(try pool.getString("k") == "v2")
    }
}
