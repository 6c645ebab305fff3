import Foundation

/// Field rules shared by trip, item and expense bodies.
enum Limits {
    static let title = 200
    static let description = 5000
    static let notes = 10_000
    static let url = 2048
    static let shortText = 100
    static let confirmationCode = 200
    /// A trillion in minor units: more than any trip spends, far from Int64 overflow when summed.
    static let maximumAmount: Int64 = 1_000_000_000_000_000
}

extension FieldErrors {
    mutating func date(_ text: String?, _ field: String, required: Bool = true) -> CalendarDate? {
        guard let text else {
            if required { add(field, "is required") }
            return nil
        }
        guard let date = CalendarDate(text) else {
            add(field, "must be a date as YYYY-MM-DD")
            return nil
        }
        return date
    }

    mutating func currency(_ code: String?, _ field: String, required: Bool = true) -> String? {
        guard let code else {
            if required { add(field, "is required") }
            return nil
        }
        guard Currency.isValid(code) else {
            add(field, "must be an ISO 4217 currency code such as EUR")
            return nil
        }
        return code
    }

    mutating func timeZone(_ name: String?, _ field: String, required: Bool = true) -> String? {
        guard let name else {
            if required { add(field, "is required") }
            return nil
        }
        guard TimeZones.isValid(name) else {
            add(field, "must be an IANA time zone such as Europe/Lisbon")
            return nil
        }
        return name
    }

    mutating func money(_ money: MoneyAmount?, _ field: String, allowNegative: Bool = false) -> MoneyAmount? {
        guard let money else { return nil }
        var ok = true
        if money.amount.magnitude > Limits.maximumAmount.magnitude || (!allowNegative && money.amount < 0) {
            add("\(field).amount", allowNegative ? "is out of range" : "must be a non-negative integer of minor units")
            ok = false
        }
        if currency(money.currency, "\(field).currency") == nil { ok = false }
        return ok ? money : nil
    }

    mutating func coordinate(lat: Double?, lon: Double?, _ field: String, required: Bool) {
        if let lat {
            if !(lat.isFinite && (-90...90).contains(lat)) { add("\(field).lat", "must be between -90 and 90") }
        } else if required {
            add("\(field).lat", "is required")
        }
        if let lon {
            if !(lon.isFinite && (-180...180).contains(lon)) { add("\(field).lon", "must be between -180 and 180") }
        } else if required {
            add("\(field).lon", "is required")
        }
        if !required, (lat == nil) != (lon == nil) { add(field, "needs both lat and lon, or neither") }
    }

    mutating func destination(_ d: Destination?, _ field: String) -> Destination? {
        guard var d else { return nil }
        d.name = text(d.name, "\(field).name", max: Limits.title) ?? ""
        coordinate(lat: d.lat, lon: d.lon, field, required: false)
        if let code = d.countryCode {
            let upper = code.uppercased()
            if upper.utf8.count != 2 || !upper.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) {
                add("\(field).country_code", "must be an ISO 3166-1 alpha-2 code such as PT")
            }
            d.countryCode = upper
        }
        return d
    }

    mutating func tripDates(_ start: CalendarDate?, _ end: CalendarDate?) {
        guard let start, let end else { return }
        if end < start {
            add("end_date", "must not be before start_date")
        } else if end - start + 1 > TripService.maximumDays {
            add("end_date", "must be at most \(TripService.maximumDays) days after start_date")
        }
    }
}
