#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// RFC 5322 §3.3 dates, always in UTC ("Tue, 01 Jul 2025 09:30:00 +0000"), and the compact UTC stamp
/// used in `.eml` file names.
enum MailDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The `Date:` header value for `secondsSince1970`.
    static func rfc5322(_ secondsSince1970: Int) -> String {
        let t = utc(secondsSince1970)
        let day = days[Int(t.tm_wday) % 7]
        let month = months[Int(t.tm_mon) % 12]
        let time = "\(pad(t.tm_hour)):\(pad(t.tm_min)):\(pad(t.tm_sec))"
        return "\(day), \(pad(t.tm_mday)) \(month) \(t.tm_year + 1900) \(time) +0000"
    }

    /// "20250701T093000.123Z": sorts in time order, holds no character a file system dislikes.
    static func fileStamp(secondsSince1970: Int, milliseconds: Int) -> String {
        let t = utc(secondsSince1970)
        let millis = String(milliseconds + 1000).dropFirst()
        return "\(t.tm_year + 1900)\(pad(t.tm_mon + 1))\(pad(t.tm_mday))T\(pad(t.tm_hour))\(pad(t.tm_min))"
            + "\(pad(t.tm_sec)).\(millis)Z"
    }

    /// Seconds and milliseconds since 1970 from the real-time clock.
    static func now() -> (seconds: Int, milliseconds: Int) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return (Int(spec.tv_sec), Int(spec.tv_nsec / 1_000_000))
    }

    private static func utc(_ seconds: Int) -> tm {
        var time = time_t(seconds)
        var result = tm()
        gmtime_r(&time, &result)
        return result
    }

    private static func pad(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
