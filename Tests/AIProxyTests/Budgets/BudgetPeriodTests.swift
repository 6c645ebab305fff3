import Foundation
import Testing

@testable import AIProxy

/// Budget periods are UTC calendar days and months; a budget is breached once used reaches the limit.
@Suite struct BudgetPeriodTests {
    func date(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text))
    }

    @Test func dayAndMonthBounds() throws {
        let t = try date("2026-11-24T23:59:59Z")
        #expect(BudgetPeriod(.day).start(containing: t) == (try date("2026-11-24T00:00:00Z")))
        #expect(BudgetPeriod(.day).end(containing: t) == (try date("2026-11-25T00:00:00Z")))
        #expect(BudgetPeriod(.month).start(containing: t) == (try date("2026-11-01T00:00:00Z")))
        #expect(BudgetPeriod(.month).end(containing: t) == (try date("2026-12-01T00:00:00Z")))
        let december = try date("2026-12-31T12:00:00Z")
        #expect(BudgetPeriod(.month).end(containing: december) == (try date("2027-01-01T00:00:00Z")))
        let leap = try date("2028-02-29T08:00:00Z")
        #expect(BudgetPeriod(.day).end(containing: leap) == (try date("2028-03-01T00:00:00Z")))
        // Midnight belongs to the day it starts.
        let midnight = try date("2026-11-25T00:00:00Z")
        #expect(BudgetPeriod(.day).start(containing: midnight) == midnight)
    }

    @Test func breach() throws {
        let id = UUID()
        let budget = Budget(subject: .apiKey, subjectID: id, period: .day, maxTokens: 100, maxCostNanos: 5_000)
        #expect(budget.breach(usedTokens: 99, usedCostNanos: 4_999) == nil)
        #expect(budget.breach(usedTokens: 100, usedCostNanos: 0)?.limit == .tokens)
        let money = budget.breach(usedTokens: 10, usedCostNanos: 5_000)
        #expect(money?.limit == .cost)
        #expect(money?.subject == .apiKey)
        #expect(money?.maximum == 5_000)
        let costOnly = Budget(subject: .user, subjectID: id, period: .month, maxTokens: nil, maxCostNanos: 1)
        #expect(costOnly.breach(usedTokens: 1_000_000, usedCostNanos: 0) == nil)
    }

    @Test func usageQueryDates() throws {
        #expect(UsageReport.parseDate("2026-02-28") == (try date("2026-02-28T00:00:00Z")))
        #expect(UsageReport.parseDate("2026-02-30") == nil)
        #expect(UsageReport.parseDate("2026-2-28") == nil)
        #expect(UsageReport.parseDate("+026-02-28") == nil)
        #expect(UsageReport.format(try date("2026-03-05T10:00:00Z")) == "2026-03-05")
    }
}
