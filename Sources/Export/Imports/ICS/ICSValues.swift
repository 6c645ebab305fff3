import Foundation
import Trips

/// The value types an event needs (RFC 5545 §3.3): TEXT, DATE, DATE-TIME and DURATION, parsed with
/// integer arithmetic (no DateFormatter, no process time zone).
enum ICSValues {
    /// TEXT unescaped: `\n` and `\N` are line breaks, `\\` `\,` `\;` the character itself. Other
    /// escapes are not in the RFC but some writers produce `\:`; the backslash is dropped.
    static func text(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var escaped = false
        for c in s.unicodeScalars {
            if escaped {
                out.append(c == "n" || c == "N" ? "\n" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        if escaped { out.append("\\") }
        return String(out)
    }

    /// DTSTART or DTEND: `YYYYMMDD` (with `VALUE=DATE`, or alone), `YYYYMMDDTHHMMSS` (floating, or
    /// in `TZID=`), `YYYYMMDDTHHMMSSZ` (UTC; a TZID beside it is meaningless and ignored).
    static func time(_ p: ICSContentLine) throws(ImportError) -> EventTime {
        let v = ImportText.trimmed(p.value)
        let b = Array(v.utf8)
        let type = p.parameter("VALUE")?.uppercased()
        if type == "DATE" || (type == nil && !v.contains("T")) {
            guard b.count == 8, let day = date(b[...]) else {
                throw ImportError(line: p.line, element: p.name, "\(ImportCoordinates.quoted(v)) is not a valid date")
            }
            return .date(day)
        }
        guard type == nil || type == "DATE-TIME" else {
            throw ImportError(line: p.line, element: p.name, "VALUE=\(type ?? "") is not a date or a date-time")
        }
        guard b.count == 15 || (b.count == 16 && b[15] == UInt8(ascii: "Z")), b[8] == UInt8(ascii: "T"),
            let day = date(b[0..<8]), let h = number(b[9..<11]), let m = number(b[11..<13]),
            let s = number(b[13..<15]), h < 24, m < 60, s < 60
        else {
            throw ImportError(
                line: p.line, element: p.name, "\(ImportCoordinates.quoted(v)) is not a valid date-time")
        }
        if b.count == 16 {
            let seconds = day.daysSinceEpoch * 86_400 + h * 3600 + m * 60 + s
            return .utc(Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        return .local(date: day, hour: h, minute: m, second: s, tzid: p.parameter("TZID"))
    }

    /// A DURATION (§3.3.6) as whole days (weeks counted as 7) and seconds: `P1W`, `P2D`,
    /// `PT1H30M`, `P1DT12H`. Nil when malformed; negative durations are refused by the caller.
    static func duration(_ text: String) -> (negative: Bool, days: Int, seconds: Int)? {
        var b = Array(ImportText.trimmed(text).utf8)[...]
        var negative = false
        if b.first == UInt8(ascii: "+") || b.first == UInt8(ascii: "-") {
            negative = b.first == UInt8(ascii: "-")
            b = b.dropFirst()
        }
        guard b.first == UInt8(ascii: "P") else { return nil }
        b = b.dropFirst()
        /// The number before the next designator, at most 6 digits so no sum can overflow.
        func amount(_ designator: Unicode.Scalar) -> Int? {
            let digits = b.prefix(while: { (0x30...0x39).contains($0) })
            guard !digits.isEmpty, digits.count <= 6, b.dropFirst(digits.count).first == UInt8(ascii: designator)
            else { return nil }
            b = b.dropFirst(digits.count + 1)
            return number(digits)
        }
        if let weeks = amount("W") { return b.isEmpty ? (negative, weeks * 7, 0) : nil }
        let days = amount("D")
        var seconds = 0
        var any = days != nil
        if b.first == UInt8(ascii: "T") {
            b = b.dropFirst()
            var timeAny = false
            for (designator, unit) in [("H", 3600), ("M", 60), ("S", 1)] as [(Unicode.Scalar, Int)] {
                if let n = amount(designator) {
                    seconds += n * unit
                    timeAny = true
                }
            }
            guard timeAny else { return nil }
            any = true
        }
        guard any, b.isEmpty else { return nil }
        return (negative, days ?? 0, seconds)
    }

    /// `start` plus a duration: nominal days (the same clock time N days later) and exact seconds.
    /// For a wall-clock time the seconds are added to the clock, so an event spanning a daylight-saving
    /// change ends an hour off; the zone data needed to do better belongs to the caller.
    static func adding(days: Int, seconds: Int, to start: EventTime) -> EventTime? {
        switch start {
        case .date(let d):
            return seconds == 0 ? .date(d.adding(days: days)) : nil
        case .utc(let t):
            return .utc(t.addingTimeInterval(TimeInterval(days * 86_400 + seconds)))
        case .local(let d, let h, let m, let s, let tzid):
            let total = h * 3600 + m * 60 + s + seconds
            let clock = total % 86_400
            return .local(
                date: d.adding(days: days + total / 86_400), hour: clock / 3600, minute: clock / 60 % 60,
                second: clock % 60, tzid: tzid)
        }
    }

    /// `YYYYMMDD`, a real calendar date.
    private static func date(_ b: ArraySlice<UInt8>) -> CalendarDate? {
        let i = b.startIndex
        guard let y = number(b[i..<(i + 4)]), let m = number(b[(i + 4)..<(i + 6)]), let d = number(b[(i + 6)..<(i + 8)])
        else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    private static func number(_ b: ArraySlice<UInt8>) -> Int? {
        guard !b.isEmpty, b.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return b.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
