import Foundation
import Redis
import TestSupport
import Testing

@Suite struct RedisCommandTests {
    @Test func getAndSetRoundTrip() throws {
        let pool = try sharedPool()
        let key = uniquePrefix() + "k"
        #expect(try pool.get(key) == nil)
        #expect(try pool.set(key, "value"))
        #expect(try pool.getString(key) == "value")
        #expect(try pool.get(key) == Array("value".utf8))
        #expect(try pool.command(["TTL", key]) == .integer(-1))
        pool.close()
    }

    @Test func setOnlyIfAbsentDoesNotOverwrite() throws {
        let pool = try sharedPool()
        let key = uniquePrefix() + "nx"
        #expect(try pool.set(key, "first", onlyIfAbsent: true))
        #expect(try pool.set(key, "second", onlyIfAbsent: true) == false)
        #expect(try pool.getString(key) == "first")
    }

    @Test func setWithExpirySetsATimeToLive() throws {
        let pool = try sharedPool()
        let prefix = uniquePrefix()
        try pool.set(prefix + "ex", "v", expiresIn: .seconds(100))
        let ttl = try #require(try pool.command(["TTL", prefix + "ex"]).int)
        #expect(ttl > 90 && ttl <= 100)

        try pool.set(prefix + "px", "v", expiresIn: .milliseconds(1500), onlyIfAbsent: true)
        let pttl = try #require(try pool.command(["PTTL", prefix + "px"]).int)
        #expect(pttl > 1000 && pttl <= 1500)

        // A short TTL really expires (the only sleep in this suite, 50 ms).
        try pool.set(prefix + "short", "v", expiresIn: .milliseconds(20))
        usleep(50_000)
        #expect(try pool.get(prefix + "short") == nil)
    }

    @Test func binaryValuesRoundTripExactly() throws {
        let pool = try sharedPool()
        let key = uniquePrefix() + "bin"
        let value: [UInt8] = [0x00, 0xFF, 0xFE, 0x0D, 0x0A, 0x00, 0x80, 0x24, 0x2A]
        try pool.set(key, value)
        #expect(try pool.get(key) == value)
        #expect(throws: RedisError.self) { _ = try pool.getString(key) }
        // A binary key and an empty value.
        let binaryKey: [UInt8] = Array(key.utf8) + [0x00, 0xC3]
        #expect(try pool.command(["SET", binaryKey, ""]) == .simpleString("OK"))
        #expect(try pool.command(["GET", binaryKey]) == .bulkString([]))
        #expect(try pool.command(["GET", Array(key.utf8) + [0x00]]).isNil)
    }

    @Test func mgetReportsMissingKeysAsNil() throws {
        let pool = try sharedPool()
        let prefix = uniquePrefix()
        try pool.set(prefix + "a", "1")
        try pool.set(prefix + "c", [0x00])
        let values = try pool.mget([prefix + "a", prefix + "b", prefix + "c"])
        #expect(values == [Array("1".utf8), nil, [0x00]])
        #expect(try pool.mget([]) == [])
    }

    @Test func incrAndExpire() throws {
        let pool = try sharedPool()
        let key = uniquePrefix() + "n"
        #expect(try pool.incr(key) == 1)
        #expect(try pool.incr(key) == 2)
        #expect(try pool.incr(key, by: 40) == 42)
        #expect(try pool.incr(key, by: -2) == 40)
        #expect(try pool.expire(key, in: .seconds(60)))
        let ttl = try #require(try pool.command(["TTL", key]).int)
        #expect(ttl > 50 && ttl <= 60)
        #expect(try pool.expire(key, in: .milliseconds(30_500)))
        let pttl = try #require(try pool.command(["PTTL", key]).int)
        #expect(pttl > 29_000 && pttl <= 30_500)
        #expect(try pool.expire(key + "missing", in: .seconds(5)) == false)
    }

    @Test func delCountsOnlyExistingKeys() throws {
        let pool = try sharedPool()
        let prefix = uniquePrefix()
        try pool.set(prefix + "1", "x")
        try pool.set(prefix + "2", "x")
        #expect(try pool.del(prefix + "1", prefix + "2", prefix + "3") == 2)
        #expect(try pool.del(prefix + "1") == 0)
        #expect(try pool.del([]) == 0)
    }

    @Test func publishReturnsSubscriberCount() throws {
        let pool = try sharedPool()
        #expect(try pool.publish(uniquePrefix() + "channel", "hello") == 0)
    }

    @Test func pingAnswers() throws {
        try sharedPool().ping()
    }

    @Test func errorReplySurfacesAndConnectionStaysUsable() throws {
        let pool = try sharedPool(poolSize: 1)
        let key = uniquePrefix() + "text"
        try pool.set(key, "not a number")
        #expect {
            try pool.incr(key)
        } throws: { error in
            guard let error = error as? RedisError, case .server(let message) = error else { return false }
            return message.hasPrefix("ERR") && error.serverErrorCode == "ERR"
        }
        #expect(throws: RedisError.server("WRONGTYPE Operation against a key holding the wrong kind of value")) {
            try pool.command(["LPUSH", key, "x"])
        }
        // Same single connection, still in step with the server.
        #expect(try pool.getString(key) == "not a number")
        #expect(pool.statistics == RedisPool.Statistics(open: 1, idle: 1))
    }

    @Test func emptyCommandIsRefusedWithoutSending() throws {
        let pool = try sharedPool()
        #expect(throws: RedisError.self) { try pool.command([]) }
        try pool.ping()
    }

    @Test func slowReplyTimesOutAndTheConnectionIsReplaced() throws {
        var configuration = try RedisConfiguration(url: TestServices.redisURL())
        configuration.commandTimeout = .milliseconds(100)
        configuration.poolSize = 1
        let pool = RedisPool(configuration: configuration)
        // BLPOP on an empty list blocks server-side for 2 s, longer than the command timeout.
        #expect(throws: RedisError.timeout) { try pool.command(["BLPOP", uniquePrefix() + "empty", 2]) }
        #expect(pool.statistics.open == 0)
        // The late BLPOP reply must not be read as the answer to this PING: a fresh connection is used.
        try pool.ping()
        #expect(pool.statistics == RedisPool.Statistics(open: 1, idle: 1))
    }

    @Test func withConnectionRunsATransaction() throws {
        let pool = try sharedPool()
        let key = uniquePrefix() + "tx"
        let replies = try pool.withConnection { connection in
            _ = try connection.command(["MULTI"])
            _ = try connection.command(["SET", key, "5"])
            _ = try connection.command(["INCR", key])
            return try connection.command(["EXEC"])
        }
        #expect(replies == .array([.simpleString("OK"), .integer(6)]))
    }
}
