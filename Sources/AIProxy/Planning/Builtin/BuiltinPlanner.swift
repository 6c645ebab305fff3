import Foundation
import Trips

/// What the built-in planner produced, and in `notes` what it left out and why.
struct BuiltinPlan: Sendable, Equatable {
    var items: [PlanItem]
    var notes: [String]
}

/// The embedded planner, and the fallback when no model answers with a valid plan. Deterministic: no
/// randomness, no dictionary order, ties broken by id, so the same trip and request always give the
/// same plan.
///
/// 1. Candidates: the trip's unscheduled activities, meals and notes with coordinates, plus
///    must-includes (ideas by id or name, else gazetteer places as new items), minus avoided ones;
///    in priority order (must-include, matches an interest, then id). Over budget, the
///    lowest-priority costly ones are dropped.
/// 2. Days are filled in date order. Each day takes a share of what remains (never more than the
///    pace allows): seeded with the highest-priority candidate that fits, then grown with the
///    remaining candidate nearest to the group's centroid that still fits — a greedy geographic
///    clustering with capacity.
/// 3. A day's group is ordered by the route optimiser and timed by `DayScheduler`; anything that
///    does not fit the hours, the walk or the pace is tried on later days, then on any day with room.
///
/// Every plan it returns passes `PlanValidator` for its trip and request, except a must-include that
/// cannot be placed (reported in `notes` and by the validator).
struct BuiltinPlanner: Sendable {
    var trip: PlanningTrip
    var request: PlanRequest
    /// Must-include names found in the gazetteer, by the name as requested.
    var resolvedPlaces: [String: PlanPlace] = [:]

    /// Candidates tried (nearest first) when growing a day's group.
    static let nearestTries = 12
    /// Left-over candidates tried again on every day with room (highest priority first).
    static let secondPassLimit = 100

    func plan() -> BuiltinPlan {
        var notes: [String] = []
        let gathering = PlanCandidates(trip: trip, request: request, resolvedPlaces: resolvedPlaces)
        var remaining = gathering.withinBudget(gathering.gather(&notes), &notes)
        let allowed = request.days.map(Set.init)
        let schedulers = trip.days.filter { allowed?.contains($0) ?? true }.map {
            DayScheduler(day: $0, pace: request.pace, existing: trip.scheduled(on: $0))
        }
        var groups = [[PlanCandidate]](repeating: [], count: schedulers.count)
        var timed = [[PlanItem]](repeating: [], count: schedulers.count)
        for (k, scheduler) in schedulers.enumerated() where !remaining.isEmpty {
            let daysLeft = schedulers.count - k
            let share = min(scheduler.capacity, (remaining.count + daysLeft - 1) / daysLeft)
            guard share > 0,
                let seed = remaining.indices.first(where: { scheduler.schedule([remaining[$0]]) != nil })
            else { continue }
            var group = [remaining.remove(at: seed)]
            var items = scheduler.schedule(group) ?? []
            while group.count < share {
                let centroid = Self.centroid(group)
                let nearest = remaining.indices.sorted {
                    (Geodesy.distanceMeters(remaining[$0].coordinate, centroid), $0)
                        < (Geodesy.distanceMeters(remaining[$1].coordinate, centroid), $1)
                }.prefix(Self.nearestTries)
                guard
                    let (index, fitted) = nearest.lazy.compactMap({ i in
                        scheduler.schedule(group + [remaining[i]]).map { (i, $0) }
                    }).first
                else { break }
                group.append(remaining.remove(at: index))
                items = fitted
            }
            groups[k] = group
            timed[k] = items
        }
        for (n, candidate) in remaining.enumerated() {
            var placed = false
            if n < Self.secondPassLimit {
                for k in schedulers.indices where groups[k].count < schedulers[k].capacity {
                    guard let fitted = schedulers[k].schedule(groups[k] + [candidate]) else { continue }
                    groups[k].append(candidate)
                    timed[k] = fitted
                    placed = true
                    break
                }
            }
            if !placed {
                notes.append("\"\(candidate.title)\" did not fit: no day had room within the pace, hours and walk")
            }
        }
        let items = timed.flatMap { $0 }.sorted {
            ($0.day, $0.start ?? 0, $0.title) < ($1.day, $1.start ?? 0, $1.title)
        }
        return BuiltinPlan(items: items, notes: notes)
    }

    /// The mean of the group's coordinates: good enough at a city's scale, where groups live.
    static func centroid(_ group: [PlanCandidate]) -> Coordinate {
        let n = Double(max(1, group.count))
        return Coordinate(
            latitude: group.reduce(0) { $0 + $1.coordinate.latitude } / n,
            longitude: group.reduce(0) { $0 + $1.coordinate.longitude } / n)
    }
}
