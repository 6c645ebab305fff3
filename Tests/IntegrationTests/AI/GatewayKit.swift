import Foundation
import Kernel
import TestSupport

@testable import AIProxy

/// An app whose gateway talks to a `FakeLLM` ("fake": fake-small and fake-large, priced), with short
/// retry delays, and helpers for chat calls, SSE bodies and usage rows.
final class GatewayKit: @unchecked Sendable {  // immutable after init
    let fake: FakeLLM
    let app: AuthApp

    /// Nano-units per token: fake-small 1,000 in / 2,000 out; fake-large 5,000 / 10,000.
    static let smallPrice = AISettings.Price(inputNanosPerToken: 1_000, outputNanosPerToken: 2_000)
    static let largePrice = AISettings.Price(inputNanosPerToken: 5_000, outputNanosPerToken: 10_000)

    init(maxRetries: Int = 0, configure: (inout AppConfig) -> Void = { _ in }) throws {
        let fake = try FakeLLM()
        self.fake = fake
        app = try AuthApp { config in
            config.ai.providers = [
                AISettings.Provider(
                    name: "fake", kind: .openai, baseURL: fake.baseURL, models: ["fake-small", "fake-large"],
                    prices: ["fake-small": Self.smallPrice, "fake-large": Self.largePrice])
            ]
            config.ai.maxRetries = maxRetries
            config.ai.retryBaseDelay = .milliseconds(5)
            config.ai.timeout = .seconds(10)
            configure(&config)
        }
    }

    /// A chat completion request body with one user message (unique per call unless `text` is given).
    static func body(
        _ text: String = "hello \(UUID().uuidString.prefix(8))", model: String? = "fake-small",
        extra: [String: Any] = [:]
    ) -> [String: Any] {
        var body: [String: Any] = ["messages": [["role": "user", "content": text]]]
        if let model { body["model"] = model }
        for (k, v) in extra { body[k] = v }
        return body
    }

    @discardableResult
    func chat(_ token: String, _ body: [String: Any], headers: [String] = []) throws -> APIResponse {
        try app.call("POST", "/v1/ai/chat/completions", json: body, token: token, headers: headers)
    }

    /// A trip owned by the token's user (`X-Trip-ID` only names trips the caller belongs to).
    func createTrip(_ token: String) throws -> UUID {
        let r = try app.call(
            "POST", "/v1/trips",
            json: [
                "title": "Lyon", "start_date": "2027-05-01", "end_date": "2027-05-03", "timezone": "Europe/Paris",
                "currency": "EUR",
            ], token: token)
        guard let id = r.string("id").flatMap(UUID.init(uuidString:)) else {
            throw TestFailure("creating a trip answered \(r.status): \(r.text)")
        }
        return id
    }

    /// Chat requests the fake has received.
    func upstreamCount() throws -> Int { try fake.requests().count }

    /// Commits the queued usage rows.
    func flush() { app.ai.gateway.usage.flush() }

    struct UsageRow {
        var promptTokens: Int
        var completionTokens: Int
        var costNanos: Int64
        var cacheHit: Bool
        var status: String
        var stream: Bool
        var tripID: UUID?
        var apiKeyID: UUID?
        var provider: String
        var model: String
    }

    /// The user's usage rows, oldest first.
    func usageRows(_ userID: String) throws -> [UsageRow] {
        flush()
        guard let id = UUID(uuidString: userID) else { throw TestFailure("not a user id: \(userID)") }
        return try app.database.pool.query(
            """
            SELECT prompt_tokens, completion_tokens, cost_nanos, cache_hit, status, stream, trip_id, api_key_id,
                provider, model
            FROM ai_usage WHERE user_id = $1 ORDER BY id
            """, [id]
        ).map { row in
            UsageRow(
                promptTokens: try row.decode(0), completionTokens: try row.decode(1), costNanos: try row.decode(2),
                cacheHit: try row.decode(3), status: try row.decode(4), stream: try row.decode(5),
                tripID: try row.decode(6), apiKeyID: try row.decode(7), provider: try row.decode(8),
                model: try row.decode(9))
        }
    }

    /// The `data:` payloads of an SSE body, in order (`[DONE]` included as text).
    static func events(_ body: [UInt8]) -> [String] {
        String(decoding: body, as: UTF8.self).components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n").filter { $0.hasPrefix("data: ") }
            return lines.isEmpty ? nil : lines.map { String($0.dropFirst(6)) }.joined(separator: "\n")
        }
    }

    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}

extension APIResponse {
    /// OpenAI's `error` member of a problem.
    var openAIError: [String: Any]? { json["error"] as? [String: Any] }
}
