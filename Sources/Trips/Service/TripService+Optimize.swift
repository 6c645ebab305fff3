import Foundation
import HTTP
import Kernel
import Postgres

/// `POST …/days/{date}/optimize` body.
public struct OptimizeInput: Decodable, Sendable {
    public var dryRun: Bool?
}

/// The answer: the day's new order (every item of the day) and the walk before and after, meters.
public struct OptimizeResult: Sendable, Encodable {
    public var date: CalendarDate
    public var order: [String]
    public var distanceBeforeM: Int
    public var distanceAfterM: Int
    public var applied: Bool
}

extension TripService {
    /// Reorders the day's located items to shorten the walk. The lodging the day starts from and
    /// ends at anchors both ends; items with fixed times keep their relative order; items without a
    /// place and the lodging items themselves keep their slots. Never makes the day longer.
    public func optimizeDay(
        _ tripID: UUID, _ date: CalendarDate, dryRun: Bool, _ principal: Principal
    ) throws -> OptimizeResult {
        try pool.transaction { c in
            let trip: LockedTrip
            if dryRun {
                let (role, version) = try readAccess(tripID, principal, on: c)
                guard let t = try tripDates(tripID, on: c) else { throw Self.notFound }
                trip = LockedTrip(
                    id: tripID, role: role, version: version, startDate: t.0, endDate: t.1, timezone: "UTC",
                    currency: "",
                    itemCount: 0)
            } else {
                trip = try lockTrip(tripID, principal, needs: .editor, action: "reorder items", on: c)
            }
            guard trip.days.contains(date) else {
                throw HTTPError(.notFound, detail: "\(date) is not a day of this trip.")
            }
            let rows = try c.query(
                "SELECT \(ItemRow.columns) FROM trip_items WHERE trip_id = $1 AND day = $2::date ORDER BY position",
                [tripID, date.description]
            ).decode(ItemRow.self)
            let items = rows.map { $0.view(confirmationCode: nil) }
            let (start, end) = try lodgingAnchors(tripID, date, on: c)
            let isStop = { (item: ItemView) in item.kind != .lodging && item.place?.coordinate != nil }
            let stops = items.filter(isStop).compactMap { item in
                item.place?.coordinate.map {
                    RouteStop(id: item.id, coordinate: $0, pinned: item.startTime != nil || item.startsAt != nil)
                }
            }
            let plan = RouteOptimizer().optimize(stops: stops, start: start, end: end)
            // Stops refill the stops' slots in the new order; everything else stays where it was.
            var next = plan.order.makeIterator()
            let order = items.map { isStop($0) ? (next.next() ?? $0.id) : $0.id }
            let changed = order != items.map(\.id)
            if !dryRun && changed {
                // Two steps: a non-deferrable unique index would trip over swapped positions mid-update.
                try c.execute(
                    "UPDATE trip_items SET position = '~' || id::text WHERE trip_id = $1 AND day = $2::date",
                    [tripID, date.description])
                var key = FractionalIndex.first
                var keys: [String] = []
                for _ in order {
                    keys.append(key)
                    key = FractionalIndex.between(key, nil)
                }
                try c.execute(
                    """
                    UPDATE trip_items i SET position = n.position, version = i.version + 1, updated_at = now()
                    FROM unnest($2::uuid[], $3::text[]) AS n (id, position) WHERE i.id = n.id AND i.trip_id = $1
                    """, [tripID, order.compactMap { UUID(uuidString: $0) }, keys])
            }
            return OptimizeResult(
                date: date, order: order, distanceBeforeM: Int(plan.distanceBefore.rounded()),
                distanceAfterM: Int(plan.distanceAfter.rounded()), applied: !dryRun && changed)
        }
    }

    private func tripDates(_ tripID: UUID, on c: PostgresConnection) throws -> (CalendarDate, CalendarDate)? {
        guard
            let row = try c.query("SELECT start_date::text, end_date::text FROM trips WHERE id = $1", [tripID]).first,
            let s = CalendarDate(try row.decode(0, as: String.self)),
            let e = CalendarDate(try row.decode(1, as: String.self))
        else { return nil }
        return (s, e)
    }

    /// Where the day starts (last night's lodging) and ends (tonight's): lodging items whose stay
    /// covers the night, else a lodging item scheduled on the day itself.
    private func lodgingAnchors(
        _ tripID: UUID, _ date: CalendarDate, on c: PostgresConnection
    ) throws -> (
        Coordinate?, Coordinate?
    ) {
        let rows = try c.query(
            """
            SELECT place::text, day::text, check_in::text, check_out::text FROM trip_items
            WHERE trip_id = $1 AND kind = 'lodging' AND place IS NOT NULL
              AND (day = $2::date OR (check_in <= $2::date AND check_out >= $2::date))
            ORDER BY position
            """, [tripID, date.description])
        var morning: Coordinate?
        var evening: Coordinate?
        var sameDay: Coordinate?
        for row in rows {
            guard let place = ItemRow.place(try row.decode(0)), let point = place.coordinate else { continue }
            let checkIn = (try row.decode(2, as: String?.self)).flatMap(CalendarDate.init)
            let checkOut = (try row.decode(3, as: String?.self)).flatMap(CalendarDate.init)
            if let checkIn, let checkOut {
                if checkIn < date && date <= checkOut { morning = morning ?? point }
                if checkIn <= date && date < checkOut { evening = evening ?? point }
            } else {
                sameDay = sameDay ?? point
            }
        }
        return (morning ?? sameDay, evening ?? sameDay)
    }
}
