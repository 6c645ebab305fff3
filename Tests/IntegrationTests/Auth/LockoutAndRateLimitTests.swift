import Foundation
import Kernel
import Testing

/// Per-address lock-out after failed sign-ins, and the Redis rate limits per IP and per principal.
@Suite struct LockoutAndRateLimitTests {
    func login(_ app: LeakCheckedApp, _ email: String, _ password: String) throws -> APIResponse {
        try app.call("POST", "/v1/auth/login", json: ["email": email, "password": password])
    }

    /// A 429 problem with a `Retry-After` of at least one second; returns the problem minus per-request parts.
    func expectLockedOut(_ r: APIResponse, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(r.status == 429, "\(r.text)", sourceLocation: sourceLocation)
        #expect(isProblem(r), "\(r.text)", sourceLocation: sourceLocation)
        let retry = r.header("Retry-After").flatMap { Int($0) }
        #expect(
            retry.map { $0 >= 1 && $0 <= 60 } == true, "Retry-After \(retry.map(String.init) ?? "none")",
            sourceLocation: sourceLocation)
        #expect(r.string("access_token") == nil, sourceLocation: sourceLocation)
        return problemCore(r)
    }

    @Test func failedSignInsLockAnAddressKnownOrNot() throws {
        let app = try LeakCheckedApp { $0.auth.lockoutThreshold = 3 }
        let a = try app.register()
        let ghost = "ghost-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        for attempt in 1...3 {
            #expect(try login(app, a.email, "wrong password \(attempt)").status == 401, "attempt \(attempt)")
            #expect(try login(app, ghost, "wrong password \(attempt)").status == 401, "attempt \(attempt)")
        }
        // Locked: even the right password is refused, and the unknown address looks the same.
        let locked = try login(app, a.email, a.password)
        let lockedCore = expectLockedOut(locked)
        let ghostLocked = try login(app, ghost, "a fine long password")
        #expect(expectLockedOut(ghostLocked) == lockedCore)
        // Typed differently, still the same address.
        _ = expectLockedOut(try login(app, " " + a.email.uppercased(), a.password))

        // The lock is per address: another account signs in.
        let b = try app.register()
        #expect(try login(app, b.email, b.password).status == 200)
        // And the locked account's existing session still works (a lock-out is not a revocation).
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).status == 200)

        // Once the lock has passed (moved into the past here, not waited for), the password works
        // and the count starts over.
        let moved = try app.app.database.pool.execute(
            "UPDATE login_failures SET locked_until = now() - interval '1 second'")
        #expect(moved == 2)
        #expect(try login(app, a.email, a.password).status == 200)
        let left = try app.app.database.pool.query("SELECT count(*)::int FROM login_failures")
        #expect(try left.first?.decode(0, as: Int.self) == 1)  // the ghost's, still counting
    }

    @Test func aSuccessBeforeTheThresholdResetsTheCount() throws {
        let app = try LeakCheckedApp { $0.auth.lockoutThreshold = 3 }
        let a = try app.register()
        for round in 1...3 {
            for attempt in 1...2 {
                let r = try login(app, a.email, "wrong \(round)-\(attempt) password")
                #expect(r.status == 401, "round \(round) attempt \(attempt): \(r.text)")
            }
            let ok = try login(app, a.email, a.password)
            #expect(ok.status == 200, "round \(round): \(ok.text)")
        }
        // Without the resets that was 6 failures; now a third failure in a row is what locks.
        #expect(try login(app, a.email, "wrong again password").status == 401)
        #expect(try login(app, a.email, "wrong again password").status == 401)
        #expect(try login(app, a.email, "wrong again password").status == 401)
        _ = expectLockedOut(try login(app, a.email, a.password))
    }

    /// The 429 of a rate limit: `Retry-After`, the RateLimit headers naming the policy, a problem body.
    func expectRateLimited(
        _ r: APIResponse, policy: RateLimitPolicy, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(r.status == 429, "\(r.text)", sourceLocation: sourceLocation)
        #expect(isProblem(r), "\(r.text)", sourceLocation: sourceLocation)
        let retry = r.header("Retry-After").flatMap { Int($0) }
        #expect(
            retry.map { $0 >= 1 } == true, "Retry-After \(r.header("Retry-After") ?? "none")",
            sourceLocation: sourceLocation)
        #expect(
            r.header("RateLimit-Policy") == "\"\(policy.name)\";q=\(policy.limit);w=60",
            "\(r.header("RateLimit-Policy") ?? "none")", sourceLocation: sourceLocation)
        let limit = r.header("RateLimit") ?? ""
        #expect(limit.hasPrefix("\"\(policy.name)\";r=0;t="), "RateLimit \(limit)", sourceLocation: sourceLocation)
    }

    @Test func loginIsLimitedPerIP() throws {
        let app = try LeakCheckedApp {
            $0.auth.loginLimit = RateLimitPolicy(name: $0.auth.loginLimit.name, limit: 3, window: .seconds(60))
        }
        let policy = app.app.config.auth.loginLimit
        let a = try app.register()
        for i in 1...3 {
            // Different addresses, so the per-address lock-out cannot be what answers.
            let r = try login(app, "someone-\(i)@example.com", "a wrong password")
            #expect(r.status == 401, "\(i): \(r.text)")
        }
        let limited = try login(app, a.email, a.password)
        expectRateLimited(limited, policy: policy)
        #expect(limited.string("access_token") == nil)
        // Other routes have their own limits.
        #expect(try app.call("GET", "/v1/me", token: a.accessToken).status == 200)
    }

    @Test func registerIsLimitedPerIP() throws {
        let app = try LeakCheckedApp {
            $0.auth.registerLimit = RateLimitPolicy(name: $0.auth.registerLimit.name, limit: 3, window: .seconds(60))
        }
        let policy = app.app.config.auth.registerLimit
        for _ in 1...3 { _ = try app.register() }
        let email = "fourth@example.com"
        let limited = try app.call(
            "POST", "/v1/auth/register",
            json: ["email": email, "password": "a fine long password", "display_name": "F"])
        expectRateLimited(limited, policy: policy)
        let exists = try app.app.database.pool.query("SELECT count(*)::int FROM users WHERE email = $1", [email])
        #expect(try exists.first?.decode(0, as: Int.self) == 0)
    }

    @Test func theAPIIsLimitedPerPrincipal() throws {
        let app = try LeakCheckedApp {
            $0.auth.apiLimit = RateLimitPolicy(name: $0.auth.apiLimit.name, limit: 3, window: .seconds(60))
        }
        let policy = app.app.config.auth.apiLimit
        let a = try app.register()
        let b = try app.register()
        for i in 1...3 {
            #expect(try app.call("GET", "/v1/me", token: a.accessToken).status == 200, "\(i)")
        }
        let limited = try app.call("GET", "/v1/me", token: a.accessToken)
        expectRateLimited(limited, policy: policy)
        #expect(limited.string("id") == nil)
        // Another user from the same address is not affected.
        let other = try app.call("GET", "/v1/me", token: b.accessToken)
        #expect(other.status == 200, "\(other.text)")
        #expect(other.string("id") == b.id)
    }
}
