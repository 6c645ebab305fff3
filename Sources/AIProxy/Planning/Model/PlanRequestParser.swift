import Foundation
import HTTP
import Kernel
import Trips

/// Reads a generate body field by field, so that one 400 names every bad field at once (a typed
/// decoder stops at the first). Checks against the trip too: requested days must be trip days, the
/// budget must be in the trip's currency (money is never converted behind the user's back), and an
/// id among the must-includes must be one of the trip's unscheduled ideas.
enum PlanRequestParser {
    static let maximumInterests = 20
    static let maximumEntries = 50
    static let maximumTextLength = 200
    static let fields: Set<String> = ["interests", "pace", "budget", "must_include", "avoid", "days"]

    static func parse(_ body: JSONValue, trip: PlanningTrip) throws -> PlanRequest {
        var errors: [HTTPError.FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }
        guard let members = body.objectValue else {
            throw HTTPError.invalid([.init(field: "", message: "must be a JSON object")])
        }
        for (key, _) in members where !fields.contains(key) { fail(key, "is not a field of this request") }
        var request = PlanRequest()

        func strings(_ key: String, max: Int) -> [String] {
            guard let value = body[key], value != .null else { return [] }
            guard let list = value.arrayValue else {
                fail(key, "must be an array of strings")
                return []
            }
            if list.count > max { fail(key, "must have at most \(max) entries") }
            return list.enumerated().compactMap { i, entry in
                guard let text = entry.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) else {
                    fail("\(key)[\(i)]", "must be a string")
                    return nil
                }
                if text.isEmpty || text.count > maximumTextLength {
                    fail("\(key)[\(i)]", "must be 1 to \(maximumTextLength) characters")
                    return nil
                }
                if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    fail("\(key)[\(i)]", "must not contain control characters")
                    return nil
                }
                return text
            }
        }

        request.interests = strings("interests", max: maximumInterests)
        request.avoid = strings("avoid", max: maximumEntries)
        request.mustInclude = strings("must_include", max: maximumEntries)
        for (i, wanted) in request.mustInclude.enumerated() {
            if UUID(uuidString: wanted) != nil, trip.idea(wanted) == nil {
                fail("must_include[\(i)]", "is an id but not of an unscheduled idea of this trip")
            }
        }

        let paces = Pace.allCases.map(\.rawValue).joined(separator: ", ")
        if let text = body["pace"]?.stringValue, let pace = Pace(rawValue: text) {
            request.pace = pace
        } else {
            fail("pace", body["pace"] == nil ? "is required (\(paces))" : "must be one of \(paces)")
        }

        if let budget = body["budget"], budget != .null {
            let amount = budget["amount"]?.intValue
            let currency = budget["currency"]?.stringValue
            if budget.objectValue == nil {
                fail("budget", "must be an object with amount and currency")
            } else {
                if amount == nil || amount.map({ $0 < 0 }) == true {
                    fail("budget.amount", "must be a non-negative integer of minor units")
                }
                if currency?.uppercased() != trip.currency.uppercased() {
                    fail("budget.currency", "must be the trip's currency, \(trip.currency)")
                }
                if let amount, amount >= 0 {
                    request.budget = MoneyAmount(amount: Int64(amount), currency: trip.currency)
                }
            }
        }

        if let days = body["days"], days != .null {
            if let list = days.arrayValue {
                var seen = Set<CalendarDate>()
                if list.isEmpty { fail("days", "must name at least one day (or be left out for every day)") }
                for (i, entry) in list.enumerated() {
                    guard let text = entry.stringValue, let date = CalendarDate(text) else {
                        fail("days[\(i)]", "must be a date as YYYY-MM-DD")
                        continue
                    }
                    if date < trip.startDate || date > trip.endDate {
                        fail("days[\(i)]", "must be a day of the trip (\(trip.startDate) to \(trip.endDate))")
                    } else if !seen.insert(date).inserted {
                        fail("days[\(i)]", "is listed twice")
                    }
                }
                request.days = seen.sorted()
            } else {
                fail("days", "must be an array of dates")
            }
        }
        guard errors.isEmpty else { throw HTTPError.invalid(errors) }
        return request
    }
}
