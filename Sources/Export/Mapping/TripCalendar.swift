import Trips

/// A trip's items as calendar events: timed items at their times (wall clock in the trip's zone, or
/// absolute), lodging as all-day spans from check-in to check-out; items with neither are not events.
/// UIDs are the item ids, so re-importing or re-subscribing updates the same events.
enum TripCalendar {
    static func events(_ itinerary: ItineraryView) -> [CalendarEvent] {
        let items = itinerary.days.flatMap { $0.items.map(\.item) } + itinerary.unscheduled.map(\.item)
        return items.compactMap { event($0, timeZone: itinerary.trip.timezone) }
    }

    static func event(_ item: ItemView, timeZone: String) -> CalendarEvent? {
        let timing: CalendarEvent.Timing
        if item.kind == .lodging, let checkIn = item.checkIn, let checkOut = item.checkOut {
            timing = .allDay(first: checkIn, endExclusive: checkOut)
        } else if let start = item.startsAt {
            timing = .instant(start: start, end: item.endsAt)
        } else if let day = item.day, let start = item.startTime {
            timing = .local(day: day, start: start, end: item.endTime, timeZone: timeZone)
        } else {
            return nil
        }
        return CalendarEvent(
            uid: item.id + "@travelsense", summary: item.title, timing: timing, location: location(item),
            coordinates: coordinates(item), description: item.notes, url: item.url, sequence: item.version,
            lastModified: item.updatedAt)
    }

    /// `From → To` for a journey, else the place and its address.
    static func location(_ item: ItemView) -> String? {
        if let from = item.from, let to = item.to { return "\(from.name) → \(to.name)" }
        guard let place = item.place else { return nil }
        return place.address.map { "\(place.name), \($0)" } ?? place.name
    }

    static func coordinates(_ item: ItemView) -> (lat: Double, lon: Double)? {
        for place in [item.place, item.from] {
            if let lat = place?.lat, let lon = place?.lon { return (lat, lon) }
        }
        return nil
    }
}
