import Foundation

/// A spending limit on a user or on one API key for a UTC day or month: tokens, money (nano-units of
/// `AI_CURRENCY`), or both. A limit that is nil does not apply.
struct Budget: Sendable, Equatable {
    var subject: BudgetBreach.Subject
    /// The user's or the key's id.
    var subjectID: UUID
    var period: BudgetBreach.Period
    var maxTokens: Int64?
    var maxCostNanos: Int64?

    /// The first limit that `used` has reached (tokens before money), or nil.
    func breach(usedTokens: Int64, usedCostNanos: Int64) -> BudgetBreach? {
        if let maxTokens, usedTokens >= maxTokens {
            return BudgetBreach(
                subject: subject, period: period, limit: .tokens, maximum: maxTokens, used: usedTokens)
        }
        if let maxCostNanos, usedCostNanos >= maxCostNanos {
            return BudgetBreach(
                subject: subject, period: period, limit: .cost, maximum: maxCostNanos, used: usedCostNanos)
        }
        return nil
    }
}
