import Foundation
import Trips

/// Something the built-in planner may put on a day: an idea of the trip, or a must-include found in
/// the gazetteer (a new item). Always located: the planner leaves out what it cannot place on a map.
struct PlanCandidate: Sendable, Equatable {
    /// The idea's id, or `~NNNN` for a new item (the must-include's index): unique and sortable.
    var key: String
    var itemId: String?
    var title: String
    var kind: ItemKind
    var place: PlanPlace
    var coordinate: Coordinate
    var cost: MoneyAmount?
    var notes: String?
    var must = false
    var interesting = false
    /// Position among the ideas by id; new items come after every idea.
    var order: Int

    /// Higher priority first: must-includes, then ideas matching an interest, then by id.
    static func byPriority(_ a: PlanCandidate, _ b: PlanCandidate) -> Bool {
        (a.must ? 0 : 1, a.interesting ? 0 : 1, a.order) < (b.must ? 0 : 1, b.interesting ? 0 : 1, b.order)
    }

    func item(on day: CalendarDate, from start: Int, to end: Int) -> PlanItem {
        PlanItem(
            itemId: itemId, day: day.description, startTime: PlanningDay.text(start), endTime: PlanningDay.text(end),
            title: title, kind: kind.rawValue, place: place, cost: cost, notes: notes)
    }
}

/// Gathers the candidates of a request, in priority order, and says what it left out and why.
struct PlanCandidates {
    var trip: PlanningTrip
    var request: PlanRequest
    var resolvedPlaces: [String: PlanPlace]

    func avoided(_ texts: [String?]) -> String? {
        request.avoid.first { PlanText.contains(texts, $0) }
    }

    func gather(_ notes: inout [String]) -> [PlanCandidate] {
        var candidates: [PlanCandidate] = []
        for (order, idea) in trip.ideas.enumerated() {
            guard PlanningDay.plannableKinds.contains(idea.kind) else {
                notes.append(
                    "\"\(idea.title)\" is a \(idea.kind.rawValue) idea; the planner schedules activities, meals and notes"
                )
                continue
            }
            if let word = avoided([idea.title, idea.place?.name, idea.notes]) {
                notes.append("\"\(idea.title)\" was left out: it matches \"\(word)\", which is to be avoided")
                continue
            }
            guard let place = idea.place, let coordinate = place.coordinate else {
                notes.append("\"\(idea.title)\" was left out: it has no coordinates")
                continue
            }
            let interesting = request.interests.contains {
                PlanText.contains([idea.title, idea.notes, place.name, idea.kind.rawValue], $0)
            }
            candidates.append(
                PlanCandidate(
                    key: idea.id, itemId: idea.id, title: idea.title, kind: idea.kind, place: place,
                    coordinate: coordinate, cost: idea.cost, notes: idea.notes, interesting: interesting, order: order))
        }
        for (n, wanted) in request.mustInclude.enumerated() {
            if let id = UUID(uuidString: wanted)?.uuidString.lowercased() {
                if let i = candidates.firstIndex(where: { $0.itemId?.lowercased() == id }) {
                    candidates[i].must = true
                } else {
                    notes.append("Must-include \(wanted) is not an idea the planner can schedule")
                }
                continue
            }
            if let i = candidates.firstIndex(where: { PlanText.contains([$0.title, $0.place.name], wanted) }) {
                candidates[i].must = true
                continue
            }
            let title = wanted.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let place = resolvedPlaces[wanted], let coordinate = place.coordinate else {
                notes.append("Must-include \"\(title)\" was found neither among the trip's ideas nor in the gazetteer")
                continue
            }
            if let word = avoided([title, place.name]) {
                notes.append("Must-include \"\(title)\" matches \"\(word)\", which is to be avoided")
                continue
            }
            let key = "~" + String(format: "%04d", n)
            candidates.append(
                PlanCandidate(
                    key: key, itemId: nil, title: title, kind: .activity, place: place, coordinate: coordinate,
                    must: true, order: trip.ideas.count + n))
        }
        return candidates.sorted(by: PlanCandidate.byPriority)
    }

    /// Drops the lowest-priority costly candidates (never must-includes) until the rest fit the budget;
    /// costs in another currency cannot be counted, so those candidates go first.
    func withinBudget(_ candidates: [PlanCandidate], _ notes: inout [String]) -> [PlanCandidate] {
        guard let budget = request.budget else { return candidates }
        let currency = trip.currency.uppercased()
        var kept = candidates.filter { c in
            guard let cost = c.cost, cost.currency.uppercased() != currency, !c.must else { return true }
            notes.append("\"\(c.title)\" was left out: its cost is in \(cost.currency), the budget in \(currency)")
            return false
        }
        func total() -> Int64 {
            kept.reduce(0) { sum, c in
                guard let cost = c.cost, cost.currency.uppercased() == currency else { return sum }
                return sum.addingReportingOverflow(max(0, cost.amount)).partialValue
            }
        }
        while total() > budget.amount {
            guard let i = kept.lastIndex(where: { !$0.must && ($0.cost?.amount ?? 0) > 0 }) else {
                notes.append("The must-includes alone cost more than the budget")
                break
            }
            notes.append("\"\(kept[i].title)\" was left out to stay within the budget")
            kept.remove(at: i)
        }
        return kept
    }
}
