import Foundation
import Trips

/// One VEVENT, in terms a trip item maps onto: a stable UID (so a re-import or a re-subscribed feed
/// updates the event instead of duplicating it), a summary, when it happens, and where.
public struct CalendarEvent: Sendable, Equatable {
    /// When an event happens.
    public enum Timing: Sendable, Equatable {
        /// Wall-clock times on a day in an IANA time zone (`DTSTART;TZID=…` with a VTIMEZONE). An end
        /// earlier than the start is on the next day.
        case local(day: CalendarDate, start: LocalTime, end: LocalTime?, timeZone: String)
        /// Absolute instants (`…Z`, UTC): flights and anything booked in absolute time.
        case instant(start: Date, end: Date?)
        /// Whole days, the end exclusive (`VALUE=DATE`): lodging from check-in to check-out.
        case allDay(first: CalendarDate, endExclusive: CalendarDate)
    }

    public var uid: String
    public var summary: String
    public var timing: Timing
    public var location: String?
    /// `GEO:lat;lon`.
    public var coordinates: (lat: Double, lon: Double)?
    public var description: String?
    public var url: String?
    /// Raised on every change, so clients replace their copy (the item's version).
    public var sequence: Int64
    /// `LAST-MODIFIED` and `DTSTAMP`: the output depends on the data only, so an unchanged trip gives
    /// the same bytes (and the same ETag) on every request.
    public var lastModified: Date

    public init(
        uid: String, summary: String, timing: Timing, location: String? = nil,
        coordinates: (lat: Double, lon: Double)? = nil, description: String? = nil, url: String? = nil,
        sequence: Int64 = 0, lastModified: Date
    ) {
        self.uid = uid
        self.summary = summary
        self.timing = timing
        self.location = location
        self.coordinates = coordinates
        self.description = description
        self.url = url
        self.sequence = sequence
        self.lastModified = lastModified
    }

    public static func == (a: CalendarEvent, b: CalendarEvent) -> Bool {
        a.uid == b.uid && a.summary == b.summary && a.timing == b.timing && a.location == b.location
            && a.coordinates?.lat == b.coordinates?.lat && a.coordinates?.lon == b.coordinates?.lon
            && a.description == b.description && a.url == b.url && a.sequence == b.sequence
            && a.lastModified == b.lastModified
    }
}
