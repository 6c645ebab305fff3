import Foundation
import Kernel
import Postgres

/// `ai_budgets`: reading a caller's limits, comparing them with `ai_usage`, and changing them.
///
/// The check runs before every upstream call. A caller without budgets costs one indexed query that
/// finds nothing; one with budgets first waits for the usage writer to commit what it holds (so the
/// sums are exact within this process), then sums its period's usage per budget. Calls already in
/// flight are not counted until they finish, so concurrent calls may overshoot a budget by their own
/// usage — as with any check-before-call gateway.
final class BudgetStore: Sendable {
    let pool: PostgresPool
    let usage: UsageWriter

    init(pool: PostgresPool, usage: UsageWriter) {
        self.pool = pool
        self.usage = usage
    }

    /// The budgets that apply to `caller`: the user's, and the calling key's.
    func budgets(for caller: AICaller) throws -> [Budget] {
        let rows = try pool.query(
            """
            SELECT user_id, api_key_id, period, max_tokens, max_cost_nanos FROM ai_budgets
            WHERE user_id = $1 OR api_key_id = $2
            """, [caller.userID, caller.apiKeyID])
        return try rows.map { try Self.budget($0) }
    }

    /// The first budget `caller` has used up, or nil.
    func check(_ caller: AICaller, now: Date = Date()) throws -> BudgetBreach? {
        let budgets = try budgets(for: caller)
        guard !budgets.isEmpty else { return nil }
        usage.flush()
        for budget in budgets {
            let (tokens, cost) = try used(budget, now: now)
            if let breach = budget.breach(usedTokens: tokens, usedCostNanos: cost) { return breach }
        }
        return nil
    }

    /// Tokens and cost spent against `budget` in the period containing `now`.
    func used(_ budget: Budget, now: Date) throws -> (tokens: Int64, costNanos: Int64) {
        let period = BudgetPeriod(budget.period)
        let column = budget.subject == .user ? "user_id" : "api_key_id"
        let row = try pool.query(
            """
            SELECT coalesce(sum(prompt_tokens + completion_tokens), 0)::bigint AS tokens,
                coalesce(sum(cost_nanos), 0)::bigint AS cost
            FROM ai_usage WHERE \(column) = $1 AND created_at >= $2 AND created_at < $3
            """, [budget.subjectID, period.start(containing: now), period.end(containing: now)])[0]
        return (try row.decode(0, as: Int64.self), try row.decode(1, as: Int64.self))
    }

    /// Creates or replaces the budget of `subject` for its period. `owner` is the user whose budget
    /// list shows it (the user, or the key's owner).
    func put(_ budget: Budget, owner: UUID) throws {
        let (userID, keyID): (UUID?, UUID?) =
            budget.subject == .user ? (budget.subjectID, nil) : (nil, budget.subjectID)
        let conflict =
            budget.subject == .user
            ? "(user_id, period) WHERE user_id IS NOT NULL" : "(api_key_id, period) WHERE api_key_id IS NOT NULL"
        try pool.execute(
            """
            INSERT INTO ai_budgets (id, user_id, api_key_id, owner_id, period, max_tokens, max_cost_nanos)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT \(conflict) DO UPDATE SET max_tokens = EXCLUDED.max_tokens,
                max_cost_nanos = EXCLUDED.max_cost_nanos, updated_at = now()
            """,
            [
                UUIDv7.make(), userID, keyID, owner, budget.period.rawValue, budget.maxTokens, budget.maxCostNanos,
            ])
    }

    /// Removes the budget(s) of a subject (one period, or both); false when there was none.
    func delete(subject: BudgetBreach.Subject, id: UUID, period: BudgetBreach.Period?) throws -> Bool {
        let column = subject == .user ? "user_id" : "api_key_id"
        return try pool.execute(
            "DELETE FROM ai_budgets WHERE \(column) = $1 AND ($2::text IS NULL OR period = $2)",
            [id, period?.rawValue]) > 0
    }

    /// Every budget shown to `userID`: on the user, and on the user's keys.
    func owned(by userID: UUID) throws -> [Budget] {
        try pool.query(
            """
            SELECT user_id, api_key_id, period, max_tokens, max_cost_nanos FROM ai_budgets
            WHERE owner_id = $1 ORDER BY api_key_id NULLS FIRST, period
            """, [userID]
        ).map { try Self.budget($0) }
    }

    private static func budget(_ row: PostgresRow) throws -> Budget {
        let user: UUID? = try row.decode(0)
        let key: UUID? = try row.decode(1)
        guard let period = BudgetBreach.Period(rawValue: try row.decode(2)), let id = user ?? key else {
            throw PostgresDecodingFailure("ai_budgets row without subject or period")
        }
        return Budget(
            subject: user != nil ? .user : .apiKey, subjectID: id, period: period, maxTokens: try row.decode(3),
            maxCostNanos: try row.decode(4))
    }
}
