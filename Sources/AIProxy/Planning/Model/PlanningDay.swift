import Trips

/// The shape of a planned day, shared by the validator and the built-in planner so that what one
/// produces the other accepts. Times are minutes since local midnight in the trip's time zone.
enum PlanningDay {
    /// Nothing planned starts before this or ends after `closes` (08:00–22:00 local).
    static let opens = 8 * 60
    static let closes = 22 * 60
    /// Where the built-in planner starts a day: a little after the window opens.
    static let plannerStart = 9 * 60
    /// How long an existing item with a start time but no end time is taken to last.
    static let assumedMinutes = 60
    /// Built-in durations by kind.
    static let activityMinutes = 120
    static let foodMinutes = 90
    static let noteMinutes = 60
    /// Walking speed for travel gaps (4.5 km/h), and the gap's bounds.
    static let walkingMetersPerMinute = 75.0
    static let minimumGapMinutes = 15
    static let maximumGapMinutes = 90
    /// Planned start times are rounded up to this many minutes.
    static let slotMinutes = 5

    /// The kinds a plan may contain; lodging and transport are booked, not planned.
    static let plannableKinds: Set<ItemKind> = [.activity, .food, .note]

    static func minutes(for kind: ItemKind) -> Int {
        switch kind {
        case .food: foodMinutes
        case .note: noteMinutes
        default: activityMinutes
        }
    }

    /// `HH:MM` or `HH:MM:SS` as minutes since midnight (seconds dropped); nil when malformed.
    static func minutes(_ text: String) -> Int? {
        LocalTime(text).map { $0.seconds / 60 }
    }

    /// `HH:MM` for minutes since midnight (0…1439).
    static func text(_ minutes: Int) -> String {
        let m = min(max(0, minutes), 24 * 60 - 1)
        let h = m / 60
        let r = m % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (r < 10 ? "0" : "") + String(r)
    }
}
