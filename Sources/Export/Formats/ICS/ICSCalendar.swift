import Foundation
import Trips

/// An iCalendar object (RFC 5545) of trip events: VCALENDAR with one VTIMEZONE per zone the events
/// use and one VEVENT per event. The bytes depend only on the input, so an unchanged trip yields the
/// same file and the same ETag.
public struct ICSCalendar: Sendable {
    public static let productID = "-//TravelSense//Trips 1.0//EN"

    /// `X-WR-CALNAME`, the name calendar apps show for a subscription.
    public var name: String?
    public var events: [CalendarEvent]

    public init(name: String?, events: [CalendarEvent]) {
        self.name = name
        self.events = events
    }

    public func render() -> [UInt8] {
        var lines = ContentLines(reservingCapacity: 512 + events.count * 400)
        lines.property("BEGIN", "VCALENDAR")
        lines.property("VERSION", "2.0")
        lines.property("PRODID", Self.productID)
        lines.property("CALSCALE", "GREGORIAN")
        lines.property("METHOD", "PUBLISH")
        if let name { lines.property("X-WR-CALNAME", ContentLines.text(name)) }
        let zones = knownZones()
        for (identifier, years) in zonesInUse().sorted(by: { $0.key < $1.key }) {
            guard let zone = zones[identifier] else { continue }
            VTimeZone.write(identifier, VTimeZone.observances(zone, years: years), into: &lines)
        }
        for event in events { write(event, knownZones: zones, into: &lines) }
        lines.property("END", "VCALENDAR")
        return lines.bytes
    }

    /// Each zone of a `.local` event with the years its events span (one either side, for events
    /// near New Year's in a zone ahead of or behind UTC).
    private func zonesInUse() -> [String: ClosedRange<Int>] {
        var years: [String: ClosedRange<Int>] = [:]
        for event in events {
            guard case .local(let day, _, _, let zone) = event.timing else { continue }
            let y = day.components.year
            let range = (y - 1)...(y + 1)
            years[zone] =
                years[zone].map { min($0.lowerBound, range.lowerBound)...max($0.upperBound, range.upperBound) } ?? range
        }
        return years
    }

    private func knownZones() -> [String: TimeZone] {
        var zones: [String: TimeZone] = [:]
        for event in events {
            guard case .local(_, _, _, let identifier) = event.timing, zones[identifier] == nil else { continue }
            zones[identifier] = TimeZone(identifier: identifier)
        }
        return zones
    }

    private func write(_ e: CalendarEvent, knownZones: [String: TimeZone], into lines: inout ContentLines) {
        lines.property("BEGIN", "VEVENT")
        lines.property("UID", ContentLines.text(e.uid))
        lines.property("DTSTAMP", ICSTime.utc(e.lastModified))
        lines.property("LAST-MODIFIED", ICSTime.utc(e.lastModified))
        lines.property("SEQUENCE", String(max(0, e.sequence)))
        lines.property("SUMMARY", ContentLines.text(e.summary))
        switch e.timing {
        case .local(let day, let start, let end, let zone):
            // An unknown zone cannot be described: the times stay floating (wall-clock wherever viewed).
            let tzid: [(String, String)] = knownZones[zone] == nil ? [] : [("TZID", zone)]
            lines.property("DTSTART", tzid, ICSTime.local(day, secondsOfDay: start.seconds))
            if let end {
                let endDay = end.seconds < start.seconds ? CalendarDate(daysSinceEpoch: day.daysSinceEpoch + 1) : day
                lines.property("DTEND", tzid, ICSTime.local(endDay, secondsOfDay: end.seconds))
            }
        case .instant(let start, let end):
            lines.property("DTSTART", ICSTime.utc(start))
            if let end, end >= start { lines.property("DTEND", ICSTime.utc(end)) }
        case .allDay(let first, let endExclusive):
            lines.property("DTSTART", [("VALUE", "DATE")], ICSTime.date(first))
            let end = endExclusive > first ? endExclusive : CalendarDate(daysSinceEpoch: first.daysSinceEpoch + 1)
            lines.property("DTEND", [("VALUE", "DATE")], ICSTime.date(end))
            lines.property("TRANSP", "TRANSPARENT")  // a hotel night does not make its guest busy
        }
        if let location = e.location, !location.isEmpty { lines.property("LOCATION", ContentLines.text(location)) }
        if let c = e.coordinates, (-90...90).contains(c.lat), (-180...180).contains(c.lon) {
            lines.property("GEO", String(format: "%.6f;%.6f", c.lat, c.lon))
        }
        if let d = e.description, !d.isEmpty { lines.property("DESCRIPTION", ContentLines.text(d)) }
        if let url = e.url, let clean = Self.uri(url) { lines.property("URL", clean) }
        lines.property("END", "VEVENT")
    }

    /// A URI value is not TEXT (no escaping), so anything that could break the line is refused.
    private static func uri(_ s: String) -> String? {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return s
    }
}
