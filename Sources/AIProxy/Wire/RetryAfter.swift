#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a `Retry-After` field (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
enum RetryAfter {
    /// The delay the field asks for, from `now` (Unix seconds) for a date; nil when the value is
    /// neither form. A date in the past is zero. Only IMF-fixdate is read among the date forms: the
    /// obsolete RFC 850 and asctime forms are not sent by any LLM API.
    static func parse(_ value: String, now: Int = Int(time(nil))) -> Duration? {
        let bytes = Array(value.utf8).trimmingSpaces()
        guard !bytes.isEmpty else { return nil }
        if bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // Digits only (no sign, no fraction); absurdly large values saturate, the caller caps them.
            guard bytes.count <= 9, let seconds = Int(String(decoding: bytes, as: UTF8.self)) else {
                return bytes.count > 9 ? .seconds(999_999_999) : nil
            }
            return .seconds(seconds)
        }
        guard let when = imfFixdate(bytes) else { return nil }
        return .seconds(max(0, when - now))
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` → Unix seconds.
    static func imfFixdate(_ b: [UInt8]) -> Int? {
        guard b.count == 29, b[3] == UInt8(ascii: ","), b[4] == 0x20, b[7] == 0x20, b[11] == 0x20, b[16] == 0x20,
            b[19] == UInt8(ascii: ":"), b[22] == UInt8(ascii: ":"), b[25] == 0x20,
            b[26...].elementsEqual("GMT".utf8)
        else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let monthName = String(decoding: b[8..<11], as: UTF8.self)
        guard let monthIndex = months.firstIndex(of: monthName),
            let day = digits(b[5..<7]), let year = digits(b[12..<16]), let hour = digits(b[17..<19]),
            let minute = digits(b[20..<22]), let second = digits(b[23..<25]),
            (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }

    private static func digits(_ slice: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in slice {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's well-known algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Array where Element == UInt8 {
    fileprivate func trimmingSpaces() -> [UInt8] {
        var slice = self[...]
        while let first = slice.first, first == 0x20 || first == 0x09 { slice.removeFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice.removeLast() }
        return Array(slice)
    }
}
