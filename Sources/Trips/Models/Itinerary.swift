import Foundation

/// `GET /v1/trips/{id}/itinerary`: the trip and its days in order, each with its ordered items, cost
/// totals and walking distances. The same bytes for every member, so one cached copy serves them all.
public struct ItineraryView: Encodable, Sendable {
    public var trip: TripView
    public var days: [DayView]
    /// Items without a day (ideas), in their own order.
    public var unscheduled: [ItineraryEntry]
    public var costTotals: [MoneyAmount]
    public var distanceM: Int
}

/// One day of an itinerary.
public struct DayView: Encodable, Sendable {
    public var date: CalendarDate
    public var items: [ItineraryEntry]
    /// One total per currency used that day, the trip currency first.
    public var costTotals: [MoneyAmount]
    /// Straight-line meters between consecutive located items, summed.
    public var distanceM: Int
}

/// An item with the distance from the previous located item of its day.
public struct ItineraryEntry: Encodable, Sendable {
    public var item: ItemView
    public var distanceFromPreviousM: Int?

    enum Keys: String, CodingKey { case distanceFromPreviousM }

    public func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeIfPresent(distanceFromPreviousM, forKey: .distanceFromPreviousM)
    }
}

enum CostTotals {
    /// Sums per currency, `first` currency leading, then alphabetical.
    static func of(_ items: [ItemView], first: String) -> [MoneyAmount] {
        var sums: [String: Int64] = [:]
        for case let cost? in items.map(\.cost) { sums[cost.currency, default: 0] += cost.amount }
        return sums.keys.sorted { ($0 == first ? "" : $0) < ($1 == first ? "" : $1) }.map {
            MoneyAmount(amount: sums[$0] ?? 0, currency: $0)
        }
    }
}
