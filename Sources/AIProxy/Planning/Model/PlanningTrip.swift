import Foundation
import Trips

/// The trip a plan is made for, at one version: its dates, zone, currency and destination, the items
/// already on days, and the unscheduled ideas.
struct PlanningTrip: Sendable {
    var id: String
    var title: String
    var startDate: CalendarDate
    var endDate: CalendarDate
    var timezone: String
    var currency: String
    var destination: Destination?
    var budget: MoneyAmount?
    var version: Int64
    /// Items with a day, in itinerary order.
    var scheduled: [TripItem]
    /// Items without a day, sorted by id (creation order: ids are UUIDv7).
    var ideas: [TripItem]

    init(
        id: String, title: String = "Trip", startDate: CalendarDate, endDate: CalendarDate,
        timezone: String = "UTC", currency: String, destination: Destination? = nil, budget: MoneyAmount? = nil,
        version: Int64 = 1, scheduled: [TripItem] = [], ideas: [TripItem] = []
    ) {
        self.id = id
        self.title = title
        self.startDate = startDate
        self.endDate = endDate
        self.timezone = timezone
        self.currency = currency
        self.destination = destination
        self.budget = budget
        self.version = version
        self.scheduled = scheduled
        self.ideas = ideas.sorted { $0.id < $1.id }
    }

    init(_ itinerary: ItineraryView) {
        let t = itinerary.trip
        let zone = TimeZone(identifier: t.timezone) ?? .gmt
        self.init(
            id: t.id, title: t.title, startDate: t.startDate, endDate: t.endDate, timezone: t.timezone,
            currency: t.currency, destination: t.destination, budget: t.budget, version: t.version,
            scheduled: itinerary.days.flatMap { $0.items.map { TripItem($0.item, zone: zone) } },
            ideas: itinerary.unscheduled.map { TripItem($0.item, zone: zone) })
    }

    var days: [CalendarDate] {
        guard startDate <= endDate else { return [] }
        return (0...(endDate - startDate)).map { startDate.adding(days: $0) }
    }

    func idea(_ id: String) -> TripItem? {
        let key = id.lowercased()
        return ideas.first { $0.id.lowercased() == key }
    }

    func scheduled(on day: CalendarDate) -> [TripItem] { scheduled.filter { $0.day == day } }

    var destinationCoordinate: Coordinate? {
        guard let lat = destination?.lat, let lon = destination?.lon else { return nil }
        let c = Coordinate(latitude: lat, longitude: lon)
        return c.isValid ? c : nil
    }
}
