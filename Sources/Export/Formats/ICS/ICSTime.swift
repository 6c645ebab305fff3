import Foundation
import Trips

/// The basic ISO 8601 forms iCalendar uses (§3.3.4, §3.3.5), computed with integer arithmetic: no
/// DateFormatter, no calendar object, the same output whatever the process's locale or zone.
enum ICSTime {
    /// `YYYYMMDD`.
    static func date(_ day: CalendarDate) -> String {
        let c = day.components
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2)
    }

    /// `YYYYMMDDTHHMMSS`, a wall-clock time (local to a TZID, or floating).
    static func local(_ day: CalendarDate, secondsOfDay: Int) -> String {
        date(day) + "T" + pad(secondsOfDay / 3600, 2) + pad(secondsOfDay / 60 % 60, 2) + pad(secondsOfDay % 60, 2)
    }

    /// `YYYYMMDDTHHMMSSZ`.
    static func utc(_ instant: Date) -> String {
        let (day, seconds) = split(Int64(instant.timeIntervalSince1970.rounded(.down)))
        return local(day, secondsOfDay: seconds) + "Z"
    }

    /// Seconds since the epoch (UTC, or local wall time when the offset was added) as a day and the
    /// seconds into it.
    static func split(_ epochSeconds: Int64) -> (CalendarDate, Int) {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        return (CalendarDate(daysSinceEpoch: Int(days)), Int(epochSeconds - days * 86_400))
    }

    /// `+HHMM` or `-HHMM` (`±HHMMSS` when the offset has seconds, as some historical zones do).
    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        let hm = pad(a / 3600, 2) + pad(a / 60 % 60, 2)
        return sign + hm + (a % 60 == 0 ? "" : pad(a % 60, 2))
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

extension ICSTime {
    /// `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC), for the XML formats.
    static func iso8601(_ instant: Date) -> String {
        let (day, s) = split(Int64(instant.timeIntervalSince1970.rounded(.down)))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return day.description + "T" + two(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60) + "Z"
    }
}
