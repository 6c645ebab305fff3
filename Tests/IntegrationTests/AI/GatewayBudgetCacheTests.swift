import Foundation
import TestSupport
import Testing

@testable import AIProxy

/// Budgets refuse before any upstream call (429 tokens, 402 money, naming the budget); cache hits at
/// temperature 0 never reach the upstream, cost nothing, and stay within one caller.
@Suite struct GatewayBudgetCacheTests {
    @Test func tokenBudgetOnAKey() throws {
        let kit = try GatewayKit()
        let user = try kit.app.register()
        let key = try AccountKit.createKey(kit.app, user.accessToken, scopes: ["ai"])
        let keyID = try #require(
            ((try kit.app.call("GET", "/v1/api-keys", token: user.accessToken)).json["data"] as? [[String: Any]])?
                .first?["id"] as? String)
        // A key may not lift its own limit; its owner may set it from a session.
        let selfService = try kit.app.call(
            "PUT", "/v1/ai/budgets/keys/\(keyID)", json: ["period": "day", "max_tokens": 1_000_000], token: key)
        #expect(selfService.status == 403)
        let stranger = try kit.app.register()
        #expect(
            try kit.app.call(
                "PUT", "/v1/ai/budgets/keys/\(keyID)", json: ["period": "day", "max_tokens": 5],
                token: stranger.accessToken
            ).status == 404)
        let invalid = try kit.app.call(
            "PUT", "/v1/ai/budgets/keys/\(keyID)", json: ["period": "week"], token: user.accessToken)
        #expect(invalid.status == 400)
        #expect(AccountKit.errorFields(invalid) == ["max_tokens", "period"])

        let set = try kit.app.call(
            "PUT", "/v1/ai/budgets/keys/\(keyID)", json: ["period": "day", "max_tokens": 10], token: user.accessToken)
        #expect(set.status == 200)
        #expect(set.json["max_tokens"] as? Int == 10)
        #expect(set.json["used_tokens"] as? Int == 0)

        // Each call: prompt 4 words + completion 5 words ("echo: " + 4 words) = 9 tokens.
        var calls = 0
        var last = try kit.chat(key, GatewayKit.body("w x y z"))
        while last.status == 200, calls < 5 {
            calls += 1
            last = try kit.chat(key, GatewayKit.body("w x y z"))
        }
        #expect(calls == 2)  // 0 → 9 (under 10) → 18: the third is refused
        #expect(last.status == 429)
        #expect(last.header("Content-Type") == "application/problem+json")
        #expect(last.header("Retry-After") != nil)
        let budget = try #require(last.json["budget"] as? [String: Any])
        #expect(budget["subject"] as? String == "api_key")
        #expect(budget["period"] as? String == "day")
        #expect(budget["limit"] as? String == "tokens")
        #expect(budget["used"] as? Int == 18)
        #expect(budget["maximum"] as? Int == 10)
        #expect(last.openAIError?["code"] as? String == "token_budget_exceeded")
        #expect(try kit.upstreamCount() == 2)  // the refused call never left

        // The user's session is not the key: it still works.
        #expect(try kit.chat(user.accessToken, GatewayKit.body()).status == 200)
        let rows = try kit.usageRows(user.id)
        #expect(rows.map(\.status) == ["ok", "ok", "budget", "ok"])
        #expect(rows[2].promptTokens == 0 && rows[2].costNanos == 0)

        let mine = try kit.app.call("GET", "/v1/ai/budgets", token: user.accessToken)
        let listed = try #require((mine.json["data"] as? [[String: Any]])?.first)
        #expect(listed["subject"] as? String == "api_key")
        #expect(listed["used_tokens"] as? Int == 18)

        #expect(
            try kit.app.call("DELETE", "/v1/ai/budgets/keys/\(keyID)?period=day", token: user.accessToken).status
                == 204)
        #expect(try kit.chat(key, GatewayKit.body()).status == 200)
    }

    @Test func costBudgetOnAUser() throws {
        let kit = try GatewayKit()
        let user = try kit.app.register()
        let admin = try kit.app.register()
        try kit.app.promote(admin)
        let adminToken = try AccountKit.accessToken(kit.app, admin)
        #expect(
            try kit.app.call(
                "PUT", "/v1/admin/ai/budgets/users/\(user.id)", json: ["period": "month", "max_cost_nanos": 1],
                token: user.accessToken
            ).status == 403)
        let set = try kit.app.call(
            "PUT", "/v1/admin/ai/budgets/users/\(user.id)", json: ["period": "month", "max_cost_nanos": 1],
            token: adminToken)
        #expect(set.status == 200)
        #expect(
            try kit.app.call(
                "PUT", "/v1/admin/ai/budgets/users/\(UUID().uuidString)", json: ["period": "day", "max_tokens": 1],
                token: adminToken
            ).status == 404)

        #expect(try kit.chat(user.accessToken, GatewayKit.body()).status == 200)
        let refused = try kit.chat(user.accessToken, GatewayKit.body())
        #expect(refused.status == 402)
        let budget = try #require(refused.json["budget"] as? [String: Any])
        #expect(budget["subject"] as? String == "user")
        #expect(budget["period"] as? String == "month")
        #expect(budget["limit"] as? String == "cost")
        #expect(refused.openAIError?["type"] as? String == "insufficient_quota")
        #expect(try kit.upstreamCount() == 1)
    }

    @Test func cacheHitsCostNothing() throws {
        let kit = try GatewayKit()
        let a = try kit.app.register()
        let b = try kit.app.register()
        let body = GatewayKit.body("cache me \(UUID().uuidString)", extra: ["temperature": 0])
        let miss = try kit.chat(a.accessToken, body)
        #expect(miss.status == 200)
        #expect(miss.header("X-Cache") == "MISS")
        let hit = try kit.chat(a.accessToken, body)
        #expect(hit.status == 200)
        #expect(hit.header("X-Cache") == "HIT")
        #expect(hit.header("X-AI-Provider") == "fake")
        #expect(hit.raw.body == miss.raw.body)
        #expect(try kit.upstreamCount() == 1)

        // Another caller never shares the answer.
        let other = try kit.chat(b.accessToken, body)
        #expect(other.header("X-Cache") == "MISS")
        #expect(try kit.upstreamCount() == 2)
        // Cache-Control: no-cache asks afresh; streaming and temperature > 0 are not cached.
        let fresh = try kit.chat(a.accessToken, body, headers: ["Cache-Control: no-cache"])
        #expect(fresh.header("X-Cache") == "MISS")
        #expect(try kit.upstreamCount() == 3)
        var warm = body
        warm["temperature"] = 0.7
        #expect(try kit.chat(a.accessToken, warm).header("X-Cache") == nil)
        #expect(try kit.chat(a.accessToken, warm).header("X-Cache") == nil)
        #expect(try kit.upstreamCount() == 5)

        let rows = try kit.usageRows(a.id)
        #expect(rows.map(\.cacheHit) == [false, true, false, false, false])
        #expect(rows[1].costNanos == 0 && rows[1].promptTokens == 0 && rows[1].completionTokens == 0)
        #expect(rows[0].costNanos > 0)
        let report = try kit.app.call("GET", "/v1/ai/usage?group_by=model", token: a.accessToken)
        let totals = try #require(report.json["totals"] as? [String: Any])
        #expect(totals["cache_hits"] as? Int == 1)
        #expect(totals["requests"] as? Int == 5)
        #expect(totals["cost_nanos"] as? Int == Int(rows.map(\.costNanos).reduce(0, +)))
    }
}
