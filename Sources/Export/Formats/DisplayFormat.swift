import Foundation
import Trips

/// How the share page and the PDF write dates, times and money: English, unambiguous (`Sat 1 May 2027`), the
/// currency's own number of decimals, computed without formatters so output never depends on the
/// server's locale.
enum DisplayFormat {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    static func day(_ d: CalendarDate) -> String {
        let c = d.components
        let w = ((d.daysSinceEpoch % 7) + 7) % 7
        return "\(weekdays[w]) \(c.day) \(months[c.month - 1]) \(c.year)"
    }

    static func range(_ first: CalendarDate, _ last: CalendarDate) -> String {
        first == last ? day(first) : "\(day(first)) – \(day(last))"
    }

    /// `HH:MM` of an instant in the trip's zone.
    static func time(_ instant: Date, zone: TimeZone?) -> String {
        let offset = zone?.secondsFromGMT(for: instant) ?? 0
        let (_, seconds) = ICSTime.split(Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(offset))
        return clock(seconds)
    }

    static func time(_ t: LocalTime) -> String { clock(t.seconds) }

    private static func clock(_ seconds: Int) -> String {
        let h = seconds / 3600
        let m = seconds / 60 % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    /// `12.50 EUR`, `1,200 JPY`, with a typographic minus.
    static func money(_ amount: Int64, _ currency: String) -> String {
        let text = MoneyText.decimal(amount, currency, grouped: true)
        return (text.hasPrefix("-") ? "−" + text.dropFirst() : text[...]) + " " + currency
    }
}
