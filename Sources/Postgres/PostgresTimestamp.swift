import Foundation

/// `timestamptz` text in both directions, by arithmetic on the civil calendar (proleptic Gregorian,
/// UTC) instead of `DateFormatter`, which is slow and locale-sensitive. Sessions run with
/// `TimeZone=UTC` and `DateStyle=ISO`, so the server prints `2026-11-23 16:35:58.123456+00`.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let totalMicros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let micros = Int64(totalMicros)
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (y, m, d) = UTCCalendar.civil(days: days)
        var out = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + " "
        out += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if fraction != 0 { out += "." + pad(fraction, 6) }
        return out + "+00"
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM[:SS]]]` (a `T` separator is accepted too); a value
    /// without an offset (plain `timestamp`) is taken as UTC. Nil for anything else (BC, infinity).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Date? {
        var i = 0
        func number(_ digits: Int) -> Int64? {
            guard i + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<digits {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int64(b - 48)
                i += 1
            }
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = number(4), expect(45), let mo = number(2), expect(45), let d = number(2) else { return nil }
        guard (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var seconds = UTCCalendar.days(year: y, month: mo, day: d) * 86_400
        var micros: Int64 = 0
        if i < bytes.count {
            guard bytes[i] == 32 || bytes[i] == 84 else { return nil }
            i += 1
            guard let h = number(2), expect(58), let mi = number(2), expect(58), let s = number(2) else { return nil }
            seconds += h * 3600 + mi * 60 + s
            if expect(46) {
                var scale: Int64 = 100_000
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                    micros += Int64(bytes[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
            }
            if i < bytes.count {
                let sign: Int64 = bytes[i] == 45 ? -1 : 1
                guard bytes[i] == 43 || bytes[i] == 45 else { return nil }
                i += 1
                guard let oh = number(2) else { return nil }
                var offset = oh * 3600
                if expect(58), let om = number(2) { offset += om * 60 }
                if expect(58), let os = number(2) { offset += os }
                seconds -= sign * offset
            }
        }
        guard i == bytes.count else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Proleptic Gregorian dates as day counts from 1970-01-01, by integer arithmetic (Howard Hinnant's
/// algorithms): the timestamp codec and cron's schedule maths share it.
public enum UTCCalendar {
    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of `days(year:month:day:)`.
    public static func civil(days z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}

/// Lower-case hex, as PostgreSQL's `bytea_output = hex` prints it.
enum PostgresHex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `\x…` bytea text; nil on malformed input.
    static func decodeBytea(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard text.count >= 2, text[0] == 92, text[1] == 120, text.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity((text.count - 2) / 2)
        var i = 2
        while i < text.count {
            guard let hi = nibble(text[i]), let lo = nibble(text[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
