import Foundation
import HTTP
import Kernel
import Postgres

/// One existing item (an unscheduled idea, usually) that a plan puts on a day at a time.
public struct PlannedScheduling: Sendable, Equatable {
    public var itemID: UUID
    public var day: CalendarDate
    public var startTime: LocalTime
    public var endTime: LocalTime

    public init(itemID: UUID, day: CalendarDate, startTime: LocalTime, endTime: LocalTime) {
        self.itemID = itemID
        self.day = day
        self.startTime = startTime
        self.endTime = endTime
    }
}

/// What applying a plan writes: existing items to schedule and new items to add.
public struct TripPlanChanges: Sendable {
    public var schedule: [PlannedScheduling]
    public var add: [ItemInput]

    public init(schedule: [PlannedScheduling], add: [ItemInput]) {
        self.schedule = schedule
        self.add = add
    }
}

/// The caller's standing on a trip, checked in SQL at the start of `withTripAccess`.
public struct TripAccess: Sendable {
    public var role: TripRole
    public var version: Int64
    public var currency: String
}

extension TripService {
    /// Runs `body` in one transaction after checking in SQL that the caller holds `role` (or more) on
    /// the trip: 404 for non-members, 403 for a lower role. The membership row stays share-locked
    /// until the end, so rows another module keeps per trip (AI proposals) are read and written only
    /// while the caller is still a member, without that module reading Trips' tables.
    public func withTripAccess<T>(
        _ tripID: UUID, _ principal: Principal, needs role: TripRole, action: String,
        _ body: (TripAccess, PostgresConnection) throws -> T
    ) throws -> T {
        try pool.transaction { c in
            guard
                let row = try c.query(
                    """
                    SELECT m.role, t.version, t.currency FROM trips t JOIN trip_members m ON m.trip_id = t.id
                    WHERE t.id = $1 AND t.deleted_at IS NULL AND m.user_id = $2 AND m.role = ANY($3::text[])
                    FOR SHARE OF m
                    """, [tripID, principal.userID, role.andAbove.map(\.rawValue)]
                ).first
            else { throw try accessFailure(tripID, principal, needs: role, action: action, checkedVersion: nil, on: c) }
            let access = TripAccess(
                role: TripRole(rawValue: try row.decode(0)) ?? .viewer, version: try row.decode(1),
                currency: try row.decode(2))
            return try body(access, c)
        }
    }

