import Foundation
import HTTP
import Kernel
import Postgres

extension TripService {
    public func createItem(_ tripID: UUID, _ input: ItemInput, _ principal: Principal) throws -> ItemView {
        var e = FieldErrors()
        var state = ItemState().applying(input, &e, creating: true)
        try e.check()
        let id = UUIDv7.make()
        let row = try pool.transaction { c in
            let trip = try lockTrip(tripID, principal, needs: .editor, action: "add items", itemDelta: 1, on: c)
            state.validate(in: trip, &e)
            try e.check()
            guard trip.itemCount < Self.maximumItems else {
                throw HTTPError(.conflict, detail: "A trip holds at most \(Self.maximumItems) items.")
            }
            let after = try input.afterId.map { try Self.uuid($0, "item") }
            let position = try positionFor(trip: tripID, day: state.day, after: after, moving: nil, on: c)
            // The row comes back from the insert itself: no second read.
            guard
                let row = try c.query(
                    """
                    INSERT INTO trip_items (id, trip_id, kind, title, position, created_by, \(Self.itemColumns.joined(separator: ", ")))
                    VALUES ($1, $2, $3, $4, $5, $6, \(Self.itemPlaceholders(from: 7)))
                    RETURNING \(ItemRow.columns)
                    """,
                    [id, tripID, state.kind.rawValue, state.title, position, principal.userID]
                        + (try itemBinds(state, id: id))
                ).decode(ItemRow.self).first
            else { throw HTTPError(.internalServerError, detail: "The item was not stored.") }
            return row
        }
        return try itemView(row)
    }

    public func item(_ tripID: UUID, _ itemID: UUID, _ principal: Principal) throws -> ItemView {
        guard
            let row = try pool.query(
                """
                SELECT \(ItemRow.columns) FROM trip_items
                WHERE id = $1 AND trip_id = $2
                  AND EXISTS (SELECT 1 FROM trip_members m JOIN trips t ON t.id = m.trip_id
                              WHERE m.trip_id = $2 AND m.user_id = $3 AND t.deleted_at IS NULL)
                """, [itemID, tripID, principal.userID]
            ).decode(ItemRow.self).first
        else { throw HTTPError(.notFound, detail: "No such item.") }
        return try itemView(row)
    }

    /// The items of a trip in itinerary order (scheduled days first, then unscheduled ideas).
    public func items(
        _ tripID: UUID, day: CalendarDate?, page: PageRequest, _ principal: Principal
    ) throws -> Page<ItemView> {
        var binds: [any PostgresEncodable] = [tripID, principal.userID]
        var conditions = [
            "i.trip_id = $1",
            "EXISTS (SELECT 1 FROM trip_members m JOIN trips t ON t.id = m.trip_id WHERE m.trip_id = $1 AND m.user_id = $2 AND t.deleted_at IS NULL)",
        ]
        if let day {
            binds.append(day.description)
            conditions.append("i.day = $\(binds.count)::date")
        }
        if let after = page.after {
            guard let d = after[0].isEmpty ? "infinity" : CalendarDate(after[0])?.description, !after[1].isEmpty else {
                throw Self.badCursor
            }
            binds.append(d)
            binds.append(after[1])
            conditions.append(
                "(coalesce(i.day, 'infinity'), i.position) > ($\(binds.count - 1)::date, $\(binds.count) COLLATE \"C\")"
            )
        }
        _ = try readAccess(tripID, principal)
        binds.append(page.limit + 1)
        let rows = try pool.query(
            """
            SELECT \(ItemRow.columns) FROM trip_items i
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY coalesce(i.day, 'infinity'), i.position LIMIT $\(binds.count)
            """, binds
        ).decode(ItemRow.self)
        let positions = Dictionary(rows.map { ($0.id, $0.position) }, uniquingKeysWith: { a, _ in a })
        return Page(rows: try rows.map(itemView), limit: page.limit) { item in
            [item.day?.description ?? "", positions[item.id] ?? ""]
        }
    }

