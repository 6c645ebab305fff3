import Trips

/// The walk of one day: its located activities, meals and notes, planned or already scheduled, in
/// start-time order. Shared by the validator and the built-in planner so both measure it the same way.
enum DayPath {
    struct Stop {
        var start: Int
        /// Planned items sort before existing ones starting at the same minute, then by key.
        var key: String
        var coordinate: Coordinate
    }

    /// Meters along the day's stops.
    static func meters(planned: [(start: Int, key: String, coordinate: Coordinate)], existing: [TripItem]) -> Double {
        var stops = planned.map { Stop(start: $0.start, key: "0" + $0.key, coordinate: $0.coordinate) }
        for item in existing where item.countsTowardsPace {
            guard let start = item.start, let c = item.place?.coordinate else { continue }
            stops.append(Stop(start: start, key: "1" + item.id, coordinate: c))
        }
        stops.sort { ($0.start, $0.key) < ($1.start, $1.key) }
        return Geodesy.pathLength(stops.map(\.coordinate))
    }
}
