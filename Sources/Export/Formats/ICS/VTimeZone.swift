import Foundation
import Trips

/// A VTIMEZONE (§3.6.5) for an IANA zone, built from the system's time zone data: one observance
/// (STANDARD or DAYLIGHT) per offset change in the years the events need, each with its own DTSTART,
/// so a client with no copy of the zone (or an older one) still places every event at the right instant.
enum VTimeZone {
    struct Observance: Equatable {
        var daylight: Bool
        /// Wall-clock time of the change, in the offset before it (what DTSTART means here).
        var localStart: Int64
        var offsetFrom: Int
        var offsetTo: Int
        var name: String?
    }

    /// The observances of `zone` from 1 January of the first year to 1 January after the last.
    static func observances(_ zone: TimeZone, years: ClosedRange<Int>) -> [Observance] {
        guard let first = Self.newYear(years.lowerBound), let end = Self.newYear(years.upperBound + 1) else {
            return []
        }
        let startOffset = zone.secondsFromGMT(for: first)
        var result = [
            Observance(
                daylight: zone.isDaylightSavingTime(for: first),
                localStart: Int64(first.timeIntervalSince1970) + Int64(startOffset), offsetFrom: startOffset,
                offsetTo: startOffset, name: Self.name(zone, first))
        ]
        var cursor = first
        // Bounded: no zone changes offset more than a few times a year.
        for _ in 0..<(years.count * 8) {
            guard let change = zone.nextDaylightSavingTimeTransition(after: cursor), change < end else { break }
            let before = zone.secondsFromGMT(for: change.addingTimeInterval(-1))
            let after = zone.secondsFromGMT(for: change)
            if before != after {
                result.append(
                    Observance(
                        daylight: zone.isDaylightSavingTime(for: change),
                        localStart: Int64(change.timeIntervalSince1970) + Int64(before), offsetFrom: before,
                        offsetTo: after, name: Self.name(zone, change)))
            }
            cursor = change
        }
        return result
    }

    static func write(_ identifier: String, _ observances: [Observance], into lines: inout ContentLines) {
        lines.property("BEGIN", "VTIMEZONE")
        lines.property("TZID", identifier)
        for o in observances {
            let kind = o.daylight ? "DAYLIGHT" : "STANDARD"
            lines.property("BEGIN", kind)
            let (day, seconds) = ICSTime.split(o.localStart)
            lines.property("DTSTART", ICSTime.local(day, secondsOfDay: seconds))
            lines.property("TZOFFSETFROM", ICSTime.offset(o.offsetFrom))
            lines.property("TZOFFSETTO", ICSTime.offset(o.offsetTo))
            if let name = o.name { lines.property("TZNAME", ContentLines.text(name)) }
            lines.property("END", kind)
        }
        lines.property("END", "VTIMEZONE")
    }

    private static func newYear(_ year: Int) -> Date? {
        guard let day = CalendarDate(year: year, month: 1, day: 1) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch) * 86_400)
    }

    /// The zone's abbreviation when it is a real one (`WEST`), not a numeric stand-in (`GMT+1`).
    private static func name(_ zone: TimeZone, _ at: Date) -> String? {
        guard let a = zone.abbreviation(for: at), a.count <= 6, a.allSatisfy({ $0.isLetter }) else { return nil }
        return a
    }
}
