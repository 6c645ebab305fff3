import Foundation
import Trips

/// A trip as the PDF's plain structs: days with their items' times, places, notes and costs, the day's
/// totals, and the cover's dates and summary. Unscheduled ideas come last.
enum TripPDF {
    /// Lodging without a day of its own is listed on its check-in day (first) and its check-out day,
    /// where a traveller looks for it, rather than among the ideas.
    static func days(_ itinerary: ItineraryView) -> [ItineraryPDF.Day] {
        let zone = TimeZone(identifier: itinerary.trip.timezone)
        let stays = itinerary.unscheduled.map(\.item).filter { $0.kind == .lodging && $0.checkIn != nil }
        var days = itinerary.days.map { day in
            let arriving = stays.filter { $0.checkIn == day.date }.map { item($0, zone) }
            let leaving = stays.filter { $0.checkOut == day.date }.map { stay in
                ItineraryPDF.Item(title: "Check-out · " + stay.title, place: stay.place?.name)
            }
            return ItineraryPDF.Day(
                date: DisplayFormat.day(day.date), items: leaving + arriving + day.items.map { item($0.item, zone) },
                total: total(day.costTotals))
        }
        let ideas = itinerary.unscheduled.map(\.item).filter { $0.kind != .lodging || $0.checkIn == nil }
        if !ideas.isEmpty {
            days.append(ItineraryPDF.Day(date: "Ideas (not yet scheduled)", items: ideas.map { item($0, zone) }))
        }
        return days
    }

    static func subtitle(_ itinerary: ItineraryView) -> String {
        let t = itinerary.trip
        let dates = DisplayFormat.range(t.startDate, t.endDate)
        return [t.destination?.name, dates].compactMap { $0 }.joined(separator: " · ")
    }

    static func summary(_ itinerary: ItineraryView) -> String {
        let items = itinerary.days.reduce(0) { $0 + $1.items.count } + itinerary.unscheduled.count
        var parts = [
            "\(itinerary.days.count) day\(itinerary.days.count == 1 ? "" : "s")",
            "\(items) item\(items == 1 ? "" : "s")",
        ]
        if let cost = total(itinerary.costTotals) { parts.append("planned costs " + cost) }
        if let budget = itinerary.trip.budget {
            parts.append("budget " + DisplayFormat.money(budget.amount, budget.currency))
        }
        if let description = itinerary.trip.description, !description.isEmpty { parts.append(description) }
        return parts.joined(separator: " · ")
    }

    static func item(_ item: ItemView, _ zone: TimeZone?) -> ItineraryPDF.Item {
        var when: String?
        if let s = item.startsAt {
            when =
                DisplayFormat.time(s, zone: zone) + (item.endsAt.map { "–" + DisplayFormat.time($0, zone: zone) } ?? "")
        } else if let s = item.startTime {
            when = DisplayFormat.time(s) + (item.endTime.map { "–" + DisplayFormat.time($0) } ?? "")
        }
        var notes: [String] = []
        if let checkIn = item.checkIn, let checkOut = item.checkOut {
            notes.append("Check-in \(DisplayFormat.day(checkIn)) · check-out \(DisplayFormat.day(checkOut))")
        }
        let transport = [item.carrier, item.number].compactMap { $0 }.joined(separator: " ")
        if !transport.isEmpty { notes.append(transport) }
        if let code = item.confirmationCode { notes.append("Confirmation " + code) }
        if let text = item.notes { notes.append(text) }
        if let url = item.url { notes.append(url) }
        return ItineraryPDF.Item(
            time: when, title: item.title, place: item.place?.name ?? TripCalendar.location(item),
            notes: notes.isEmpty ? nil : notes.joined(separator: "\n"),
            cost: item.cost.map { DisplayFormat.money($0.amount, $0.currency) })
    }

    static func total(_ amounts: [MoneyAmount]) -> String? {
        amounts.isEmpty ? nil : amounts.map { DisplayFormat.money($0.amount, $0.currency) }.joined(separator: " + ")
    }
}
