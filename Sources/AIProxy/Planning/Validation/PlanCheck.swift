/// The hard constraints a plan must satisfy, in the order they are reported.
enum PlanCheckName: String, Codable, Sendable, CaseIterable {
    /// Every `item_id` names an unscheduled idea of the trip, at most once.
    case itemsKnown = "items_known"
    /// Titles present, kinds plannable (activity, food, note), costs and place names well formed.
    case fields
    /// Every day is a date of the trip.
    case tripDays = "trip_days"
    /// Every day is one the request asked for (when it named days).
    case requestedDays = "requested_days"
    /// Start and end are times of day and the end comes after the start.
    case times
    /// No two items of a day overlap, planned or already scheduled.
    case noOverlap = "no_overlap"
    /// Inside the planning day (08:00–22:00) and the item's own opening hours.
    case openingHours = "opening_hours"
    /// At most the pace's items per day.
    case paceItems = "pace_items"
    /// At most the pace's walking distance per day.
    case paceWalking = "pace_walking"
    /// The plan's costs, in the trip's currency, within the requested budget.
    case budget
    /// Every must-include is in the plan.
    case mustInclude = "must_include"
    /// Nothing the request avoids is in the plan.
    case avoid
    /// Every item has a place with valid coordinates.
    case geocoded
}

/// One broken rule: the plan item (its index) and/or the day it concerns, in words a model or a
/// person can act on.
struct PlanViolation: Codable, Sendable, Equatable {
    var item: Int?
    var day: String?
    var message: String

    init(item: Int? = nil, day: String? = nil, _ message: String) {
        self.item = item
        self.day = day
        self.message = message
    }
}

/// One check's result, as a proposal shows it.
struct PlanCheck: Codable, Sendable, Equatable {
    var name: PlanCheckName
    var passed: Bool
    var violations: [PlanViolation]
}

extension [PlanCheck] {
    var allPassed: Bool { allSatisfy(\.passed) }
    var failed: [PlanCheck] { filter { !$0.passed } }

    /// `name: message` lines of every violation, for a repair prompt and for logs.
    var violationLines: [String] {
        flatMap { check in
            check.violations.map { v in
                var prefix = check.name.rawValue
                if let item = v.item { prefix += " (item \(item))" }
                if let day = v.day { prefix += " (\(day))" }
                return prefix + ": " + v.message
            }
        }
    }
}
