import Foundation
import Trips

/// Completes a model's plan before it is checked: an item naming an idea takes the idea's kind, cost
/// and place (the idea is the truth, the model's copy may drift); a place without coordinates is
/// looked up among the trip's ideas by name, then through `lookup` (the offline gazetteer). What
/// stays unresolved is left for the validator to report.
struct PlanResolver {
    var trip: PlanningTrip
    var lookup: (String) -> PlanPlace?

    func resolve(_ items: [PlanItem]) -> [PlanItem] {
        items.map(resolve)
    }

    func resolve(_ item: PlanItem) -> PlanItem {
        var item = item
        if let id = item.itemId, let idea = trip.idea(id) {
            item.itemId = idea.id
            item.kind = idea.kind.rawValue
            item.cost = idea.cost
            if item.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { item.title = idea.title }
            if idea.place?.coordinate != nil { item.place = idea.place }
        }
        guard item.place?.coordinate == nil else { return item }
        let name = item.place?.name ?? item.title
        if let idea = trip.ideas.first(where: { idea in
            idea.place?.coordinate != nil
                && (PlanText.equal(idea.title, name) || idea.place.map { PlanText.equal($0.name, name) } ?? false)
        }) {
            item.place = idea.place
        } else if let found = lookup(name) {
            item.place = PlanPlace(name: item.place?.name ?? found.name, lat: found.lat, lon: found.lon)
        }
        return item
    }
}
