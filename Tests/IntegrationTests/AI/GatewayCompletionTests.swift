import Foundation
import TestSupport
import Testing

@testable import AIProxy

/// `POST /v1/ai/chat/completions` and `GET /v1/ai/models` over real sockets against a local
/// OpenAI-compatible upstream: pass-through, errors in both problem+json and OpenAI shape, usage
/// accounting that adds up exactly, and the usage report.
@Suite struct GatewayCompletionTests {
    @Test func completionPassesThroughAndAddsUp() throws {
        let kit = try GatewayKit()
        let user = try kit.app.register()
        let trip = try kit.createTrip(user.accessToken)
        let first = try kit.chat(
            user.accessToken, GatewayKit.body("plan a day in Lyon", extra: ["x_custom": ["keep": 1], "seed": 7]),
            headers: ["X-Trip-ID: \(trip.uuidString)"])
        #expect(first.status == 200)
        #expect(first.header("Content-Type") == "application/json")
        #expect(first.header("X-AI-Provider") == "fake")
        #expect(first.header("X-Cache") == nil)  // temperature absent: not cacheable
        #expect(first.string("object") == "chat.completion")
        let message = ((first.json["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])
        #expect(message?["content"] as? String == "echo: plan a day in Lyon")
        let upstream = try #require(try kit.fake.requests().last?["body"] as? [String: Any])
        #expect((upstream["x_custom"] as? [String: Any])?["keep"] as? Int == 1)
        #expect(upstream["seed"] as? Int == 7)
        #expect(upstream["model"] as? String == "fake-small")

        let second = try kit.chat(
            user.accessToken, GatewayKit.body("a b c d e f", model: "fake-large", extra: ["max_tokens": 50]))
        #expect(second.status == 200)

        // Rows equal what the upstream reported; cost = tokens × price exactly.
        let rows = try kit.usageRows(user.id)
        #expect(rows.count == 2)
        let reported = [first, second].map { ($0.json["usage"] as? [String: Any]) ?? [:] }
        for (row, usage) in zip(rows, reported) {
            #expect(row.promptTokens == usage["prompt_tokens"] as? Int)
            #expect(row.completionTokens == usage["completion_tokens"] as? Int)
            #expect(row.status == "ok")
            #expect(!row.cacheHit)
            #expect(row.provider == "fake")
        }
        #expect(rows[0].tripID == trip)
        #expect(rows[1].tripID == nil)
        #expect(
            rows[0].costNanos
                == GatewayKit.smallPrice.costNanos(input: rows[0].promptTokens, output: rows[0].completionTokens))
        #expect(
            rows[1].costNanos
                == GatewayKit.largePrice.costNanos(input: rows[1].promptTokens, output: rows[1].completionTokens))
        #expect(rows[1].costNanos > 0)

        // The report groups the same numbers.
        let byModel = try kit.app.call("GET", "/v1/ai/usage?group_by=model", token: user.accessToken)
        #expect(byModel.status == 200)
        let groups = try #require(byModel.json["data"] as? [[String: Any]])
        #expect(groups.map { $0["key"] as? String } == ["fake-large", "fake-small"])
        #expect(groups[1]["prompt_tokens"] as? Int == rows[0].promptTokens)
        #expect(groups[0]["cost_nanos"] as? Int == Int(rows[1].costNanos))
        #expect(groups[0]["currency"] as? String == "USD")
        let totals = try #require(byModel.json["totals"] as? [String: Any])
        #expect(totals["requests"] as? Int == 2)
        #expect(totals["cost_nanos"] as? Int == Int(rows[0].costNanos + rows[1].costNanos))
        #expect(totals["prompt_tokens"] as? Int == rows[0].promptTokens + rows[1].promptTokens)

        let byTrip = try kit.app.call("GET", "/v1/ai/usage?group_by=trip", token: user.accessToken)
        let tripGroups = try #require(byTrip.json["data"] as? [[String: Any]])
        #expect(tripGroups.count == 2)
        #expect(tripGroups[0]["key"] as? String == trip.uuidString.lowercased())
        #expect(tripGroups[0]["cost_nanos"] as? Int == Int(rows[0].costNanos))
        #expect(tripGroups[1]["key"] is NSNull)

        let today = UsageReport.format(Date())
        let byDay = try kit.app.call("GET", "/v1/ai/usage?from=\(today)&to=\(today)", token: user.accessToken)
        let days = try #require(byDay.json["data"] as? [[String: Any]])
        #expect(days.count == 1)
        #expect(days.first?["key"] as? String == today)
        #expect(days.first?["requests"] as? Int == 2)

        // The rows are part of the user's data export.
        let sections = try kit.app.database.pool.withConnection { c in
            try kit.app.services.accountData.collect(try #require(UUID(uuidString: user.id)), on: c)
        }
        let section = try #require(sections.first { $0.name == "ai_usage" })
        let exported = try #require(GatewayKit.object(String(decoding: section.json, as: UTF8.self)))
        #expect((exported["usage"] as? [Any])?.count == 2)

        // Someone else sees none of it; an admin sees it with user_id.
        let other = try kit.app.register()
        let theirs = try kit.app.call("GET", "/v1/ai/usage", token: other.accessToken)
        #expect((theirs.json["totals"] as? [String: Any])?["requests"] as? Int == 0)
        #expect(try kit.app.call("GET", "/v1/admin/ai/usage", token: other.accessToken).status == 403)
        try kit.app.promote(other)
        let adminToken = try AccountKit.accessToken(kit.app, other)
        let admin = try kit.app.call("GET", "/v1/admin/ai/usage?user_id=\(user.id)", token: adminToken)
        #expect((admin.json["totals"] as? [String: Any])?["requests"] as? Int == 2)

        let bad = try kit.app.call("GET", "/v1/ai/usage?from=2026-13-01&group_by=week", token: user.accessToken)
        #expect(bad.status == 400)
        #expect(AccountKit.errorFields(bad) == ["from", "group_by"])
        #expect(bad.openAIError?["type"] as? String == "invalid_request_error")
    }

    @Test func noProviderIsA503Problem() throws {
        let app = try AuthApp()
        let user = try app.register()
        let r = try app.call(
            "POST", "/v1/ai/chat/completions", json: GatewayKit.body(), token: user.accessToken)
        #expect(r.status == 503)
        #expect(r.header("Content-Type") == "application/problem+json")
        #expect(r.string("detail")?.contains("AI_PROVIDERS") == true)
        #expect(r.string("request_id")?.isEmpty == false)
        #expect(r.openAIError?["message"] as? String == r.string("detail"))
        #expect(r.openAIError?["code"] as? String == "no_provider")
        let models = try app.call("GET", "/v1/ai/models", token: user.accessToken)
        #expect(models.status == 200)
        #expect(models.string("object") == "list")
        #expect((models.json["data"] as? [Any])?.isEmpty == true)
    }

    @Test func authenticationScopesAndValidation() throws {
        let kit = try GatewayKit()
        let user = try kit.app.register()
        let anonymous = try kit.app.call("POST", "/v1/ai/chat/completions", json: GatewayKit.body())
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(anonymous.openAIError?["type"] as? String == "authentication_error")

        let readOnly = try AccountKit.createKey(kit.app, user.accessToken, scopes: ["trips:read"])
        let refused = try kit.chat(readOnly, GatewayKit.body())
        #expect(refused.status == 403)
        #expect(refused.openAIError?["type"] as? String == "permission_error")
        let aiKey = try AccountKit.createKey(kit.app, user.accessToken, scopes: ["ai"])
        #expect(try kit.chat(aiKey, GatewayKit.body()).status == 200)
        #expect(try kit.upstreamCount() == 1)

        let unknown = try kit.chat(aiKey, GatewayKit.body(model: "gpt-9"))
        #expect(unknown.status == 404)
        #expect(unknown.openAIError?["code"] as? String == "model_not_found")
        #expect(unknown.openAIError?["param"] as? String == "model")
        let two = try kit.chat(aiKey, GatewayKit.body(extra: ["n": 2]))
        #expect(two.status == 400)
        #expect(two.openAIError?["param"] as? String == "n")
        let hot = try kit.chat(aiKey, GatewayKit.body(extra: ["temperature": 3]))
        #expect(hot.openAIError?["param"] as? String == "temperature")
        let badTrip = try kit.chat(aiKey, GatewayKit.body(), headers: ["X-Trip-ID: nope"])
        #expect(badTrip.status == 400)
        #expect(try kit.upstreamCount() == 1)  // nothing invalid went upstream

        // No model: the first configured one.
        let defaulted = try kit.chat(aiKey, GatewayKit.body(model: nil))
        #expect(defaulted.status == 200)
        #expect(defaulted.string("model") == "fake-small")

        let models = try kit.app.call("GET", "/v1/ai/models", token: aiKey)
        let ids = (models.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == ["fake-small", "fake-large"])
        #expect((models.json["data"] as? [[String: Any]])?.first?["owned_by"] as? String == "fake")
        #expect(try kit.app.call("GET", "/v1/ai/models", token: readOnly).status == 403)
    }

    @Test func upstreamFailureIsAProblemAndARow() throws {
        let kit = try GatewayKit()
        let user = try kit.app.register()
        try kit.fake.script([["status": 500], ["status": 500]])
        let failed = try kit.chat(user.accessToken, GatewayKit.body())
        #expect(failed.status == 502)
        #expect(failed.header("Content-Type") == "application/problem+json")
        #expect(failed.openAIError?["type"] as? String == "server_error")
        let streamed = try kit.chat(user.accessToken, GatewayKit.body(extra: ["stream": true]))
        #expect(streamed.status == 502)
        #expect(streamed.header("Content-Type") == "application/problem+json")
        let rows = try kit.usageRows(user.id)
        #expect(rows.map(\.status) == ["error", "error"])
        #expect(rows.allSatisfy { $0.costNanos == 0 && $0.promptTokens == 0 })
        #expect(rows.map(\.stream) == [false, true])
    }

    @Test func redactionBeforeTheUpstream() throws {
        let kit = try GatewayKit()
        let user = try kit.app.register()
        let r = try kit.chat(
            user.accessToken,
            GatewayKit.body("Mail jane.doe@example.com or call +33 6 12 34 56 78 about the 2026-11-24 train"))
        #expect(r.status == 200)
        let sent = try #require(
            ((try kit.fake.requests().last?["body"] as? [String: Any])?["messages"] as? [[String: Any]])?.first?[
                "content"] as? String)
        #expect(sent == "Mail [email] or call [phone] about the 2026-11-24 train")
    }
}