    public func updateItem(
        _ tripID: UUID, _ itemID: UUID, _ input: ItemInput, ifMatch: Int64?, _ principal: Principal
    ) throws -> ItemView {
        var e = FieldErrors()
        if input.afterId != nil { e.add("after_id", "is for creation; use the move endpoint") }
        try e.check()
        try pool.transaction { c in
            let trip = try lockTrip(tripID, principal, needs: .editor, action: "edit items", on: c)
            let row = try lockedItem(tripID, itemID, ifMatch: ifMatch, on: c)
            var state = row.state(confirmationCode: try openCode(row)).applying(input, &e, creating: false)
            try e.check()
            state.validate(in: trip, &e)
            try e.check()
            var binds: [any PostgresEncodable] = [itemID, state.title]
            binds += try itemBinds(state, id: itemID)
            var position: String? = nil
            if state.day != row.day.flatMap(CalendarDate.init) {
                // A new day: the end of that day's list (moves choose the place).
                position = try positionFor(trip: tripID, day: state.day, after: nil, moving: itemID, on: c)
            }
            binds.append(position)
            let assignments = Self.itemColumns.enumerated().map { "\($0.element) = $\($0.offset + 3)" }
            try c.execute(
                """
                UPDATE trip_items SET title = $2, \(assignments.joined(separator: ", ")),
                    position = coalesce($\(binds.count), position), version = version + 1, updated_at = now()
                WHERE id = $1
                """, binds)
        }
        return try item(tripID, itemID, principal)
    }

