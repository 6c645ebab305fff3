import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `Date` header line, formatted once a second instead of once per response (IMF-fixdate, RFC 9110 §5.6.7).
public final class HTTPDate: Sendable {
    /// The current "Date: …\r\n" octets; replaced whole each second.
    private let line = Mutex<[UInt8]>(HTTPDate.format(time(nil)))

    var headerLine: [UInt8] { line.withLock { $0 } }

    func refresh() {
        let fresh = Self.format(time(nil))
        line.withLock { $0 = fresh }
    }

    static func format(_ t: time_t) -> [UInt8] {
        Array("Date: \(imfFixdate(t))\r\n".utf8)
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, for `Date`, `Last-Modified` and friends.
    public static func imfFixdate(_ t: time_t) -> String {
        var t = t
        var tm = tm()
        gmtime_r(&t, &tm)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) GMT"
    }
}
