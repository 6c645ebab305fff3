import Foundation
import Kernel
import Postgres

/// The gateway's section of a user's data export: every usage row (with the stored prompt and
/// answer when `AI_STORE_PROMPTS` kept them) and the budgets shown to the user.
enum UsageAccountData {
    struct Section: Encodable {
        var version = 1
        var usage: [Row]
        var budgets: [BudgetRow]
    }

    struct Row: Decodable, Encodable {
        var id: String
        var createdAt: Date
        var apiKeyId: String?
        var tripId: String?
        var provider: String
        var model: String
        var promptTokens: Int
        var completionTokens: Int
        var costNanos: Int64
        var currency: String
        var latencyMs: Int
        var cacheHit: Bool
        var status: String
        var stream: Bool
        var prompt: String?
        var answer: String?
    }

    struct BudgetRow: Decodable, Encodable {
        var subject: String
        var subjectId: String
        var period: String
        var maxTokens: Int64?
        var maxCostNanos: Int64?
    }

    static func section(_ userID: UUID, on c: PostgresConnection) throws -> [UInt8] {
        let usage = try c.query(
            """
            SELECT id::text AS id, created_at, api_key_id::text AS api_key_id, trip_id::text AS trip_id, provider,
                model, prompt_tokens, completion_tokens, cost_nanos, currency, latency_ms, cache_hit, status, stream,
                prompt::text AS prompt, answer::text AS answer
            FROM ai_usage WHERE user_id = $1 ORDER BY id
            """, [userID]
        ).decode(Row.self)
        let budgets = try c.query(
            """
            SELECT CASE WHEN user_id IS NULL THEN 'api_key' ELSE 'user' END AS subject,
                coalesce(user_id, api_key_id)::text AS subject_id, period, max_tokens, max_cost_nanos
            FROM ai_budgets WHERE owner_id = $1 ORDER BY id
            """, [userID]
        ).decode(BudgetRow.self)
        return try JSONBody.encode(Section(usage: usage, budgets: budgets))
    }
}
