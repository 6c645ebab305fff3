import Kernel
import Trips

/// A place in a plan: a name and, once geocoded, its coordinates.
struct PlanPlace: Codable, Sendable, Equatable {
    var name: String
    var lat: Double?
    var lon: Double?

    /// The coordinate when both parts are present and valid.
    var coordinate: Coordinate? {
        guard let lat, let lon else { return nil }
        let c = Coordinate(latitude: lat, longitude: lon)
        return c.isValid ? c : nil
    }
}

/// When a place receives visitors on the planned day (`HH:MM`), if the plan knows.
struct OpeningHours: Codable, Sendable, Equatable {
    var opens: String
    var closes: String
}

/// One entry of a plan: an existing idea to schedule (`item_id`) or a new item. Days and times stay
/// text, as a model wrote them, so that the validator can say what is malformed instead of the
/// decoder refusing the whole plan.
struct PlanItem: Codable, Sendable, Equatable {
    var itemId: String?
    var day: String
    var startTime: String
    var endTime: String
    var title: String
    var kind: String
    var place: PlanPlace?
    var cost: MoneyAmount?
    var notes: String?
    var openingHours: OpeningHours?

    init(
        itemId: String? = nil, day: String, startTime: String, endTime: String, title: String, kind: String,
        place: PlanPlace? = nil, cost: MoneyAmount? = nil, notes: String? = nil, openingHours: OpeningHours? = nil
    ) {
        self.itemId = itemId
        self.day = day
        self.startTime = startTime
        self.endTime = endTime
        self.title = title
        self.kind = kind
        self.place = place
        self.cost = cost
        self.notes = notes
        self.openingHours = openingHours
    }

    var date: CalendarDate? { CalendarDate(day) }
    var start: Int? { PlanningDay.minutes(startTime) }
    var end: Int? { PlanningDay.minutes(endTime) }

    /// Start and end when both are well formed and the end comes after the start.
    var interval: Range<Int>? {
        guard let start, let end, end > start else { return nil }
        return start..<end
    }
}
