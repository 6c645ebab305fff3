import Foundation
import HTTP
import Kernel
import Postgres

/// Query of `GET /v1/trips`.
public struct TripListQuery: Sendable {
    public enum Sort: String, Sendable {
        /// Newest first (ids are UUIDv7: creation order).
        case created
        /// Soonest first.
        case startDate = "start_date"
    }
    public var text: String?
    public var from: CalendarDate?
    public var to: CalendarDate?
    public var role: TripRole?
    public var sort: Sort = .created
    /// The owner's trash instead of the live trips.
    public var deleted = false
    public var page = PageRequest()

    public init() {}
}

extension TripService {
    public func createTrip(_ input: TripInput, by principal: Principal) throws -> TripView {
        let row = try createTripRow(input, principal)
        try pool.transaction { try insertTripRow(row, principal, on: $0) }
        return try trip(row.id, principal)
    }

    /// A new trip's checked fields and id; a 400 naming every bad field.
    func createTripRow(_ input: TripInput, _ principal: Principal) throws -> NewTrip {
        var e = FieldErrors()
        let title = e.text(input.title, "title", max: Limits.title)
        let description = e.text(input.description.value, "description", max: Limits.description, required: false)
        let destination = e.destination(input.destination.value, "destination")
        let start = e.date(input.startDate, "start_date")
        let end = e.date(input.endDate, "end_date")
        e.tripDates(start, end)
        let zone = e.timeZone(input.timezone, "timezone")
        let currency = e.currency(input.currency, "currency")
        let budget = e.money(input.budget.value, "budget")
        try e.check()
        guard let title, let start, let end, let zone, let currency else { throw Self.notFound }
        return NewTrip(
            id: UUIDv7.make(), title: title, description: description, destination: destination, start: start,
            end: end, zone: zone, currency: currency, budget: budget)
    }

    /// Inserts the trip with the caller as its owner.
    func insertTripRow(_ t: NewTrip, _ principal: Principal, on c: PostgresConnection) throws {
        try c.execute(
            """
            INSERT INTO trips (id, title, description, destination_name, destination_lat, destination_lon,
                destination_country, start_date, end_date, timezone, currency, budget_amount, budget_currency)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::date, $10, $11, $12, $13)
            """,
            [
                t.id, t.title, t.description, t.destination?.name, t.destination?.lat, t.destination?.lon,
                t.destination?.countryCode, t.start.description, t.end.description, t.zone, t.currency,
                t.budget?.amount, t.budget?.currency,
            ])
        try c.execute(
            "INSERT INTO trip_members (trip_id, user_id, role) VALUES ($1, $2, 'owner')", [t.id, principal.userID])
    }

    /// One trip the caller is a member of.
    public func trip(_ id: UUID, _ principal: Principal) throws -> TripView {
        guard
            let row = try pool.query(
                """
                SELECT \(TripRow.columns) FROM trips t JOIN trip_members m ON m.trip_id = t.id AND m.user_id = $2
                WHERE t.id = $1 AND t.deleted_at IS NULL
                """, [id, principal.userID]
            ).decode(TripRow.self).first
        else { throw Self.notFound }
        return row.view
    }

