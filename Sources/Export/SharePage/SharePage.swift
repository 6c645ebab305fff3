import Foundation
import Trips

/// `GET /s/{token}`: a share link rendered as one self-contained HTML page: readable on a phone,
/// printable, headings in order for screen readers, every trip value escaped, nothing loaded from
/// anywhere (the CSP forbids it).
public enum SharePage {
    public static func render(_ view: SharedTripView) -> String {
        let t = view.trip
        let zone = TimeZone(identifier: t.timezone)
        var h = head(title: t.title)
        h += "<header><h1>\(MarkupText.escape(t.title))</h1><p class=\"meta\">"
        h += MarkupText.escape(DisplayFormat.range(t.startDate, t.endDate))
        if let d = t.destination { h += " · " + MarkupText.escape(d.name) }
        h += " · " + MarkupText.escape(t.timezone) + "</p>"
        if let d = t.description, !d.isEmpty { h += "<p>\(MarkupText.multiline(d))</p>" }
        h += "</header><main>"
        if let itinerary = view.itinerary { h += Self.itinerary(itinerary, zone: zone) }
        if let points = view.map, !points.isEmpty { h += Self.places(points) }
        if let expenses = view.expenses { h += Self.expenses(expenses) }
        if let lists = view.checklists, !lists.isEmpty { h += Self.checklists(lists) }
        h += "</main><footer>Shared read-only with TravelSense. Times are in \(MarkupText.escape(t.timezone)).</footer>"
        return h + "</body></html>\n"
    }

    /// The page for an unknown, revoked or expired link (status 404).
    public static func notFound() -> String {
        head(title: "Link not available")
            + "<main><h1>This link is not available</h1><p>It does not exist, was revoked by the trip's owner, or has expired.</p></main></body></html>\n"
    }

    public static var contentSecurityPolicy: String { SharePageStyle.contentSecurityPolicy }

    private static func head(title: String) -> String {
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<meta name=\"robots\" content=\"noindex, nofollow\">"
            + "<title>\(MarkupText.escape(title)) · TravelSense</title><style>\(SharePageStyle.css)</style></head><body>"
    }

    private static func itinerary(_ it: SharedItinerary, zone: TimeZone?) -> String {
        var h = "<section aria-labelledby=\"itinerary\"><h2 id=\"itinerary\">Itinerary</h2>"
        // Lodging booked by check-in and check-out spans days; it leads, instead of passing for an idea.
        let stays = it.unscheduled.filter { $0.item.checkIn != nil && $0.item.checkOut != nil }
        let ideas = it.unscheduled.filter { $0.item.checkIn == nil || $0.item.checkOut == nil }
        if !stays.isEmpty {
            h += "<article><h3>Stays</h3><ul>" + stays.map { stay($0.item) }.joined() + "</ul></article>"
        }
        for day in it.days {
            h += "<article><h3>\(MarkupText.escape(DisplayFormat.day(day.date)))</h3>"
            h +=
                day.items.isEmpty
                ? "<p class=\"muted\">Nothing planned.</p>"
                : "<ol>" + day.items.map { entry($0.item, zone) }.joined() + "</ol>"
            if !day.costTotals.isEmpty {
                h += "<p class=\"muted\">Day total: "
                h += day.costTotals.map { MarkupText.escape(DisplayFormat.money($0.amount, $0.currency)) }.joined(
                    separator: " + ")
                h += "</p>"
            }
            h += "</article>"
        }
        if !ideas.isEmpty {
            h +=
                "<article><h3>Ideas, not yet scheduled</h3><ul>" + ideas.map { entry($0.item, zone) }.joined()
                + "</ul></article>"
        }
        return h + "</section>"
    }

    private static func stay(_ item: ItemView) -> String {
        var h = "<li><strong>\(MarkupText.escape(item.title))</strong>"
        if let cost = item.cost {
            h += "<span class=\"cost\">\(MarkupText.escape(DisplayFormat.money(cost.amount, cost.currency)))</span>"
        }
        if let place = item.place {
            h +=
                "<span class=\"muted\"><br>\(MarkupText.escape(place.name))\(place.address.map { ", " + MarkupText.escape($0) } ?? "")</span>"
        }
        if let checkIn = item.checkIn, let checkOut = item.checkOut {
            let nights = checkOut.daysSinceEpoch - checkIn.daysSinceEpoch
            h += "<br><span class=\"muted\">Check-in \(MarkupText.escape(DisplayFormat.day(checkIn))) · check-out "
            h += "\(MarkupText.escape(DisplayFormat.day(checkOut))) (\(nights) night\(nights == 1 ? "" : "s"))</span>"
        }
        if let notes = item.notes, !notes.isEmpty { h += "<p>\(MarkupText.multiline(notes))</p>" }
        return h + "</li>"
    }