    /// Applies a plan in one transaction (editor role), all or nothing: schedules existing items and adds
    /// new ones, each checked by the rules of the item endpoints (a bad one is named `schedule[i].…` or
    /// `add[i].…`, every one at once). Each item lands on its day after the last item that starts no
    /// later than it, so a day stays in time order.
    ///
    /// `verify` runs first, under the trip's lock, with the itinerary as it is now (its `trip.version`
    /// is the version before this write) and the transaction's connection: the caller re-checks its plan
    /// against the current trip and records what it needs in the same transaction; throwing rolls
    /// everything back.
    public func applyPlan(
        _ tripID: UUID, _ changes: TripPlanChanges, _ principal: Principal,
        verify: (_ current: ItineraryView, _ connection: PostgresConnection) throws -> Void
    ) throws -> [ItemView] {
        let ids = try pool.transaction { c in
            let trip = try lockTrip(
                tripID, principal, needs: .editor, action: "apply plans", itemDelta: changes.add.count, on: c)
            var current = try itineraryView(tripID, on: c)
            current.trip.version = trip.version - 1
            try verify(current, c)
            guard trip.itemCount + changes.add.count <= Self.maximumItems else {
                throw HTTPError(
                    .conflict,
                    detail: "A trip holds at most \(Self.maximumItems) items; it has \(trip.itemCount), "
                        + "and the plan adds \(changes.add.count).")
            }
            var all = FieldErrors()
            var writes: [(id: UUID, state: ItemState, isNew: Bool)] = []
            var seen = Set<UUID>()
            for (i, s) in changes.schedule.enumerated() {
                var e = FieldErrors()
                guard seen.insert(s.itemID).inserted else {
                    all.add("schedule[\(i)].item_id", "is scheduled twice")
                    continue
                }
                guard
                    let row = try c.query(
                        "SELECT \(ItemRow.columns) FROM trip_items WHERE id = $1 AND trip_id = $2", [s.itemID, tripID]
                    ).decode(ItemRow.self).first
                else {
                    all.add("schedule[\(i)].item_id", "is not an item of this trip")
                    continue
                }
                var state = row.state(confirmationCode: nil)
                state.day = s.day
                state.startTime = s.startTime
                state.endTime = s.endTime
                state.validate(in: trip, &e)
                all.merge(e, prefix: "schedule[\(i)].")
                writes.append((s.itemID, state, false))
            }
            for (i, input) in changes.add.enumerated() {
                var e = FieldErrors()
                var state = ItemState().applying(input, &e, creating: true)
                state.validate(in: trip, &e)
                all.merge(e, prefix: "add[\(i)].")
                writes.append((UUIDv7.make(), state, true))
            }
            try all.check(title: "The plan does not fit the trip")
            // Earlier items first, so each later one finds its predecessors already placed.
            let ordered = writes.sorted {
                ($0.state.day?.daysSinceEpoch ?? .max, $0.state.startTime?.seconds ?? .max)
                    < ($1.state.day?.daysSinceEpoch ?? .max, $1.state.startTime?.seconds ?? .max)
            }
            for write in ordered {
                let position = try chronologicalPosition(tripID, write.state, moving: write.id, on: c)
                if write.isNew {
                    try c.execute(
                        """
                        INSERT INTO trip_items (id, trip_id, kind, title, position, created_by, \(Self.itemColumns.joined(separator: ", ")))
                        VALUES ($1, $2, $3, $4, $5, $6, \(Self.itemPlaceholders(from: 7)))
                        """,
                        [write.id, tripID, write.state.kind.rawValue, write.state.title, position, principal.userID]
                            + (try itemBinds(write.state, id: write.id)))
                } else {
                    try c.execute(
                        """
                        UPDATE trip_items SET day = $2::date, start_time = $3::time, end_time = $4::time, position = $5,
                            version = version + 1, updated_at = now()
                        WHERE id = $1
                        """,
                        [
                            write.id, write.state.day?.description, write.state.startTime?.description,
                            write.state.endTime?.description, position,
                        ])
                }
            }
            return writes.map(\.id)
        }
        guard !ids.isEmpty else { return [] }
        return try pool.query(
            "SELECT \(ItemRow.columns) FROM trip_items WHERE id = ANY($1::uuid[]) ORDER BY day, start_time, position",
            [ids]
        ).decode(ItemRow.self).map(itemView)
    }

    /// A position on the item's day right after the last item that starts no later than it (first when
    /// none does); unscheduled items go last.
    private func chronologicalPosition(
        _ tripID: UUID, _ state: ItemState, moving: UUID, on c: PostgresConnection
    ) throws -> String {
        let day = state.day?.description
        let sameDay = "trip_id = $1 AND day IS NOT DISTINCT FROM $2::date AND id <> $3"
        guard let start = state.startTime, day != nil else {
            let last = try c.query(
                "SELECT position FROM trip_items WHERE \(sameDay) ORDER BY position DESC LIMIT 1",
                [tripID, day, moving]
            ).first.map { try $0.decode(0, as: String.self) }
            return last.map { FractionalIndex.between($0, nil) } ?? FractionalIndex.first
        }
        let anchor = try c.query(
            """
            SELECT position FROM trip_items WHERE \(sameDay) AND start_time IS NOT NULL AND start_time <= $4::time
            ORDER BY position DESC LIMIT 1
            """, [tripID, day, moving, start.description]
        ).first.map { try $0.decode(0, as: String.self) }
        let next = try c.query(
            """
            SELECT position FROM trip_items WHERE \(sameDay) AND ($4::text IS NULL OR position > $4 COLLATE "C")
            ORDER BY position LIMIT 1
            """, [tripID, day, moving, anchor]
        ).first.map { try $0.decode(0, as: String.self) }
        if anchor == nil, next == nil { return FractionalIndex.first }
        return FractionalIndex.between(anchor, next)
    }

    /// The itinerary as this transaction sees it (under the trip's lock, so no write can slip in).
    private func itineraryView(_ tripID: UUID, on c: PostgresConnection) throws -> ItineraryView {
        let (trip, rows) = try tripRows(tripID, on: c)
        var view = trip.view
        view.role = nil
        let items = try rows.map(itemView)
        let (days, unscheduled) = Self.schedule(items, view)
        return ItineraryView(
            trip: view, days: days, unscheduled: unscheduled, costTotals: CostTotals.of(items, first: view.currency),
            distanceM: days.reduce(0) { $0 + $1.distanceM })
    }
}
