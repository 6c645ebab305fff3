import Redis
import Testing

@Suite struct RedisPipelineAndScriptTests {
    @Test func pipelineOfAHundredRepliesInOrder() throws {
        let pool = try sharedPool()
        let key = uniquePrefix() + "counter"
        let commands: [[any RedisArgument]] = (0..<100).map { _ in ["INCR", key] }
        let replies = try pool.pipeline(commands)
        #expect(replies == (1...100).map { RESPValue.integer($0) })
        #expect(try pool.pipeline([]) == [])
    }

    @Test func pipelineKeepsErrorRepliesInPlace() throws {
        let pool = try sharedPool(poolSize: 1)
        let prefix = uniquePrefix()
        let replies = try pool.pipeline([
            ["SET", prefix + "s", "text"],
            ["INCR", prefix + "s"],
            ["GET", prefix + "s"],
            ["GET", prefix + "missing"],
        ])
        #expect(replies.count == 4)
        #expect(replies[0] == .simpleString("OK"))
        #expect(replies[1].errorMessage?.hasPrefix("ERR") == true)
        #expect(replies[2].string == "text")
        #expect(replies[3].isNil)
        try pool.ping()
    }

    @Test func scriptDigestMatchesScriptLoad() throws {
        let pool = try sharedPool()
        for source in ["return 1", "", String(repeating: "-- padding to cross a block boundary\n", count: 5)] {
            let script = RedisScript(source)
            #expect(try pool.command(["SCRIPT", "LOAD", source]).string == script.sha1)
        }
    }

    @Test func evaluateFallsBackToEvalAfterScriptFlush() throws {
        let pool = try sharedPool(poolSize: 1)
        let prefix = uniquePrefix()
        // A unique body so no other test's cached copy hides the NOSCRIPT path.
        let script = RedisScript(
            "-- \(prefix)\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])")
        #expect(try pool.command(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(0)]))
        #expect(try pool.evaluate(script, keys: [prefix + "n"], args: [5]) == .integer(5))
        // EVAL cached it server-side.
        #expect(try pool.command(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(1)]))
        #expect(try pool.evaluate(script, keys: [prefix + "n"], args: ["2"]) == .integer(7))

        _ = try pool.command(["SCRIPT", "FLUSH"])
        #expect(try pool.evaluate(script, keys: [prefix + "n"], args: [3]) == .integer(10))
    }

    @Test func scriptErrorsSurfaceAsServerErrors() throws {
        let pool = try sharedPool()
        let script = RedisScript("-- \(uniquePrefix())\nreturn redis.call('NOSUCHCOMMAND')")
        #expect {
            try pool.evaluate(script)
        } throws: { error in
            guard case .server = error as? RedisError else { return false }
            return true
        }
        try pool.ping()
    }
}