    /// The caller's trips, owned and shared. Text search covers title and destination.
    public func trips(_ query: TripListQuery, _ principal: Principal) throws -> Page<TripView> {
        var conditions = [
            "m.user_id = $1", query.deleted ? "t.deleted_at IS NOT NULL AND m.role = 'owner'" : "t.deleted_at IS NULL",
        ]
        var binds: [any PostgresEncodable] = [principal.userID]
        func bind(_ value: any PostgresEncodable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let text = query.text, !text.isEmpty {
            let pattern = "%" + Self.likeEscaped(text) + "%"
            let p = bind(pattern)
            conditions.append("(t.title ILIKE \(p) OR t.destination_name ILIKE \(p))")
        }
        if let from = query.from { conditions.append("t.end_date >= \(bind(from.description))::date") }
        if let to = query.to { conditions.append("t.start_date <= \(bind(to.description))::date") }
        if let role = query.role { conditions.append("m.role = \(bind(role.rawValue))") }
        let order: String
        switch query.sort {
        case .created:
            order = "t.id DESC"
            if let after = query.page.after {
                guard after[0] == "c", let id = UUID(uuidString: after[1]) else { throw Self.badCursor }
                conditions.append("t.id < \(bind(id))")
            }
        case .startDate:
            order = "t.start_date, t.id"
            if let after = query.page.after {
                guard after[0] == "s", let date = CalendarDate(after[2]), let id = UUID(uuidString: after[1]) else {
                    throw Self.badCursor
                }
                conditions.append("(t.start_date, t.id) > (\(bind(date.description))::date, \(bind(id)))")
            }
        }
        let limit = bind(query.page.limit + 1)
        let rows = try pool.query(
            """
            SELECT \(TripRow.columns) FROM trip_members m JOIN trips t ON t.id = m.trip_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT \(limit)
            """, binds
        ).decode(TripRow.self)
        let sort = query.sort
        return Page(rows: rows.map(\.view), limit: query.page.limit) { trip in
            sort == .created ? ["c", trip.id, ""] : ["s", trip.id, trip.startDate.description]
        }
    }

    static var badCursor: HTTPError {
        .invalid(
            [.init(field: "cursor", message: "is not a cursor this list issued")], title: "Invalid query parameters")
    }

    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// `PATCH`: only the fields sent change; `ifMatch` (the version from an ETag) makes it conditional.
    public func updateTrip(_ id: UUID, _ input: TripInput, ifMatch: Int64?, _ principal: Principal) throws -> TripView {
        var e = FieldErrors()
        let title = input.title.map { e.text($0, "title", max: Limits.title) } ?? nil
        let description = e.text(input.description.value, "description", max: Limits.description, required: false)
        let destination = e.destination(input.destination.value, "destination")
        let newStart = e.date(input.startDate, "start_date", required: false)
        let newEnd = e.date(input.endDate, "end_date", required: false)
        let zone = e.timeZone(input.timezone, "timezone", required: false)
        let currency = e.currency(input.currency, "currency", required: false)
        let budget = e.money(input.budget.value, "budget")
        try e.check()
        try pool.transaction { c in
            let locked = try lockTrip(id, principal, needs: .editor, action: "edit the trip", ifMatch: ifMatch, on: c)
            let start = newStart ?? locked.startDate
            let end = newEnd ?? locked.endDate
            var e = FieldErrors()
            e.tripDates(start, end)
            try e.check()
            if start != locked.startDate || end != locked.endDate {
                let outside =
                    try c.query(
                        """
                        SELECT count(*)::int8 FROM trip_items
                        WHERE trip_id = $1 AND (day < $2::date OR day > $3::date OR check_in < $2::date OR check_out > $3::date)
                        """, [id, start.description, end.description]
                    ).first?.decode(0, as: Int64.self) ?? 0
                if outside > 0 {
                    throw HTTPError(
                        .conflict,
                        detail: "\(outside) item(s) fall outside the new dates; move or unschedule them first.",
                        errors: [
                            .init(
                                field: newStart != nil ? "start_date" : "end_date",
                                message: "would leave items outside the trip")
                        ])
                }
            }
            if let currency, currency != locked.currency {
                let expenses = try c.query("SELECT 1 FROM trip_expenses WHERE trip_id = $1 LIMIT 1", [id]).count
                if expenses > 0 {
                    throw HTTPError(
                        .conflict, detail: "The trip currency cannot change once expenses are recorded in it.",
                        errors: [.init(field: "currency", message: "cannot change once expenses exist")])
                }
            }
            var sets: [String] = []
            var binds: [any PostgresEncodable] = [id]
            func set(_ column: String, _ value: any PostgresEncodable, cast: String = "") {
                binds.append(value)
                sets.append("\(column) = $\(binds.count)\(cast)")
            }
            if let title { set("title", title) }
            if !input.description.isAbsent { set("description", description) }
            if !input.destination.isAbsent {
                set("destination_name", destination?.name)
                set("destination_lat", destination?.lat)
                set("destination_lon", destination?.lon)
                set("destination_country", destination?.countryCode)
            }
            if newStart != nil { set("start_date", start.description, cast: "::date") }
            if newEnd != nil { set("end_date", end.description, cast: "::date") }
            if let zone { set("timezone", zone) }
            if let currency { set("currency", currency) }
            if !input.budget.isAbsent {
                set("budget_amount", budget?.amount)
                set("budget_currency", budget?.currency)
            }
            if !sets.isEmpty {
                try c.execute("UPDATE trips SET \(sets.joined(separator: ", ")) WHERE id = $1", binds)
            }
        }
        return try trip(id, principal)
    }

    /// Moves the trip to the owner's trash (restorable for `restorableDays`).
    public func deleteTrip(_ id: UUID, ifMatch: Int64?, _ principal: Principal) throws {
        try pool.transaction { c in
            _ = try lockTrip(id, principal, needs: .owner, action: "delete the trip", ifMatch: ifMatch, on: c)
            try c.execute("UPDATE trips SET deleted_at = now() WHERE id = $1", [id])
        }
    }

    public func restoreTrip(_ id: UUID, _ principal: Principal) throws -> TripView {
        let restored = try pool.execute(
            """
            UPDATE trips t SET deleted_at = NULL, version = t.version + 1, updated_at = now()
            FROM trip_members m
            WHERE t.id = $1 AND m.trip_id = t.id AND m.user_id = $2 AND m.role = 'owner'
              AND t.deleted_at > now() - $3::int8 * interval '1 day'
            """, [id, principal.userID, Self.restorableDays])
        guard restored == 1 else { throw Self.notFound }
        return try trip(id, principal)
    }

    /// The cron job: trips deleted more than `restorableDays` ago go for good (rows cascade).
    public func purgeDeletedTrips() throws -> Int {
        try pool.execute(
            "DELETE FROM trips WHERE deleted_at < now() - $1::int8 * interval '1 day'", [Self.restorableDays])
    }

    /// Copies a trip the caller can read into a new trip they own, shifted to `start_date`: items (with
    /// their days and times moved by the same number of days, without booking codes) and checklists
    /// (unchecked); not members, expenses or share links.
    public func duplicateTrip(_ id: UUID, _ input: DuplicateInput, _ principal: Principal) throws -> TripView {
        var e = FieldErrors()
        let start = e.date(input.startDate, "start_date")
        let title = input.title.map { e.text($0, "title", max: Limits.title) } ?? nil
        try e.check()
        guard let start else { throw Self.notFound }
        let copy = UUIDv7.make()
        try pool.transaction { c in
            guard
                let row = try c.query(
                    """
                    SELECT t.start_date::text FROM trips t JOIN trip_members m ON m.trip_id = t.id AND m.user_id = $2
                    WHERE t.id = $1 AND t.deleted_at IS NULL FOR SHARE OF t
                    """, [id, principal.userID]
                ).first
            else { throw Self.notFound }
            let shift = start - (CalendarDate(try row.decode(0, as: String.self)) ?? start)
            try c.execute(
                """
                INSERT INTO trips (id, title, description, destination_name, destination_lat, destination_lon,
                    destination_country, start_date, end_date, timezone, currency, budget_amount, budget_currency,
                    item_count)
                SELECT $2::uuid, coalesce($4::text, title), description, destination_name, destination_lat, destination_lon,
                    destination_country, start_date + $3::int, end_date + $3::int, timezone, currency, budget_amount,
                    budget_currency, item_count
                FROM trips WHERE id = $1
                """, [id, copy, shift, title])
            try c.execute(
                "INSERT INTO trip_members (trip_id, user_id, role) VALUES ($1, $2, 'owner')", [copy, principal.userID])
            let items = try c.query("SELECT id FROM trip_items WHERE trip_id = $1 ORDER BY id", [id]).map {
                try $0.decode(0, as: UUID.self)
            }
            try c.execute(
                """
                INSERT INTO trip_items (id, trip_id, kind, title, day, position, start_time, end_time, starts_at,
                    ends_at, place, cost_amount, cost_currency, url, notes, check_in, check_out, from_place, to_place,
                    carrier, number, mode, created_by)
                SELECT n.new_id, $2::uuid, i.kind, i.title, i.day + $3::int, i.position, i.start_time, i.end_time,
                    ((i.starts_at AT TIME ZONE t.timezone) + make_interval(days => $3::int)) AT TIME ZONE t.timezone,
                    ((i.ends_at AT TIME ZONE t.timezone) + make_interval(days => $3::int)) AT TIME ZONE t.timezone,
                    i.place, i.cost_amount, i.cost_currency, i.url, i.notes, i.check_in + $3::int,
                    i.check_out + $3::int, i.from_place, i.to_place, i.carrier, i.number, i.mode, $4::uuid
                FROM unnest($5::uuid[], $6::uuid[]) AS n (old_id, new_id)
                JOIN trip_items i ON i.id = n.old_id AND i.trip_id = $1 JOIN trips t ON t.id = i.trip_id
                """, [id, copy, shift, principal.userID, items, items.map { _ in UUIDv7.make() }])
            let lists = try c.query(
                "SELECT id FROM trip_checklists WHERE trip_id = $1 ORDER BY position", [id]
            ).map { try $0.decode(0, as: UUID.self) }
            for list in lists {
                let newList = UUIDv7.make()
                try c.execute(
                    """
                    INSERT INTO trip_checklists (id, trip_id, title, position)
                    SELECT $3::uuid, $2::uuid, title, position FROM trip_checklists WHERE id = $1
                    """, [list, copy, newList])
                let entries = try c.query(
                    "SELECT id FROM trip_checklist_items WHERE checklist_id = $1 ORDER BY id", [list]
                ).map { try $0.decode(0, as: UUID.self) }
                try c.execute(
                    """
                    INSERT INTO trip_checklist_items (id, checklist_id, trip_id, text, position)
                    SELECT n.new_id, $1::uuid, $2::uuid, e.text, e.position
                    FROM unnest($3::uuid[], $4::uuid[]) AS n (old_id, new_id) JOIN trip_checklist_items e ON e.id = n.old_id
                    """, [newList, copy, entries, entries.map { _ in UUIDv7.make() }])
            }
        }
        return try trip(copy, principal)
    }
}

/// A trip checked and ready to insert.
struct NewTrip {
    var id: UUID
    var title: String
    var description: String?
    var destination: Destination?
    var start: CalendarDate
    var end: CalendarDate
    var zone: String
    var currency: String
    var budget: MoneyAmount?
}
