#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The instant a SigV4 signature is made, in the two spellings the algorithm needs: `20130524T000000Z`
/// (`x-amz-date`) and `20130524` (the credential scope's day). Formatted with `gmtime_r`, not a
/// `DateFormatter`, whose locale and calendar settings have broken signatures elsewhere.
public struct SigV4Timestamp: Sendable, Equatable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let unixSeconds: Int
    /// `YYYYMMDDTHHMMSSZ`, UTC.
    public let amzDate: String

    /// The scope's day, `YYYYMMDD`.
    public var day: String { String(amzDate.prefix(8)) }

    public init(unixSeconds: Int) {
        self.unixSeconds = unixSeconds
        var seconds = time_t(unixSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(parts.tm_year + 1900)
        amzDate =
            year + two(parts.tm_mon + 1) + two(parts.tm_mday) + "T" + two(parts.tm_hour) + two(parts.tm_min)
            + two(parts.tm_sec) + "Z"
    }

    /// The current time.
    public static func now() -> SigV4Timestamp {
        SigV4Timestamp(unixSeconds: Int(time(nil)))
    }
}
