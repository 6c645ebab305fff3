#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// RFC 3339 UTC timestamps with milliseconds (`2025-03-01T12:34:56.789Z`), computed with integer
/// arithmetic: no `DateFormatter`, no time-zone database, no allocation beyond the output bytes.
enum LogTimestamp {
    /// Milliseconds since the Unix epoch, now.
    static func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Appends the 24-byte timestamp for `millis` to `out`.
    static func append(millis: Int64, to out: inout [UInt8]) {
        let ms = Int(((millis % 1000) + 1000) % 1000)
        let secs = (millis - Int64(ms)) / 1000
        let days = Int(floorDiv(secs, 86_400))
        let secOfDay = Int(secs - Int64(days) * 86_400)
        let (y, m, d) = civil(fromDays: days)
        appendDigits(y, 4, &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(m, 2, &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(d, 2, &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(secOfDay / 3600, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secOfDay / 60 % 60, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secOfDay % 60, 2, &out)
        out.append(UInt8(ascii: "."))
        appendDigits(ms, 3, &out)
        out.append(UInt8(ascii: "Z"))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }

    /// Proleptic Gregorian date for a count of days since 1970-01-01, via 400-year eras (146,097 days
    /// each) counted from 0000-03-01 so the leap day falls at the end of each year.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468  // days from 0000-03-01 to 1970-01-01
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153  // month index counted from March
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func appendDigits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        let v = max(0, value)
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            divisor /= 10
        }
    }
}
