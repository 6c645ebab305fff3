import Foundation
import HTTP
import Kernel
import Trips

/// Imported places and events as item inputs for `TripService.importItems`, each remembering the line
/// of the file it came from, so a field Trips refuses is reported against that line.
enum ImportedItems {
    struct Mapped {
        var items: [ItemInput]
        var lines: [Int]
    }

    /// A waypoint or placemark: an unscheduled activity at that place.
    static func places(_ places: [ImportedPlace]) -> Mapped {
        Mapped(
            items: places.map { p in
                var i = ItemInput()
                i.kind = "activity"
                i.title = p.name
                i.place = .value(Place(name: p.name, lat: p.lat, lon: p.lon))
                if let notes = p.notes { i.notes = .value(notes) }
                if let url = p.url { i.url = .value(url) }
                return i
            }, lines: places.map(\.line))
    }

    /// Events in the trip's zone: an all-day event is an item on its first day (a longer one says until
    /// when); a timed one starts (and ends) at its instant, a floating time read on the trip's clock.
    /// A `LOCATION` with `GEO` is the item's place; without coordinates it goes into the notes.
    static func events(_ events: [ImportedEvent], tripZone: String) throws(ImportError) -> Mapped {
        guard let zone = TimeZone(identifier: tripZone) else {
            throw ImportError(line: nil, "the trip's time zone is unknown")
        }
        var items: [ItemInput] = []
        for e in events {
            var i = ItemInput()
            i.kind = "activity"
            i.title = e.summary
            var notes: [String] = []
            if let geo = e.geo {
                i.place = .value(Place(name: e.location ?? e.summary, lat: geo.lat, lon: geo.lon))
            } else if let location = e.location {
                notes.append("Location: " + location)
            }
            switch e.start {
            case .date(let day):
                i.day = .value(day.description)
                if case .date(let end)? = e.end, end > day.adding(days: 1) {
                    notes.append("Until " + end.adding(days: -1).description)
                }
            case .local, .utc:
                i.startsAt = .value(RFC3339.format(try instant(e.start, zone: zone, line: e.line)))
                if let end = e.end { i.endsAt = .value(RFC3339.format(try instant(end, zone: zone, line: e.line))) }
            }
            if let d = e.description { notes.append(d) }
            if !notes.isEmpty {
                i.notes = .value(String(notes.joined(separator: "\n").prefix(ImportLimits.maximumNotesLength)))
            }
            if let url = e.url { i.url = .value(url) }
            items.append(i)
        }
        return Mapped(items: items, lines: events.map(\.line))
    }

    static func instant(_ time: EventTime, zone tripZone: TimeZone, line: Int) throws(ImportError) -> Date {
        switch time {
        case .utc(let date): return date
        case .date(let day): return wallClock(day, 0, in: tripZone)
        case .local(let date, let h, let m, let s, let tzid):
            var zone = tripZone
            if let tzid {
                guard let named = TimeZone(identifier: tzid) else {
                    throw ImportError(line: line, element: "VEVENT", "unknown time zone \"\(tzid)\" (use an IANA name)")
                }
                zone = named
            }
            return wallClock(date, h * 3600 + m * 60 + s, in: zone)
        }
    }

    /// The instant a wall clock in `zone` shows `seconds` into `day`: the offset is looked up twice
    /// (at the naive instant, then at the corrected one), exact except inside a daylight-saving jump.
    static func wallClock(_ day: CalendarDate, _ seconds: Int, in zone: TimeZone) -> Date {
        let wall = Double(day.daysSinceEpoch) * 86_400 + Double(seconds)
        var guess = Date(
            timeIntervalSince1970: wall - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall))))
        guess = Date(timeIntervalSince1970: wall - Double(zone.secondsFromGMT(for: guess)))
        return guess
    }

    /// Trips' 400 for `items[i].field` rewritten against the file: `line 12: day must be …`.
    static func located(_ error: HTTPError, lines: [Int]) -> HTTPError {
        guard !error.errors.isEmpty else { return error }
        var out = error
        out.errors = error.errors.map { f in
            guard f.field.hasPrefix("items["), let close = f.field.firstIndex(of: "]"),
                let index = Int(f.field[f.field.index(f.field.startIndex, offsetBy: 6)..<close]),
                lines.indices.contains(index)
            else { return f }
            let field = f.field[f.field.index(after: close)...].drop { $0 == "." }
            return .init(field: "line \(lines[index])", message: "\(field) \(f.message)")
        }
        out.detail = out.errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        return out
    }
}
