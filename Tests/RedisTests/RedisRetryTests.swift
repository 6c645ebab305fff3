import Testing

@testable import Redis

@Suite struct RedisRetryTests {
    @Test func onlyReadOnlyCommandsAreRetryable() {
        #expect(RedisRetryPolicy.mayRetry(["GET", "k"]))
        #expect(RedisRetryPolicy.mayRetry(["mget", "a", "b"]))
        #expect(RedisRetryPolicy.mayRetry([Array("pttl".utf8), "k"]))
        #expect(!RedisRetryPolicy.mayRetry(["INCR", "k"]))
        #expect(!RedisRetryPolicy.mayRetry(["SET", "k", "v"]))
        #expect(!RedisRetryPolicy.mayRetry(["EVALSHA", "abc", 0]))
        #expect(!RedisRetryPolicy.mayRetry([]))
    }

    /// The server drops a pooled connection after checkout: a retryable command runs again on a fresh
    /// connection, a non-retryable one surfaces `.connection`.
    @Test(arguments: [true, false])
    func brokenReusedConnection(retryable: Bool) throws {
        let pool = try sharedPool(poolSize: 1)
        let admin = try sharedPool(poolSize: 1)
        let key = uniquePrefix() + "k"
        try pool.set(key, "v")  // leaves one idle connection, so the next checkout is a reused one
        var attempts = 0
        let result = Result { () throws(RedisError) -> RESPValue in
            try pool.run(retryable: retryable) { connection throws(RedisError) in
                attempts += 1
                if attempts == 1 {
                    let id = try connection.command(["CLIENT", "ID"])
                    _ = try admin.command(["CLIENT", "KILL", "ID", id.int ?? -1])
                }
                return try connection.command(["GET", key])
            }
        }
        if retryable {
            #expect(try result.get().string == "v")
            #expect(attempts == 2)
        } else {
            #expect {
                try result.get()
            } throws: { error in
                guard case .connection = error as? RedisError else { return false }
                return true
            }
            #expect(attempts == 1)
        }
        #expect(try pool.getString(key) == "v")
    }
}
