import Trips

/// Puts a group of candidates on one day: visiting order from Trips' route optimiser, times from the
/// planning day's start with each kind's duration and a walking gap between places, sliding past
/// what is already scheduled. Answers nil when the group does not fit the day's hours or its walk
/// exceeds the pace, so callers can try a smaller group.
struct DayScheduler {
    var day: CalendarDate
    var pace: Pace
    /// The day's existing items (for busy times and the walk).
    var existing: [TripItem]
    /// How many more items the pace allows on this day.
    var capacity: Int
    /// Times already taken, with where they happen (the walk away from them needs time too).
    private let busy: [(span: Range<Int>, coordinate: Coordinate?)]

    init(day: CalendarDate, pace: Pace, existing: [TripItem]) {
        self.day = day
        self.pace = pace
        self.existing = existing
        capacity = max(0, pace.maxItemsPerDay - existing.filter(\.countsTowardsPace).count)
        busy = existing.compactMap { item in item.busy.map { ($0, item.place?.coordinate) } }
            .sorted { $0.span.lowerBound < $1.span.lowerBound }
    }

    func schedule(_ group: [PlanCandidate]) -> [PlanItem]? {
        guard group.count <= capacity else { return nil }
        let stops = group.map { RouteStop(id: $0.key, coordinate: $0.coordinate) }
        let byKey = Dictionary(group.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let order = RouteOptimizer().optimize(stops: stops).order.compactMap { byKey[$0] }
        var cursor = PlanningDay.plannerStart
        var previous: Coordinate?
        var items: [PlanItem] = []
        var path: [(start: Int, key: String, coordinate: Coordinate)] = []
        for candidate in order {
            let length = PlanningDay.minutes(for: candidate.kind)
            var start = cursor
            if let previous { start += Self.travelMinutes(previous, candidate.coordinate) }
            start = Self.roundUp(start)
            var moved = true
            while moved {
                moved = false
                for b in busy where b.span.overlaps(start..<(start + length)) {
                    let walk = b.coordinate.map { Self.travelMinutes($0, candidate.coordinate) }
                    start = Self.roundUp(b.span.upperBound + (walk ?? PlanningDay.minimumGapMinutes))
                    moved = true
                }
            }
            guard start + length <= PlanningDay.closes else { return nil }
            items.append(candidate.item(on: day, from: start, to: start + length))
            path.append((start, candidate.key, candidate.coordinate))
            cursor = start + length
            previous = candidate.coordinate
        }
        guard DayPath.meters(planned: path, existing: existing) <= pace.maxWalkingMeters else { return nil }
        return items
    }

    static func travelMinutes(_ a: Coordinate, _ b: Coordinate) -> Int {
        let walk = Int((Geodesy.distanceMeters(a, b) / PlanningDay.walkingMetersPerMinute).rounded(.up))
        return min(max(PlanningDay.minimumGapMinutes, walk), PlanningDay.maximumGapMinutes)
    }

    static func roundUp(_ minutes: Int) -> Int {
        (minutes + PlanningDay.slotMinutes - 1) / PlanningDay.slotMinutes * PlanningDay.slotMinutes
    }
}
