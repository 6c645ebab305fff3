import Foundation
import Trips

/// Checks a plan against the hard constraints of its trip and request (`PlanCheckName`). Pure and
/// deterministic: the same plan, trip and request always give the same checks, in the same order,
/// with violations in plan order. A model's plan is never trusted without passing every check.
struct PlanValidator: Sendable {
    var trip: PlanningTrip
    var request: PlanRequest

    /// Longest title a planned item may have (the item endpoints' limit).
    static let maximumTitleLength = 200

    func validate(_ items: [PlanItem]) -> [PlanCheck] {
        PlanCheckName.allCases.map { name in
            let violations = check(name, items)
            return PlanCheck(name: name, passed: violations.isEmpty, violations: violations)
        }
    }

    private func check(_ name: PlanCheckName, _ items: [PlanItem]) -> [PlanViolation] {
        switch name {
        case .itemsKnown: itemsKnown(items)
        case .fields: fields(items)
        case .tripDays: tripDays(items)
        case .requestedDays: requestedDays(items)
        case .times: times(items)
        case .noOverlap: noOverlap(items)
        case .openingHours: openingHours(items)
        case .paceItems: paceItems(items)
        case .paceWalking: paceWalking(items)
        case .budget: budget(items)
        case .mustInclude: mustInclude(items)
        case .avoid: avoid(items)
        case .geocoded: geocoded(items)
        }
    }

    private func itemsKnown(_ items: [PlanItem]) -> [PlanViolation] {
        var seen = Set<String>()
        var out: [PlanViolation] = []
        for (i, item) in items.enumerated() {
            guard let id = item.itemId?.lowercased() else { continue }
            if trip.idea(id) == nil {
                out.append(PlanViolation(item: i, "item_id \(id) is not an unscheduled idea of this trip"))
            } else if !seen.insert(id).inserted {
                out.append(PlanViolation(item: i, "item_id \(id) is planned more than once"))
            }
        }
        return out
    }

