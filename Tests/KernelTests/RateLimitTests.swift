import Foundation
import HTTP
import Logging
import Redis
import TestSupport
import Testing

@testable import Kernel

/// GCRA on a real Redis: bursts, steady rates, independent keys, headers, and both failure modes.
@Suite struct RateLimitTests {
    let redis: RedisPool
    /// Unique per test instance, so parallel tests never share a counter.
    let prefix = "t\(UInt32.random(in: 0...UInt32.max))"

    init() throws {
        redis = try RedisPool(url: try TestServices.redisURL())
    }

    var limiter: RateLimiter {
        RateLimiter(redis: redis, logger: Logger(label: "rl") { _ in SwiftLogNoOpLogHandler() })
    }

    @Test func aBurstIsAllowedThenTheCallerWaitsOneEmissionInterval() throws {
        let policy = RateLimitPolicy(name: prefix + "-burst", limit: 5, window: .seconds(60))
        var decisions = [RateLimitDecision]()
        for _ in 0..<6 { decisions.append(try limiter.check(policy, key: "ip-1")) }
        #expect(decisions.prefix(5).map(\.allowed) == [true, true, true, true, true])
        #expect(decisions.prefix(5).map(\.remaining) == [4, 3, 2, 1, 0])
        #expect(!decisions[5].allowed)
        // 60 s / 5 = one request every 12 s.
        #expect((11...12).contains(decisions[5].retryAfterSeconds), "\(decisions[5])")
        #expect((59...60).contains(decisions[4].resetSeconds), "\(decisions[4])")
        // Another key has its own allowance.
        #expect(try limiter.check(policy, key: "ip-2").allowed)
    }

    @Test func aSteadyRateRefillsOverTime() throws {
        let policy = RateLimitPolicy(name: prefix + "-steady", limit: 10, window: .seconds(1), burst: 1)
        #expect(try limiter.check(policy, key: "k").allowed)
        let denied = try limiter.check(policy, key: "k")
        #expect(!denied.allowed)
        #expect(denied.retryAfterSeconds == 1)  // 100 ms, rounded up to whole seconds for Retry-After
        usleep(150_000)
        #expect(try limiter.check(policy, key: "k").allowed)
    }

    func respond(_ middleware: RateLimitMiddleware, calls: Locked<Int>) -> Response {
        let handler =
            ([ErrorMiddleware(logger: Logger(label: "e") { _ in SwiftLogNoOpLogHandler() }), middleware]
            as [any Middleware]).wrapping { _ in
                calls.withLock { $0 += 1 }
                return Response(status: .ok, contentType: "text/plain", body: Array("ok".utf8))
            }
        var request = Request(method: .post, target: "/v1/auth/login")
        request.requestID = "rl-1"
        return (try? handler(request)) ?? Response(status: .internalServerError)
    }

    @Test func theMiddlewareAnswers429WithHeadersAndNeverCallsTheHandler() {
        let policy = RateLimitPolicy(name: prefix + "-login", limit: 2, window: .seconds(60))
        let middleware = RateLimitMiddleware(limiter: limiter, policy: policy) { _ in "203.0.113.9" }
        let calls = Locked(0)
        let first = respond(middleware, calls: calls)
        #expect(first.status == .ok)
        #expect(first.headers["RateLimit-Policy"] == "\"\(policy.name)\";q=2;w=60")
        #expect(first.headers["RateLimit"] == "\"\(policy.name)\";r=1;t=30")
        _ = respond(middleware, calls: calls)
        let limited = respond(middleware, calls: calls)
        #expect(limited.status == .tooManyRequests)
        #expect(limited.headers[.contentType] == "application/problem+json")
        #expect(limited.headers[.retryAfter] == "30")
        #expect(limited.headers["RateLimit"] == "\"\(policy.name)\";r=0;t=60")
        #expect(calls.withLock { $0 } == 2)
    }

    @Test func redisDownFailsOpenOrClosedAsConfigured() {
        let dead = RedisPool(configuration: RedisConfiguration(host: "127.0.0.1", port: 1))
        let policy = RateLimitPolicy(name: prefix + "-down", limit: 1, window: .seconds(60))
        let quiet = Logger(label: "rl") { _ in SwiftLogNoOpLogHandler() }
        let open = RateLimiter(redis: dead, failOpen: true, logger: quiet)
        for _ in 0..<3 {
            let decision = try? open.check(policy, key: "k")
            #expect(decision?.allowed == true)
            #expect(decision?.unchecked == true)
        }
        let closed = RateLimiter(redis: dead, failOpen: false, logger: quiet)
        #expect(throws: RedisError.self) { try closed.check(policy, key: "k") }
        let middleware = RateLimitMiddleware(limiter: closed, policy: policy) { _ in "k" }
        let calls = Locked(0)
        let r = respond(middleware, calls: calls)
        #expect(r.status == .serviceUnavailable)
        #expect(calls.withLock { $0 } == 0)
    }
}
