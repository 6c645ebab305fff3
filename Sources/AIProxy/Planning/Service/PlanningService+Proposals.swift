import Foundation
import HTTP
import Kernel
import Postgres
import Trips

/// `POST …/apply`'s answer: the proposal, now applied, and the items it wrote.
struct AppliedProposal: Encodable, Sendable {
    var proposal: ProposalView
    var items: [ItemView]
}

extension PlanningService {
    func proposal(_ tripID: UUID, _ id: UUID, _ principal: Principal) throws -> ProposalView {
        try readRow(tripID, id, principal).view
    }

    /// The trip's proposals, newest first.
    func proposals(_ tripID: UUID, page: PageRequest, _ principal: Principal) throws -> Page<ProposalView> {
        let before = page.after?.first.flatMap(UUID.init(uuidString:))
        if page.after != nil && before == nil {
            throw HTTPError.invalid([.init(field: "cursor", message: "is not a cursor this list issued")])
        }
        let rows = try trips.withTripAccess(tripID, principal, needs: .viewer, action: "read proposals") { _, c in
            try c.query(
                """
                SELECT \(ProposalRow.columns) FROM ai_proposals
                WHERE trip_id = $1 AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3
                """, [tripID, before, page.limit + 1]
            ).decode(ProposalRow.self)
        }
        return Page(rows: try rows.map { try $0.view }, limit: page.limit) { [$0.id] }
    }

    /// Writes the proposal's items into the trip in one transaction (editor role), all or nothing: 409
    /// when it was already applied or discarded, and when the trip changed since the proposal was
    /// made and the plan now breaks a rule it kept then (the answer lists the violations). Trips'
    /// refusal of an item (the trip's dates changed, say) is a 409 naming the plan's entries.
    func apply(_ tripID: UUID, _ id: UUID, _ principal: Principal) throws -> AppliedProposal {
        let row = try readRow(tripID, id, principal)
        guard row.status == "proposed" else { throw Self.closed(row.status) }
        let view = try row.view
        var errors: [HTTPError.FieldError] = []
        var schedule: [PlannedScheduling] = []
        var add: [ItemInput] = []
        for (i, item) in view.plan.enumerated() {
            if let idea = item.itemId {
                guard let ideaID = UUID(uuidString: idea), let day = item.date, let start = LocalTime(item.startTime),
                    let end = LocalTime(item.endTime)
                else {
                    errors.append(.init(field: "plan[\(i)]", message: "has no valid item id, day or times"))
                    continue
                }
                schedule.append(PlannedScheduling(itemID: ideaID, day: day, startTime: start, endTime: end))
            } else {
                add.append(Self.input(item))
            }
        }
        guard errors.isEmpty else {
            throw HTTPError(.conflict, detail: "The proposal cannot be applied.", errors: errors)
        }
        let failedBefore = Set(view.checks.failed.map(\.name))
        let items: [ItemView]
        do {
            items = try trips.applyPlan(tripID, TripPlanChanges(schedule: schedule, add: add), principal) {
                current, c in
                let claimed = try c.execute(
                    """
                    UPDATE ai_proposals SET status = 'applied', applied_at = now()
                    WHERE id = $1 AND trip_id = $2 AND status = 'proposed'
                    """, [id, tripID])
                guard claimed == 1 else { throw Self.closed("applied or discarded") }
                guard current.trip.version != view.tripVersion else { return }
                let checks = PlanValidator(trip: PlanningTrip(current), request: view.request).validate(view.plan)
                let broken = checks.failed.filter { !failedBefore.contains($0.name) }
                guard broken.isEmpty else {
                    throw HTTPError(
                        .conflict, title: "The trip changed",
                        detail: "The trip changed since this proposal was made, and the plan no longer holds.",
                        errors: broken.flatMap { check in
                            check.violations.map {
                                HTTPError.FieldError(
                                    field: $0.item.map { "plan[\($0)]" } ?? "checks.\(check.name.rawValue)",
                                    message: "\(check.name.rawValue): \($0.message)")
                            }
                        })
                }
            }
        } catch let error as HTTPError where error.status == .badRequest && !error.errors.isEmpty {
            throw HTTPError(
                .conflict, title: "The plan does not fit the trip",
                detail: "The trip refused part of the plan; nothing was changed.", errors: error.errors)
        }
        return AppliedProposal(proposal: try readRow(tripID, id, principal).view, items: items)
    }

    /// Marks the proposal discarded (editor role); 409 when it was already applied or discarded.
    func discard(_ tripID: UUID, _ id: UUID, _ principal: Principal) throws -> ProposalView {
        try trips.withTripAccess(tripID, principal, needs: .editor, action: "discard proposals") { _, c in
            guard
                let row = try c.query(
                    "SELECT \(ProposalRow.columns) FROM ai_proposals WHERE id = $1 AND trip_id = $2 FOR UPDATE",
                    [id, tripID]
                ).decode(ProposalRow.self).first
            else { throw Self.notFound }
            guard row.status == "proposed" else { throw Self.closed(row.status) }
            guard
                let updated = try c.query(
                    """
                    UPDATE ai_proposals SET status = 'discarded', discarded_at = now() WHERE id = $1
                    RETURNING \(ProposalRow.columns)
                    """, [id]
                ).decode(ProposalRow.self).first
            else { throw Self.notFound }
            return try updated.view
        }
    }

    private func readRow(_ tripID: UUID, _ id: UUID, _ principal: Principal) throws -> ProposalRow {
        try trips.withTripAccess(tripID, principal, needs: .viewer, action: "read proposals") { _, c in
            guard
                let row = try c.query(
                    "SELECT \(ProposalRow.columns) FROM ai_proposals WHERE id = $1 AND trip_id = $2", [id, tripID]
                ).decode(ProposalRow.self).first
            else { throw Self.notFound }
            return row
        }
    }

    static func closed(_ status: String) -> HTTPError {
        HTTPError(.conflict, detail: "This proposal was already \(status); generate a new one.")
    }

    /// A new item as `POST …/items` would take it.
    static func input(_ item: PlanItem) -> ItemInput {
        var input = ItemInput()
        input.kind = item.kind
        input.title = item.title
        input.day = .value(item.day)
        input.startTime = .value(item.startTime)
        input.endTime = .value(item.endTime)
        if let p = item.place { input.place = .value(Place(name: p.name, lat: p.lat, lon: p.lon)) }
        if let cost = item.cost { input.cost = .value(cost) }
        if let notes = item.notes { input.notes = .value(notes) }
        return input
    }
}
