import Foundation

/// A budget's period: the UTC calendar day or month that contains an instant. Budgets reset at UTC
/// midnight (day) and at 00:00 UTC on the 1st (month), whatever the caller's time zone, so every
/// replica and every report agrees on which calls a period holds.
struct BudgetPeriod: Sendable, Equatable {
    let period: BudgetBreach.Period

    init(_ period: BudgetBreach.Period) {
        self.period = period
    }

    /// Gregorian in UTC; a value, so sharing it between threads is safe.
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? c.timeZone
        return c
    }()

    /// The first instant of the period containing `date`.
    func start(containing date: Date) -> Date {
        let c = Self.calendar
        let parts = c.dateComponents(period == .day ? [.year, .month, .day] : [.year, .month], from: date)
        return c.date(from: parts) ?? date
    }

    /// The first instant of the next period (when the budget resets).
    func end(containing date: Date) -> Date {
        let begin = start(containing: date)
        return Self.calendar.date(byAdding: period == .day ? .day : .month, value: 1, to: begin) ?? begin
    }
}