    public func deleteItem(_ tripID: UUID, _ itemID: UUID, ifMatch: Int64?, _ principal: Principal) throws {
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .editor, action: "delete items", itemDelta: -1, on: c)
            _ = try lockedItem(tripID, itemID, ifMatch: ifMatch, on: c)
            try c.execute("DELETE FROM trip_items WHERE id = $1", [itemID])
        }
    }

    /// Reorders by giving the item one new fractional position between its new neighbours: one row
    /// written, whatever the size of the day.
    public func moveItem(_ tripID: UUID, _ itemID: UUID, _ input: MoveInput, _ principal: Principal) throws -> ItemView
    {
        var e = FieldErrors()
        let day: CalendarDate?
        switch input.day {
        case .absent:
            e.add("day", "is required (null moves the item to the unscheduled ideas)")
            day = nil
        case .null: day = nil
        case .value(let text): day = e.date(text, "day")
        }
        let after = input.afterId.flatMap { UUID(uuidString: $0) }
        if input.afterId != nil && after == nil { e.add("after_id", "must be an item id") }
        if after == itemID { e.add("after_id", "must be another item") }
        try e.check()
        try pool.transaction { c in
            let trip = try lockTrip(tripID, principal, needs: .editor, action: "move items", on: c)
            let row = try lockedItem(tripID, itemID, ifMatch: nil, on: c)
            if let day, !trip.days.contains(day) {
                e.add("day", "must be a date within the trip (\(trip.startDate) to \(trip.endDate))")
            }
            let currentDay = row.day.flatMap(CalendarDate.init)
            if row.startsAt != nil, day != currentDay {
                e.add("day", "cannot change for an item with starts_at; change starts_at instead")
            }
            try e.check()
            let position = try positionFor(trip: tripID, day: day, after: after, moving: itemID, on: c)
            try c.execute(
                """
                UPDATE trip_items SET day = $2::date, position = $3, version = version + 1, updated_at = now()
                WHERE id = $1
                """, [itemID, day?.description, position])
        }
        return try item(tripID, itemID, principal)
    }

    /// The item row under the trip's lock; 404 when it is not in this trip, 412 on a stale `ifMatch`.
    func lockedItem(_ tripID: UUID, _ itemID: UUID, ifMatch: Int64?, on c: PostgresConnection) throws -> ItemRow {
        guard
            let row = try c.query(
                "SELECT \(ItemRow.columns) FROM trip_items WHERE id = $1 AND trip_id = $2", [itemID, tripID]
            ).decode(ItemRow.self).first
        else { throw HTTPError(.notFound, detail: "No such item.") }
        if let ifMatch, ifMatch != row.version { throw Self.preconditionFailed("item") }
        return row
    }

    /// A position on `day` right after `after` (nil: first when moving, last when creating).
    /// Runs under the trip's row lock, so the neighbours read cannot change before the write.
    func positionFor(
        trip: UUID, day: CalendarDate?, after: UUID?, moving: UUID?, on c: PostgresConnection
    ) throws -> String {
        let dayText = day?.description
        let sameDay = "trip_id = $1 AND day IS NOT DISTINCT FROM $2::date AND id IS DISTINCT FROM $3"
        if let after {
            guard
                let anchor = try c.query(
                    "SELECT position FROM trip_items WHERE \(sameDay) AND id = $4", [trip, dayText, moving, after]
                ).first
            else {
                throw HTTPError(
                    .unprocessableContent, detail: "after_id must be an item of the same trip on the target day.",
                    errors: [.init(field: "after_id", message: "is not an item on that day")])
            }
            let a: String = try anchor.decode(0)
            let next = try c.query(
                "SELECT position FROM trip_items WHERE \(sameDay) AND position > $4 ORDER BY position LIMIT 1",
                [trip, dayText, moving, a]
            ).first.map { try $0.decode(0, as: String.self) }
            return FractionalIndex.between(a, next)
        }
        if moving != nil {
            let first = try c.query(
                "SELECT position FROM trip_items WHERE \(sameDay) ORDER BY position LIMIT 1", [trip, dayText, moving]
            ).first.map { try $0.decode(0, as: String.self) }
            return first.map { FractionalIndex.between(nil, $0) } ?? FractionalIndex.first
        }
        let last = try c.query(
            "SELECT position FROM trip_items WHERE \(sameDay) ORDER BY position DESC LIMIT 1", [trip, dayText, moving]
        ).first.map { try $0.decode(0, as: String.self) }
        return last.map { FractionalIndex.between($0, nil) } ?? FractionalIndex.first
    }

    /// Columns written from an `ItemState` (besides id, trip, kind, title and position).
    static let itemColumns = [
        "day", "start_time", "end_time", "starts_at", "ends_at", "place", "cost_amount", "cost_currency", "url",
        "notes", "confirmation_code", "check_in", "check_out", "from_place", "to_place", "carrier", "number", "mode",
    ]

    static func itemPlaceholders(from first: Int) -> String {
        let casts = [
            "::date", "::time", "::time", "", "", "::jsonb", "", "", "", "", "", "::date", "::date", "::jsonb",
            "::jsonb", "", "", "",
        ]
        return casts.enumerated().map { "$\(first + $0.offset)\($0.element)" }.joined(separator: ", ")
    }

    func itemBinds(_ s: ItemState, id: UUID) throws -> [any PostgresEncodable] {
        func json(_ p: Place?) throws -> String? {
            try p.map { String(decoding: try JSONBody.encode($0), as: UTF8.self) }
        }
        let sealed = try s.confirmationCode.map { Data(try cipher.seal(Array($0.utf8), context: Self.codeContext(id))) }
        return [
            s.day?.description, s.startTime?.description, s.endTime?.description, s.startsAt, s.endsAt,
            try json(s.place), s.cost?.amount, s.cost?.currency, s.url, s.notes, sealed, s.checkIn?.description,
            s.checkOut?.description, try json(s.from), try json(s.to), s.carrier, s.number, s.mode?.rawValue,
        ]
    }

    /// The sealed code is bound to its item: copied into another row, it does not open.
    static func codeContext(_ itemID: UUID) -> [UInt8] {
        Array("trip_items.confirmation_code:\(itemID.uuidString.lowercased())".utf8)
    }

    func openCode(_ row: ItemRow) throws -> String? {
        guard let sealed = row.confirmationCode, let id = UUID(uuidString: row.id) else { return nil }
        return String(decoding: try cipher.open(Array(sealed), context: Self.codeContext(id)), as: UTF8.self)
    }

    func itemView(_ row: ItemRow) throws -> ItemView {
        row.view(confirmationCode: try openCode(row))
    }

    func readAccess(_ tripID: UUID, _ principal: Principal) throws -> (role: TripRole, version: Int64) {
        try pool.withConnection { try readAccess(tripID, principal, on: $0) }
    }
}
