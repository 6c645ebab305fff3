import Foundation
import HTTP
import Kernel
import Testing

@testable import AIProxy

/// Gateway errors render as problem+json with OpenAI's `error` member.
@Suite struct GatewayProblemTests {
    func body(_ error: GatewayError) throws -> (status: Int, json: JSONValue, headers: HTTPFields) {
        let response = error.problem(now: try #require(ISO8601DateFormatter().date(from: "2026-11-24T23:00:00Z")))
            .response(instance: "/v1/ai/chat/completions", requestID: "req-1")
        guard case .bytes(let bytes) = response.body else { throw GatewayTestFailure("not bytes") }
        return (response.status.code, try JSONValue(parsing: bytes), response.headers)
    }

    @Test func noProvider() throws {
        let (status, json, headers) = try body(.noProvider)
        #expect(status == 503)
        #expect(headers[.contentType] == "application/problem+json")
        #expect(json["status"] == 503)
        #expect(json["request_id"] == "req-1")
        #expect(json["instance"] == "/v1/ai/chat/completions")
        #expect(json["detail"]?.stringValue?.contains("AI_PROVIDERS") == true)
        #expect(json["error"]?["message"] == json["detail"])
        #expect(json["error"]?["type"] == "server_error")
        #expect(json["error"]?["code"] == "no_provider")
        #expect(json["error"]?["param"] == .null)
    }

    @Test func unknownModelAndInvalid() throws {
        let (status, json, _) = try body(.unknownModel("gpt-9"))
        #expect(status == 404)
        #expect(json["error"]?["code"] == "model_not_found")
        #expect(json["error"]?["param"] == "model")
        let (s2, j2, _) = try body(.invalidRequest(field: "n", message: "Only n = 1 is supported."))
        #expect(s2 == 400)
        #expect(j2["error"]?["param"] == "n")
        #expect(j2["error"]?["type"] == "invalid_request_error")
        #expect(j2["errors"]?.arrayValue?.first?["field"] == "n")
    }

    @Test func budgets() throws {
        let tokens = BudgetBreach(subject: .apiKey, period: .day, limit: .tokens, maximum: 100, used: 120)
        let (status, json, headers) = try body(.budgetExceeded(tokens))
        #expect(status == 429)
        #expect(headers[.retryAfter] == "3600")
        #expect(json["budget"]?["subject"] == "api_key")
        #expect(json["budget"]?["period"] == "day")
        #expect(json["budget"]?["used"] == 120)
        #expect(json["budget"]?["maximum"] == 100)
        #expect(json["error"]?["code"] == "token_budget_exceeded")
        let money = BudgetBreach(subject: .user, period: .month, limit: .cost, maximum: 5, used: 5)
        let (s2, j2, _) = try body(.budgetExceeded(money))
        #expect(s2 == 402)
        #expect(j2["detail"]?.stringValue?.contains("monthly cost budget") == true)
        #expect(j2["error"]?["type"] == "insufficient_quota")
    }

    @Test func upstream() throws {
        #expect(try body(.allProvidersFailed(lastError: "x", timedOut: true, circuitsOpen: false)).status == 504)
        #expect(try body(.allProvidersFailed(lastError: "x", timedOut: false, circuitsOpen: true)).status == 503)
        let failed = try body(
            .allProvidersFailed(lastError: "secret-host:8080 refused", timedOut: false, circuitsOpen: false))
        #expect(failed.status == 502)
        #expect(!String(decoding: failed.json.bytes, as: UTF8.self).contains("secret-host"))
        #expect(try body(.upstreamRejected(.badRequest, message: "bad")).status == 400)
        #expect(try body(.upstreamRejected(.unauthorized, message: "key")).status == 502)
    }

    @Test func requestValidation() throws {
        func invalid(_ text: String) -> String? {
            do {
                _ = try ChatRequest.parse(Array(text.utf8))
                return nil
            } catch {
                if case .invalidRequest(let field, _) = error { return field ?? "body" }
                return "other"
            }
        }
        #expect(invalid(#"{"messages":[{"role":"user","content":"hi"}]}"#) == nil)
        #expect(invalid(#"{"messages":[]}"#) == "messages")
        #expect(invalid(#"{"model":"m"}"#) == "messages")
        #expect(invalid(#"{"messages":[{"role":"robot","content":"hi"}]}"#) == "messages[0].role")
        #expect(invalid(#"{"messages":[{"role":"user"}]}"#) == "messages[0].content")
        #expect(invalid(#"{"messages":[{"role":"assistant","tool_calls":[]}]}"#) == nil)
        #expect(invalid(#"{"messages":[{"role":"user","content":"hi"}],"n":2}"#) == "n")
        #expect(invalid(#"{"messages":[{"role":"user","content":"hi"}],"temperature":2.5}"#) == "temperature")
        #expect(invalid(#"{"messages":[{"role":"user","content":"hi"}],"stream":"yes"}"#) == "stream")
        #expect(
            invalid(#"{"messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}"#)
                == "stream_options")
        #expect(invalid(#"{"messages":[{"role":"user","content":"hi"}],"model":7}"#) == "model")
        #expect(invalid("not json") == "body")
        let ok = try ChatRequest.parse(
            Array(#"{"messages":[{"role":"user","content":"hi"}],"temperature":0,"custom":{"x":1}}"#.utf8))
        #expect(ok.isCacheable)
        #expect(ok.body["custom"]?["x"] == 1)
    }
}

struct GatewayTestFailure: Error {
    let description: String
    init(_ d: String) { description = d }
}
