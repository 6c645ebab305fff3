import Foundation
import Postgres

/// When a cron entry fires, in UTC:
/// - `@every <N>s|m|h` — every N seconds/minutes/hours, on multiples of the period since the Unix
///   epoch (so every replica computes the same slots: `@every 5m` fires at :00, :05, …);
/// - five fields `minute hour day-of-month month day-of-week` with `*`, lists `a,b`, ranges `a-b`,
///   steps `*/n` and `a-b/n`, month names `jan`–`dec` and day names `sun`–`sat` (0 and 7 are Sunday);
///   as in Vixie cron, when both day fields are restricted a day matching either fires;
/// - `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly`, `@yearly` (`@annually`).
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    private let rule: Rule

    private enum Rule: Equatable {
        case every(seconds: Int64)
        case fields(CronFields)
    }

    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        description = trimmed
        let lower = trimmed.lowercased()
        let macros = [
            "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
            "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
        ]
        if let expanded = macros[lower] {
            rule = .fields(try CronFields(expanded, original: trimmed))
        } else if lower.hasPrefix("@every ") {
            rule = .every(seconds: try Self.parseEvery(String(lower.dropFirst(7)), original: trimmed))
        } else {
            rule = .fields(try CronFields(lower, original: trimmed))
        }
        guard next(after: Date()) != nil else {
            throw CronScheduleError(schedule: trimmed, message: "never fires")
        }
    }

    /// The first slot strictly after `date`, nil if none within `JobLimits.cronSearchYears`.
    public func next(after date: Date) -> Date? {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        switch rule {
        case .every(let period):
            return Date(timeIntervalSince1970: Double((floorDiv(seconds, period) + 1) * period))
        case .fields(let fields):
            return fields.next(after: seconds).map { Date(timeIntervalSince1970: Double($0)) }
        }
    }

    private static func parseEvery(_ text: String, original: String) throws -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600]
        guard let unit = text.last.flatMap({ units[$0] }), let count = CronFields.number(text.dropLast()), count > 0,
            count <= JobLimits.maxEverySeconds / unit
        else {
            throw CronScheduleError(schedule: original, message: "expected @every <N>s, <N>m or <N>h")
        }
        return count * unit
    }
}

/// A schedule that cannot be parsed or never fires.
public struct CronScheduleError: Error, CustomStringConvertible, Equatable {
    public let schedule: String
    public let message: String

    public var description: String { "cron schedule \"\(schedule)\": \(message)" }
}

/// The five fields as bit sets, and the search for the next matching minute.
struct CronFields: Equatable {
    var minutes: UInt64 = 0
    var hours: UInt64 = 0
    var daysOfMonth: UInt64 = 0
    var months: UInt64 = 0
    var daysOfWeek: UInt64 = 0
    /// Whether each day field was restricted (not `*`): both restricted means either may match.
    var domRestricted = false
    var dowRestricted = false

    private static let monthNames = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    private static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    init(_ text: String, original: String) throws {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 5 else {
            throw CronScheduleError(schedule: original, message: "expected 5 fields: minute hour day month weekday")
        }
        func field(
            _ index: Int, _ range: ClosedRange<Int64>, names: [String] = [], nameBase: Int64 = 0
        ) throws
            -> UInt64
        {
            guard let bits = Self.parseField(parts[index], range, names: names, nameBase: nameBase) else {
                throw CronScheduleError(schedule: original, message: "bad field \"\(parts[index])\"")
            }
            return bits
        }
        minutes = try field(0, 0...59)
        hours = try field(1, 0...23)
        daysOfMonth = try field(2, 1...31)
        months = try field(3, 1...12, names: Self.monthNames, nameBase: 1)
        daysOfWeek = try field(4, 0...7, names: Self.dayNames)
        if daysOfWeek & (1 << 7) != 0 { daysOfWeek = (daysOfWeek | 1) & ~(1 << 7) }  // 7 is Sunday too
        domRestricted = !parts[2].hasPrefix("*")
        dowRestricted = !parts[4].hasPrefix("*")
    }

    /// A comma list of `*`, `n`, `a-b`, each optionally `/step`; nil when malformed or out of range.
    static func parseField(
        _ text: Substring, _ range: ClosedRange<Int64>, names: [String], nameBase: Int64
    )
        -> UInt64?
    {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let stepParts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard stepParts.count <= 2, let base = stepParts.first else { return nil }
            var step: Int64 = 1
            if stepParts.count == 2 {
                guard let s = number(stepParts[1]), s > 0 else { return nil }
                step = s
            }
            var low: Int64
            var high: Int64
            if base == "*" {
                (low, high) = (range.lowerBound, range.upperBound)
            } else {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2, let a = value(bounds[0], names: names, nameBase: nameBase) else { return nil }
                low = a
                if bounds.count == 2 {
                    guard let b = value(bounds[1], names: names, nameBase: nameBase) else { return nil }
                    high = b
                } else {
                    high = stepParts.count == 2 ? range.upperBound : a  // `a/n` means from a to the end
                }
            }
            guard range.contains(low), range.contains(high), low <= high else { return nil }
            var v = low
            while v <= high {
                bits |= 1 << UInt64(v)
                v += step
            }
        }
        return bits
    }

    private static func value(_ text: Substring, names: [String], nameBase: Int64) -> Int64? {
        if let n = number(text) { return n }
        guard let index = names.firstIndex(of: String(text)) else { return nil }
        return Int64(index) + nameBase
    }

    /// Digits only (no sign, no spaces), at most 9 of them.
    static func number(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(text)
    }

    /// The first matching minute strictly after `seconds` (Unix time), skipping whole months, days and
    /// hours that cannot match.
    func next(after seconds: Int64) -> Int64? {
        var t = (floorDiv(seconds, 60) + 1) * 60
        let limit = seconds + Int64(JobLimits.cronSearchYears) * 366 * 86_400
        while t <= limit {
            let days = floorDiv(t, 86_400)
            let secondOfDay = t - days * 86_400
            let (year, month, day) = UTCCalendar.civil(days: days)
            if months & (1 << UInt64(month)) == 0 {
                let (y, m) = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
                t = UTCCalendar.days(year: y, month: m, day: 1) * 86_400
                continue
            }
            let weekday = floorMod(days + 4, 7)  // 1970-01-01 was a Thursday
            if !dayMatches(day: day, weekday: weekday) {
                t = (days + 1) * 86_400
                continue
            }
            let hour = secondOfDay / 3600
            if hours & (1 << UInt64(hour)) == 0 {
                t = days * 86_400 + (hour + 1) * 3600
                continue
            }
            let minute = secondOfDay % 3600 / 60
            if minutes & (1 << UInt64(minute)) == 0 {
                t += 60
                continue
            }
            return t
        }
        return nil
    }

    private func dayMatches(day: Int64, weekday: Int64) -> Bool {
        let dom = daysOfMonth & (1 << UInt64(day)) != 0
        let dow = daysOfWeek & (1 << UInt64(weekday)) != 0
        if domRestricted && dowRestricted { return dom || dow }
        return dom && dow
    }
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
    a - floorDiv(a, b) * b
}
