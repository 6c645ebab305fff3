import Logging
import Redis

/// A rate: `limit` requests per `window`, of which up to `burst` may arrive at once.
public struct RateLimitPolicy: Sendable, Equatable {
    /// Names the policy in `RateLimit-Policy`/`RateLimit` headers and in Redis keys (`rl:<name>:<key>`).
    public var name: String
    public var limit: Int
    public var window: Duration
    public var burst: Int

    public init(name: String, limit: Int, window: Duration, burst: Int? = nil) {
        self.name = name
        self.limit = max(1, limit)
        self.window = window
        self.burst = max(1, burst ?? limit)
    }

    /// Microseconds between two requests at the steady rate (GCRA's emission interval).
    var emissionMicroseconds: Int64 {
        let (s, atto) = window.components
        return max(1, (s * 1_000_000 + atto / 1_000_000_000_000) / Int64(limit))
    }
}

/// The verdict for one request.
public struct RateLimitDecision: Sendable, Equatable {
    public var allowed: Bool
    /// Requests still allowed at once.
    public var remaining: Int
    /// Seconds until the caller may try again (0 when allowed).
    public var retryAfterSeconds: Int
    /// Seconds until the allowance is whole again.
    public var resetSeconds: Int
    /// True when Redis could not be asked and the limiter failed open.
    public var unchecked = false
}

/// GCRA (the generic cell rate algorithm) in one Lua script on Redis, so every replica shares one
/// counter per key and the check-and-update is atomic. Time comes from Redis `TIME`, never from the
/// replicas' clocks. One key per caller holds only the "theoretical arrival time", expiring when idle.
///
/// When Redis cannot be asked, the limiter fails open (the request passes, logged) or closed (503),
/// per `failOpen`: Redis is a cache, and most limits should not take the API down with it.
public struct RateLimiter: Sendable {
    let redis: RedisPool?
    let failOpen: Bool
    let logger: Logger

    public init(redis: RedisPool?, failOpen: Bool = true, logger: Logger) {
        self.redis = redis
        self.failOpen = failOpen
        self.logger = logger
    }

    /// KEYS[1] the caller's key, optional KEYS[2] a key to read in the same round trip; ARGV: emission
    /// interval µs, burst tolerance µs, cost. Returns {allowed, retry µs, remaining, reset µs, KEYS[2]'s value}.
    static let script = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local emission = tonumber(ARGV[1])
        local tolerance = tonumber(ARGV[2])
        local extra = false
        if KEYS[2] then extra = redis.call('GET', KEYS[2]) end
        local tat = tonumber(redis.call('GET', KEYS[1]) or now)
        if tat < now then tat = now end
        local new_tat = tat + emission * tonumber(ARGV[3])
        local diff = now - (new_tat - tolerance)
        if diff < 0 then
          return {0, -diff, 0, tat - now, extra}
        end
        redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil((new_tat - now) / 1000) + 1)
        return {1, 0, math.floor((tolerance - (new_tat - now)) / emission), new_tat - now, extra}
        """)

    /// Counts one request of `key` against `policy`. Throws only when Redis is unavailable and the
    /// limiter fails closed.
    public func check(_ policy: RateLimitPolicy, key: String) throws(RedisError) -> RateLimitDecision {
        try check(policy, key: key, reading: nil).decision
    }

    /// `check`, also reading `extraKey` in the same round trip (authentication reads its revocation
    /// marker this way). `value` is nil when the key is absent or Redis could not be asked
    /// (`decision.unchecked`).
    public func check(
        _ policy: RateLimitPolicy, key: String, reading extraKey: String?
    ) throws(RedisError) -> (decision: RateLimitDecision, value: String?) {
        let unchecked = RateLimitDecision(
            allowed: true, remaining: policy.burst, retryAfterSeconds: 0, resetSeconds: 0, unchecked: true)
        guard let redis else { return (unchecked, nil) }
        let emission = policy.emissionMicroseconds
        var keys = ["rl:\(policy.name):\(key)"]
        if let extraKey { keys.append(extraKey) }
        do throws(RedisError) {
            let reply = try redis.evaluate(
                Self.script, keys: keys, args: [Int(emission), Int(emission) * policy.burst, 1])
            guard let items = reply.array, items.count == 5 else {
                throw RedisError.unexpectedReply("rate limit script")
            }
            let values = items.prefix(4).compactMap(\.int)
            guard values.count == 4 else { throw RedisError.unexpectedReply("rate limit script") }
            let decision = RateLimitDecision(
                allowed: values[0] == 1, remaining: max(0, values[2]),
                retryAfterSeconds: values[0] == 1 ? 0 : Self.ceilSeconds(values[1]),
                resetSeconds: Self.ceilSeconds(values[3]))
            // Lua's false comes back as a nil bulk string.
            return (decision, items[4].string)
        } catch {
            guard failOpen else { throw error }
            logger.warning(
                "rate limit not checked: Redis unavailable",
                metadata: ["policy": .string(policy.name), "error": .string(error.description)])
            return (unchecked, nil)
        }
    }

    static func ceilSeconds(_ microseconds: Int) -> Int {
        microseconds <= 0 ? 0 : (microseconds + 999_999) / 1_000_000
    }
}