    private static func entry(_ item: ItemView, _ zone: TimeZone?) -> String {
        var when = ""
        if let s = item.startsAt {
            when =
                DisplayFormat.time(s, zone: zone)
                + (item.endsAt.map { "–" + DisplayFormat.time($0, zone: zone) } ?? "")
        } else if let s = item.startTime {
            when = DisplayFormat.time(s) + (item.endTime.map { "–" + DisplayFormat.time($0) } ?? "")
        }
        var h =
            "<li><span class=\"time\">\(MarkupText.escape(when))</span><strong>\(MarkupText.escape(item.title))</strong>"
        if let cost = item.cost {
            h += "<span class=\"cost\">\(MarkupText.escape(DisplayFormat.money(cost.amount, cost.currency)))</span>"
        }
        if let from = item.from, let to = item.to {
            h += "<span class=\"place\">\(MarkupText.escape(from.name)) → \(MarkupText.escape(to.name))</span>"
        } else if let place = item.place {
            h +=
                "<span class=\"place\">\(MarkupText.escape(place.name))\(place.address.map { ", " + MarkupText.escape($0) } ?? "")</span>"
        }
        if let notes = item.notes, !notes.isEmpty { h += "<p class=\"notes\">\(MarkupText.multiline(notes))</p>" }
        return h + "</li>"
    }

    private static func places(_ points: [MapPoint]) -> String {
        var h =
            "<section aria-labelledby=\"places\"><h2 id=\"places\">Places</h2><table><thead><tr><th scope=\"col\">Place</th>"
        h += "<th scope=\"col\">Day</th><th scope=\"col\" class=\"num\">Coordinates</th></tr></thead><tbody>"
        for p in points {
            h +=
                "<tr><td>\(MarkupText.escape(p.title))</td><td>\(p.day.map { MarkupText.escape(DisplayFormat.day($0)) } ?? "")</td>"
            h +=
                "<td class=\"num\">\(String(format: "%.5f, %.5f", p.lat, p.lon))</td></tr>"
        }
        return h + "</tbody></table></section>"
    }

    private static func expenses(_ e: SharedExpenses) -> String {
        var h = "<section aria-labelledby=\"expenses\"><h2 id=\"expenses\">Expenses</h2><table><thead><tr>"
        h +=
            "<th scope=\"col\">Date</th><th scope=\"col\">What</th><th scope=\"col\" class=\"num\">Amount</th></tr></thead><tbody>"
        for x in e.expenses {
            h +=
                "<tr><td>\(MarkupText.escape(DisplayFormat.day(x.date)))</td><td>\(MarkupText.escape(x.description))</td>"
            h += "<td class=\"num\">\(MarkupText.escape(DisplayFormat.money(x.amount, x.currency)))</td></tr>"
        }
        h +=
            "</tbody></table><p>Total spent: \(MarkupText.escape(DisplayFormat.money(e.balances.totalSpent, e.balances.currency)))</p>"
        let names = Dictionary(e.balances.members.map { ($0.userId, $0.displayName ?? "A traveller") }) { a, _ in a }
        if !e.balances.transfers.isEmpty {
            h += "<h3>To settle</h3><ul>"
            for t in e.balances.transfers {
                h +=
                    "<li>\(MarkupText.escape(names[t.from] ?? "A traveller")) pays \(MarkupText.escape(names[t.to] ?? "a traveller"))"
                h +=
                    "<span class=\"num\">\(MarkupText.escape(DisplayFormat.money(t.amount, e.balances.currency)))</span></li>"
            }
            h += "</ul>"
        }
        return h + "</section>"
    }

    private static func checklists(_ lists: [ChecklistView]) -> String {
        var h = "<section aria-labelledby=\"checklists\"><h2 id=\"checklists\">Checklists</h2>"
        for list in lists {
            h += "<article><h3>\(MarkupText.escape(list.title))</h3><ul>"
            for entry in list.items {
                h += "<li>\(entry.checked ? "☑" : "☐") \(MarkupText.escape(entry.text))"
                h += entry.checked ? "<span class=\"muted\"> (done)</span></li>" : "</li>"
            }
            h += "</ul></article>"
        }
        return h + "</section>"
    }
}