    private func fields(_ items: [PlanItem]) -> [PlanViolation] {
        var out: [PlanViolation] = []
        let kinds = PlanningDay.plannableKinds.map(\.rawValue).sorted().joined(separator: ", ")
        for (i, item) in items.enumerated() {
            let title = item.title.trimmingCharacters(in: .whitespacesAndNewlines)
            if title.isEmpty { out.append(PlanViolation(item: i, "the title is empty")) }
            if title.count > Self.maximumTitleLength {
                out.append(PlanViolation(item: i, "the title is longer than \(Self.maximumTitleLength) characters"))
            }
            if !(ItemKind(rawValue: item.kind).map(PlanningDay.plannableKinds.contains) ?? false) {
                out.append(PlanViolation(item: i, "kind \"\(item.kind)\" is not one of \(kinds)"))
            }
            if let cost = item.cost, cost.amount < 0 {
                out.append(PlanViolation(item: i, "the cost is negative"))
            }
            if let place = item.place, place.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                out.append(PlanViolation(item: i, "the place has no name"))
            }
        }
        return out
    }

    private func tripDays(_ items: [PlanItem]) -> [PlanViolation] {
        items.enumerated().compactMap { i, item in
            guard let date = item.date else {
                return PlanViolation(item: i, day: item.day, "\"\(item.day)\" is not a date as YYYY-MM-DD")
            }
            guard date >= trip.startDate, date <= trip.endDate else {
                return PlanViolation(
                    item: i, day: item.day, "\(date) is not a day of the trip (\(trip.startDate) to \(trip.endDate))")
            }
            return nil
        }
    }

    private func requestedDays(_ items: [PlanItem]) -> [PlanViolation] {
        guard let days = request.days else { return [] }
        let allowed = Set(days)
        let list = days.sorted().map(\.description).joined(separator: ", ")
        return items.enumerated().compactMap { i, item in
            guard let date = item.date, !allowed.contains(date) else { return nil }
            return PlanViolation(item: i, day: item.day, "\(date) is not one of the requested days (\(list))")
        }
    }

    private func times(_ items: [PlanItem]) -> [PlanViolation] {
        var out: [PlanViolation] = []
        for (i, item) in items.enumerated() {
            guard let start = item.start else {
                out.append(PlanViolation(item: i, day: item.day, "start_time \"\(item.startTime)\" is not HH:MM"))
                continue
            }
            guard let end = item.end else {
                out.append(PlanViolation(item: i, day: item.day, "end_time \"\(item.endTime)\" is not HH:MM"))
                continue
            }
            if end <= start {
                out.append(
                    PlanViolation(
                        item: i, day: item.day, "ends at \(item.endTime), not after its start \(item.startTime)"))
            }
        }
        return out
    }

    private func noOverlap(_ items: [PlanItem]) -> [PlanViolation] {
        var out: [PlanViolation] = []
        for (i, item) in items.enumerated() {
            guard let date = item.date, let span = item.interval else { continue }
            for j in 0..<i {
                let other = items[j]
                guard other.date == date, let o = other.interval, o.overlaps(span) else { continue }
                out.append(
                    PlanViolation(
                        item: i, day: item.day,
                        "\(item.startTime)–\(item.endTime) overlaps item \(j) \"\(other.title)\" "
                            + "(\(other.startTime)–\(other.endTime))"))
            }
            for existing in trip.scheduled(on: date) {
                guard let busy = existing.busy, busy.overlaps(span) else { continue }
                out.append(
                    PlanViolation(
                        item: i, day: item.day,
                        "\(item.startTime)–\(item.endTime) overlaps \"\(existing.title)\", already scheduled "
                            + "\(PlanningDay.text(busy.lowerBound))–\(PlanningDay.text(busy.upperBound))"))
            }
        }
        return out
    }

    private func openingHours(_ items: [PlanItem]) -> [PlanViolation] {
        var out: [PlanViolation] = []
        let window = "\(PlanningDay.text(PlanningDay.opens))–\(PlanningDay.text(PlanningDay.closes))"
        for (i, item) in items.enumerated() {
            guard let span = item.interval else { continue }
            if span.lowerBound < PlanningDay.opens || span.upperBound > PlanningDay.closes {
                out.append(
                    PlanViolation(
                        item: i, day: item.day,
                        "\(item.startTime)–\(item.endTime) is outside the planning day \(window)"))
            }
            guard let hours = item.openingHours else { continue }
            guard let opens = PlanningDay.minutes(hours.opens), let closes = PlanningDay.minutes(hours.closes),
                closes > opens
            else {
                out.append(PlanViolation(item: i, day: item.day, "opening hours are not HH:MM to a later HH:MM"))
                continue
            }
            if span.lowerBound < opens || span.upperBound > closes {
                out.append(
                    PlanViolation(
                        item: i, day: item.day,
                        "\(item.startTime)–\(item.endTime) is outside its opening hours \(hours.opens)–\(hours.closes)")
                )
            }
        }
        return out
    }

    /// Days in first-appearance order of the plan, each once.
    private func plannedDays(_ items: [PlanItem]) -> [CalendarDate] {
        var seen = Set<CalendarDate>()
        return items.compactMap(\.date).filter { seen.insert($0).inserted }.sorted()
    }

    private func paceItems(_ items: [PlanItem]) -> [PlanViolation] {
        plannedDays(items).compactMap { day in
            let planned = items.filter { $0.date == day }.count
            let existing = trip.scheduled(on: day).filter(\.countsTowardsPace).count
            guard planned + existing > request.pace.maxItemsPerDay else { return nil }
            return PlanViolation(
                day: day.description,
                "\(planned + existing) items (\(existing) already scheduled); the \(request.pace.rawValue) pace "
                    + "allows \(request.pace.maxItemsPerDay) a day")
        }
    }

    private func paceWalking(_ items: [PlanItem]) -> [PlanViolation] {
        plannedDays(items).compactMap { day in
            let planned = items.enumerated().compactMap {
                i, item -> (start: Int, key: String, coordinate: Coordinate)? in
                guard item.date == day, let start = item.start, let c = item.place?.coordinate else { return nil }
                return (start, String(format: "%06d", i), c)
            }
            let meters = DayPath.meters(planned: planned, existing: trip.scheduled(on: day))
            guard meters > request.pace.maxWalkingMeters else { return nil }
            return PlanViolation(
                day: day.description,
                String(format: "%.1f", meters / 1000) + " km of walking; the \(request.pace.rawValue) pace allows "
                    + String(format: "%.0f", request.pace.maxWalkingMeters / 1000) + " km a day")
        }
    }

    private func budget(_ items: [PlanItem]) -> [PlanViolation] {
        guard let budget = request.budget else { return [] }
        var out: [PlanViolation] = []
        var total: Int64 = 0
        for (i, item) in items.enumerated() {
            guard let cost = item.cost else { continue }
            if cost.currency.uppercased() != trip.currency.uppercased() {
                out.append(
                    PlanViolation(
                        item: i,
                        "costs \(cost.amount) in \(cost.currency), which cannot count against a budget in \(trip.currency)"
                    ))
            } else {
                total = total.addingReportingOverflow(max(0, cost.amount)).partialValue
            }
        }
        if total > budget.amount {
            out.append(
                PlanViolation(
                    "the plan costs \(total) (minor units of \(trip.currency)), over the budget of \(budget.amount)"))
        }
        return out
    }

    private func mustInclude(_ items: [PlanItem]) -> [PlanViolation] {
        request.mustInclude.compactMap { wanted in
            let found: Bool
            if let id = UUID(uuidString: wanted) {
                let key = id.uuidString.lowercased()
                found = items.contains { $0.itemId?.lowercased() == key }
            } else {
                found = items.contains { PlanText.contains([$0.title, $0.place?.name], wanted) }
            }
            return found ? nil : PlanViolation("\"\(wanted)\" must be included but is not in the plan")
        }
    }

    private func avoid(_ items: [PlanItem]) -> [PlanViolation] {
        var out: [PlanViolation] = []
        for (i, item) in items.enumerated() {
            for word in request.avoid where PlanText.contains([item.title, item.place?.name, item.notes], word) {
                out.append(PlanViolation(item: i, "\"\(item.title)\" matches \"\(word)\", which is to be avoided"))
            }
        }
        return out
    }

    private func geocoded(_ items: [PlanItem]) -> [PlanViolation] {
        items.enumerated().compactMap { i, item in
            guard let place = item.place else { return PlanViolation(item: i, "\"\(item.title)\" has no place") }
            guard place.coordinate == nil else { return nil }
            return PlanViolation(item: i, "\"\(place.name)\" has no valid coordinates")
        }
    }
}
