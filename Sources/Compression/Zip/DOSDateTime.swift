import Foundation

/// MS-DOS date and time as ZIP headers store them: 2-second resolution, years 1980...2107, no zone.
///
/// We write UTC. The format has no zone, so any choice is wrong somewhere: the server's local zone
/// would make an archive depend on where the pod runs, while UTC makes it reproducible and matches the
/// API's timestamps. Extracting tools treat the value as their local time.
struct DOSDateTime: Equatable {
    let date: UInt16
    let time: UInt16

    /// Earliest and latest representable instants; dates outside are clamped, not rejected, because a
    /// wrong-looking timestamp is better than a failed export.
    static let earliest = DOSDateTime(date: (0 << 9) | (1 << 5) | 1, time: 0)
    static let latest = DOSDateTime(date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29)

    init(date: UInt16, time: UInt16) {
        self.date = date
        self.time = time
    }

    /// Gregorian in UTC; built once (Calendar is Sendable and immutable here).
    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    init(_ instant: Date) {
        let seconds = instant.timeIntervalSince1970
        // Outside 1980...2107 (or NaN) the components are not representable: clamp before asking the
        // calendar, which keeps its arithmetic in a sane range.
        guard seconds >= 315_532_800 else {  // 1980-01-01T00:00:00Z
            self = .earliest
            return
        }
        guard seconds < 4_354_819_200 else {  // 2108-01-01T00:00:00Z
            self = .latest
            return
        }
        let parts = Self.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        let year = (parts.year ?? 1980) - 1980
        let month = parts.month ?? 1
        let day = parts.day ?? 1
        let hour = parts.hour ?? 0
        let minute = parts.minute ?? 0
        // Two-second resolution: round down, so a time never moves into the next slot (or day).
        let second = (parts.second ?? 0) / 2
        self.date = UInt16(truncatingIfNeeded: year << 9 | month << 5 | day)
        self.time = UInt16(truncatingIfNeeded: hour << 11 | minute << 5 | second)
    }
}
