import Foundation
import Kernel

extension ItemState {
    /// `input` applied on top of `self` (a new item starts from the empty state); every malformed
    /// field is added to `e`.
    func applying(_ input: ItemInput, _ e: inout FieldErrors, creating: Bool) -> ItemState {
        var s = self
        if let kind = input.kind {
            if let k = ItemKind(rawValue: kind) {
                if !creating && k != self.kind { e.add("kind", "cannot change; create a new item instead") }
                s.kind = k
            } else {
                e.add("kind", "must be one of " + ItemKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
        } else if creating {
            e.add("kind", "is required")
        }
        if let title = input.title {
            s.title = e.text(title, "title", max: Limits.title) ?? ""
        } else if creating {
            e.add("title", "is required")
        }
        func date(_ p: Patch<String>, _ field: String, _ current: CalendarDate?) -> CalendarDate? {
            guard case .value(let text) = p else {
                return p.applied(to: current.map(\.description)).flatMap(CalendarDate.init)
            }
            return e.date(text, field)
        }
        func time(_ p: Patch<String>, _ field: String, _ current: LocalTime?) -> LocalTime? {
            switch p {
            case .absent: return current
            case .null: return nil
            case .value(let text):
                guard let t = LocalTime(text) else {
                    e.add(field, "must be a local time as HH:MM")
                    return nil
                }
                return t
            }
        }
        func instant(_ p: Patch<String>, _ field: String, _ current: Date?) -> Date? {
            switch p {
            case .absent: return current
            case .null: return nil
            case .value(let text):
                guard let d = RFC3339.parse(text) else {
                    e.add(field, "must be an RFC 3339 timestamp with an offset")
                    return nil
                }
                return d
            }
        }
        func text(_ p: Patch<String>, _ field: String, max: Int, _ current: String?) -> String? {
            switch p {
            case .absent: return current
            case .null: return nil
            case .value(let v):
                let t = e.text(v, field, max: max, required: false)
                return t?.isEmpty == true ? nil : t
            }
        }
        s.day = date(input.day, "day", day)
        s.startTime = time(input.startTime, "start_time", startTime)
        s.endTime = time(input.endTime, "end_time", endTime)
        s.startsAt = instant(input.startsAt, "starts_at", startsAt)
        s.endsAt = instant(input.endsAt, "ends_at", endsAt)
        s.place = input.place.applied(to: place)
        s.cost = input.cost.applied(to: cost)
        s.url = text(input.url, "url", max: Limits.url, url)
        s.notes = text(input.notes, "notes", max: Limits.notes, notes)
        s.confirmationCode = text(
            input.confirmationCode, "confirmation_code", max: Limits.confirmationCode, confirmationCode)
        s.checkIn = date(input.checkIn, "check_in", checkIn)
        s.checkOut = date(input.checkOut, "check_out", checkOut)
        s.from = input.from.applied(to: from)
        s.to = input.to.applied(to: to)
        s.carrier = text(input.carrier, "carrier", max: Limits.shortText, carrier)
        s.number = text(input.number, "number", max: Limits.shortText, number)
        switch input.mode {
        case .absent: break
        case .null: s.mode = nil
        case .value(let m):
            if let mode = TransportMode(rawValue: m) {
                s.mode = mode
            } else {
                e.add("mode", "must be one of " + TransportMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        // A multi-day item's day is the local date it starts on, unless the client says otherwise.
        return s
    }

    /// The rules that involve the trip or several fields at once.
    mutating func validate(in trip: LockedTrip, _ e: inout FieldErrors) {
        let zone = TimeZones.zone(trip.timezone)
        if let startsAt, day == nil { day = CalendarDate(startsAt, in: zone) }
        if let day, !trip.days.contains(day) {
            e.add("day", "must be a date within the trip (\(trip.startDate) to \(trip.endDate))")
        }
        if (startTime != nil || endTime != nil) && day == nil { e.add("start_time", "needs a day") }
        if startTime == nil && endTime != nil { e.add("end_time", "needs a start_time") }
        if let startTime, let endTime, endTime <= startTime {
            e.add("end_time", "must be after start_time (use starts_at/ends_at for items past midnight)")
        }
        if (startsAt != nil || endsAt != nil) && (startTime != nil || endTime != nil) {
            e.add("starts_at", "cannot be combined with start_time/end_time")
        }
        if startsAt == nil && endsAt != nil { e.add("ends_at", "needs a starts_at") }
        if let startsAt {
            let first = CalendarDate(startsAt, in: zone)
            if !trip.days.contains(first) { e.add("starts_at", "must fall within the trip in its time zone") }
            if let day, day != first { e.add("day", "must be the local date of starts_at (\(first))") }
            if let endsAt {
                if endsAt < startsAt { e.add("ends_at", "must not be before starts_at") }
                if CalendarDate(endsAt, in: zone) > trip.endDate {
                    e.add("ends_at", "must fall within the trip in its time zone")
                }
            }
        }
        if let place {
            _ = e.text(place.name, "place.name", max: Limits.title)
            e.coordinate(lat: place.lat, lon: place.lon, "place", required: true)
            if let a = place.address { _ = e.text(a, "place.address", max: Limits.description, required: false) }
            if let r = place.providerRef {
                _ = e.text(r, "place.provider_ref", max: Limits.shortText * 2, required: false)
            }
        }
        if let cost { _ = e.money(cost, "cost") }
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || URL(string: url)?.host == nil {
            e.add("url", "must be an http(s) URL")
        }
        let isLodging = kind == .lodging
        let isTransport = kind == .transport
        if !isLodging && (checkIn != nil || checkOut != nil) { e.add("check_in", "is only for lodging items") }
        if let checkIn, !trip.days.contains(checkIn) { e.add("check_in", "must be a date within the trip") }
        if let checkOut, !trip.days.contains(checkOut) { e.add("check_out", "must be a date within the trip") }
        if let checkIn, let checkOut, checkOut < checkIn { e.add("check_out", "must not be before check_in") }
        if !isTransport && (from != nil || to != nil || carrier != nil || number != nil || mode != nil) {
            e.add("mode", "from, to, carrier, number and mode are only for transport items")
        }
        for (p, field) in [(from, "from"), (to, "to")] {
            guard let p else { continue }
            _ = e.text(p.name, "\(field).name", max: Limits.title)
            e.coordinate(lat: p.lat, lon: p.lon, field, required: false)
        }
    }
}
