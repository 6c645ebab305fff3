import Foundation
import Trips

/// An existing item of the trip as planning sees it: its day and wall-clock times in the trip's zone
/// (items given as instants are converted), its place, cost and text.
struct TripItem: Sendable, Equatable {
    var id: String
    var kind: ItemKind
    var title: String
    var day: CalendarDate?
    /// Minutes since local midnight.
    var start: Int?
    var end: Int?
    var place: PlanPlace?
    var cost: MoneyAmount?
    var notes: String?

    init(
        id: String, kind: ItemKind, title: String, day: CalendarDate? = nil, start: Int? = nil, end: Int? = nil,
        place: PlanPlace? = nil, cost: MoneyAmount? = nil, notes: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.day = day
        self.start = start
        self.end = end
        self.place = place
        self.cost = cost
        self.notes = notes
    }

    init(_ item: ItemView, zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func local(_ date: Date) -> Int {
            let c = calendar.dateComponents([.hour, .minute], from: date)
            return (c.hour ?? 0) * 60 + (c.minute ?? 0)
        }
        var start = item.startTime.map { $0.seconds / 60 }
        var end = item.endTime.map { $0.seconds / 60 }
        if let startsAt = item.startsAt {
            start = local(startsAt)
            // An item running past midnight occupies the rest of its first day.
            if let endsAt = item.endsAt {
                end = CalendarDate(endsAt, in: zone) == CalendarDate(startsAt, in: zone) ? local(endsAt) : 24 * 60
            }
        }
        self.init(
            id: item.id, kind: item.kind, title: item.title, day: item.day, start: start, end: end,
            place: item.place.map { PlanPlace(name: $0.name, lat: $0.lat, lon: $0.lon) }, cost: item.cost,
            notes: item.notes)
    }

    /// The time it blocks on its day: lodging never does (its times are check-in and check-out), an
    /// item without an end is taken to last `PlanningDay.assumedMinutes`.
    var busy: Range<Int>? {
        guard kind != .lodging, let start else { return nil }
        let stop = max(end ?? (start + PlanningDay.assumedMinutes), start + 1)
        return start..<min(stop, 24 * 60)
    }

    /// Counts towards the pace's items per day.
    var countsTowardsPace: Bool { PlanningDay.plannableKinds.contains(kind) }
}
