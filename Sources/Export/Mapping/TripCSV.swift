import Foundation
import Trips

/// A trip's items as CSV rows in itinerary order, one column per field a spreadsheet user filters on.
enum TripCSV {
    static let itemHeader = [
        "date", "start", "end", "kind", "title", "place", "address", "latitude", "longitude", "cost", "currency",
        "url", "notes",
    ]

    static func items(_ itinerary: ItineraryView) -> [UInt8] {
        var csv = CSVWriter(header: itemHeader)
        let zone = TimeZone(identifier: itinerary.trip.timezone)
        let items = itinerary.days.flatMap { $0.items.map(\.item) } + itinerary.unscheduled.map(\.item)
        for item in items {
            var date = item.day?.description ?? item.checkIn?.description
            var start = item.startTime?.description
            var end = item.endTime?.description ?? item.checkOut.map { "check-out " + $0.description }
            if let s = item.startsAt {
                let local = Self.local(s, zone)
                date = local.date
                start = local.time
                end = item.endsAt.map { Self.local($0, zone).time }
            }
            let c = TripCalendar.coordinates(item)
            // A journey has no single place: its column says where from and where to.
            let place = item.place?.name ?? TripCalendar.location(item)
            csv.appendRow([
                date, start, end, item.kind.rawValue, item.title, place, item.place?.address,
                c.map { XMLNumber.coordinate($0.lat) }, c.map { XMLNumber.coordinate($0.lon) },
                item.cost.map { MoneyText.decimal($0.amount, $0.currency) }, item.cost?.currency, item.url, item.notes,
            ])
        }
        return csv.bytes
    }

    static let expenseHeader = [
        "date", "description", "category", "amount", "currency", "rate", "amount_in_trip_currency", "trip_currency",
        "paid_by", "split", "shares", "item",
    ]

    /// Expenses oldest first; people by display name (their user id when they have none), each share
    /// in the trip currency.
    static func expenses(_ contents: TripContents) -> [UInt8] {
        var csv = CSVWriter(header: expenseHeader)
        let trip = contents.itinerary.trip
        let titles = Dictionary(
            (contents.itinerary.days.flatMap(\.items) + contents.itinerary.unscheduled).map {
                ($0.item.id, $0.item.title)
            },
            uniquingKeysWith: { a, _ in a })
        func person(_ id: String) -> String { contents.people[id] ?? id }
        for x in contents.expenses {
            csv.appendRow([
                x.date.description, x.description, x.category.rawValue, MoneyText.decimal(x.amount, x.currency),
                x.currency, x.rate, MoneyText.decimal(x.convertedAmount, trip.currency), trip.currency,
                person(x.paidBy), x.split.type,
                x.shares.map { person($0.userId) + ": " + MoneyText.decimal($0.amount, trip.currency) }.joined(
                    separator: "; "),
                x.itemId.flatMap { titles[$0] },
            ])
        }
        return csv.bytes
    }

    /// An instant as the trip's wall-clock date and time (`2027-05-01`, `09:30`).
    static func local(_ instant: Date, _ zone: TimeZone?) -> (date: String, time: String) {
        let offset = Int64(zone?.secondsFromGMT(for: instant) ?? 0)
        let (day, seconds) = ICSTime.split(Int64(instant.timeIntervalSince1970.rounded(.down)) + offset)
        let h = seconds / 3600
        let m = seconds / 60 % 60
        return (day.description, (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)")
    }
}
