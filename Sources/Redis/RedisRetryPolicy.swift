/// Which commands the pool may send a second time after their connection died mid-flight.
///
/// A write whose connection broke may or may not have run (INCR twice is wrong), so only commands
/// that change nothing are replayed, once, and only when the broken connection was a reused one:
/// that is the stale-socket case (Redis restarted while the connection sat idle). Everything else
/// surfaces the error; the next call opens a fresh connection anyway.
enum RedisRetryPolicy {
    static let readOnlyCommands: Set<String> = [
        "GET", "MGET", "GETRANGE", "STRLEN", "EXISTS", "TTL", "PTTL", "TYPE",
        "HGET", "HMGET", "HGETALL", "HEXISTS", "HLEN", "HKEYS", "HVALS",
        "LRANGE", "LLEN", "LINDEX", "SMEMBERS", "SISMEMBER", "SCARD",
        "ZRANGE", "ZSCORE", "ZCARD", "ZRANK", "ZCOUNT",
        "PING", "ECHO", "TIME", "DBSIZE",
    ]

    static func mayRetry(_ arguments: [any RedisArgument]) -> Bool {
        guard let first = arguments.first else { return false }
        var bytes: [UInt8] = []
        first.appendRedisBytes(to: &bytes)
        guard bytes.count <= 16 else { return false }
        return readOnlyCommands.contains(String(decoding: bytes, as: UTF8.self).uppercased())
    }
}
