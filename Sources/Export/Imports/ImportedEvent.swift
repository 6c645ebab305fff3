import Foundation
import Trips

/// When an imported event starts or ends, kept in the form the file wrote it: the zone a wall-clock
/// time belongs to is the caller's to resolve (an IANA name is the usual case, but Outlook writes
/// Windows zone names and some tools `/mozilla.org/…` paths).
public enum EventTime: Sendable, Hashable {
    /// `VALUE=DATE`: a whole day. As an end, exclusive (RFC 5545 §3.6.1).
    case date(CalendarDate)
    /// A wall-clock time: with `TZID=` in that zone, without it floating (the same clock time
    /// wherever the viewer is).
    case local(date: CalendarDate, hour: Int, minute: Int, second: Int, tzid: String?)
    /// A time with a trailing `Z`: an absolute instant.
    case utc(Date)
}

/// One VEVENT, read from an iCalendar file. Text has been unescaped and cut to Trips' limits.
public struct ImportedEvent: Sendable, Equatable {
    public var uid: String?
    /// "Untitled event" when the event has no SUMMARY.
    public var summary: String
    public var description: String?
    public var location: String?
    /// `GEO`, checked like any other coordinate.
    public var geo: (lat: Double, lon: Double)?
    /// An http(s) `URL`; anything else is dropped.
    public var url: String?
    public var start: EventTime
    /// From DTEND, or DTSTART plus DURATION; nil when the file has neither (RFC 5545 then means one
    /// day for a date and no duration for a date-time).
    public var end: EventTime?
    /// The line of the event's `BEGIN:VEVENT`.
    public var line: Int

    public init(
        uid: String? = nil, summary: String, description: String? = nil, location: String? = nil,
        geo: (lat: Double, lon: Double)? = nil, url: String? = nil, start: EventTime, end: EventTime? = nil,
        line: Int
    ) {
        self.uid = uid
        self.summary = summary
        self.description = description
        self.location = location
        self.geo = geo
        self.url = url
        self.start = start
        self.end = end
        self.line = line
    }

    public static func == (a: ImportedEvent, b: ImportedEvent) -> Bool {
        a.uid == b.uid && a.summary == b.summary && a.description == b.description && a.location == b.location
            && a.geo?.lat == b.geo?.lat && a.geo?.lon == b.geo?.lon && a.url == b.url && a.start == b.start
            && a.end == b.end && a.line == b.line
    }
}
