import Foundation
import HTTP
import Kernel
import Postgres

extension TripService {
    /// Creates a trip with all its items, expenses and checklists in one transaction, owned by the
    /// caller: either everything is stored or nothing is. Each part is checked by the same rules as the
    /// endpoint that creates it one by one, and a rejected part is named by its index
    /// (`items[12].day`), every bad field at once.
    public func importTrip(_ input: TripImportInput, _ principal: Principal) throws -> TripView {
        let items = input.items ?? []
        guard items.count <= Self.maximumItems else {
            throw HTTPError.invalid([.init(field: "items", message: "must have at most \(Self.maximumItems) items")])
        }
        // The trip's own fields are checked (and their 400 thrown) before anything is written.
        let created = try createTripRow(input.trip, principal)
        try pool.transaction { c in
            try insertTripRow(created, principal, on: c)
            let trip = try lockTrip(created.id, principal, needs: .owner, action: "import", on: c)
            let ids = try insertImportedItems(items.map(\.item), into: trip, principal, on: c)
            var refs: [String: UUID] = [:]
            for (item, id) in zip(items, ids) {
                if let ref = item.ref { refs[ref] = id }
            }
            try insertImportedExpenses(input.expenses ?? [], items: refs, into: trip, principal, on: c)
            try insertImportedChecklists(input.checklists ?? [], into: trip, principal, on: c)
        }
        return try trip(created.id, principal)
    }

    /// Adds `items` to an existing trip in one transaction (editor role), each after the last item of its
    /// day: GPX, KML and ICS imports. All or nothing; a bad item is named by its index.
    public func importItems(_ tripID: UUID, _ items: [ItemInput], _ principal: Principal) throws -> [ItemView] {
        let ids = try pool.transaction { c in
            let trip = try lockTrip(tripID, principal, needs: .editor, action: "add items", on: c)
            return try insertImportedItems(items, into: trip, principal, on: c)
        }
        guard !ids.isEmpty else { return [] }
        return try pool.query(
            "SELECT \(ItemRow.columns) FROM trip_items WHERE id = ANY($1::uuid[]) ORDER BY day, position", [ids]
        ).decode(ItemRow.self).map(itemView)
    }

    /// Validates every item against the locked trip, then inserts them after the last item of their
    /// day, keeping the given order. Returns the new ids in input order.
    private func insertImportedItems(
        _ inputs: [ItemInput], into trip: LockedTrip, _ principal: Principal, on c: PostgresConnection
    ) throws -> [UUID] {
        guard trip.itemCount + inputs.count <= Self.maximumItems else {
            throw HTTPError(
                .conflict,
                detail: "A trip holds at most \(Self.maximumItems) items; it has \(trip.itemCount), "
                    + "and the import adds \(inputs.count).")
        }
        var all = FieldErrors()
        var states: [ItemState] = []
        for (i, input) in inputs.enumerated() {
            var e = FieldErrors()
            var state = ItemState().applying(input, &e, creating: true)
            state.validate(in: trip, &e)
            all.merge(e, prefix: "items[\(i)].")
            states.append(state)
        }
        try all.check()
        var last: [CalendarDate?: String] = [:]
        var ids: [UUID] = []
        for state in states {
            let id = UUIDv7.make()
            let previous: String?
            if let known = last[state.day] {
                previous = known
            } else {
                previous = try c.query(
                    """
                    SELECT position FROM trip_items WHERE trip_id = $1 AND day IS NOT DISTINCT FROM $2::date
                    ORDER BY position DESC LIMIT 1
                    """, [trip.id, state.day?.description]
                ).first.map { try $0.decode(0, as: String.self) }
            }
            let position = previous.map { FractionalIndex.between($0, nil) } ?? FractionalIndex.first
            last[state.day] = position
            try c.execute(
                """
                INSERT INTO trip_items (id, trip_id, kind, title, position, created_by, \(Self.itemColumns.joined(separator: ", ")))
                VALUES ($1, $2, $3, $4, $5, $6, \(Self.itemPlaceholders(from: 7)))
                """,
                [id, trip.id, state.kind.rawValue, state.title, position, principal.userID]
                    + (try itemBinds(state, id: id)))
            ids.append(id)
        }
        try c.execute("UPDATE trips SET item_count = item_count + $2 WHERE id = $1", [trip.id, inputs.count])
        return ids
    }

    private func insertImportedExpenses(
        _ imports: [ExpenseImport], items: [String: UUID], into trip: LockedTrip, _ principal: Principal,
        on c: PostgresConnection
    ) throws {
        // One person in the whole document (the exporter): keep their split as it was, as the importer.
        var people = Set<String>()
        for x in imports {
            if let payer = x.expense.paidBy { people.insert(payer.lowercased()) }
            for member in x.expense.split?.among ?? [] { people.insert(member.userId.lowercased()) }
        }
        let me = principal.userID.uuidString.lowercased()
        var all = FieldErrors()
        for (i, x) in imports.enumerated() {
            var input = x.expense
            input.paidBy = me
            if people.count == 1, var split = input.split {
                split.among = split.among.map { SplitMember(userId: me, shares: $0.shares, amount: $0.amount) }
                input.split = split
            } else {
                input.split = SplitSpec(type: "equal", among: [SplitMember(userId: me)])
            }
            if let ref = x.itemRef {
                guard let id = items[ref] else {
                    all.add("expenses[\(i)].item_ref", "names no item of this document")
                    continue
                }
                input.itemId = .value(id.uuidString.lowercased())
            } else {
                input.itemId = .absent
            }
            do {
                let e = try resolveExpense(input, current: nil, trip: trip, on: c)
                try insertExpense(UUIDv7.make(), e, trip: trip.id, by: principal, on: c)
            } catch let error as HTTPError where !error.errors.isEmpty {
                for f in error.errors { all.add("expenses[\(i)].\(f.field)", f.message) }
            }
        }
        try all.check()
    }

    private func insertImportedChecklists(
        _ lists: [ChecklistImport], into trip: LockedTrip, _ principal: Principal, on c: PostgresConnection
    ) throws {
        var e = FieldErrors()
        var checked: [(title: String, entries: [(String, Bool)])] = []
        for (i, list) in lists.enumerated() {
            let title = e.text(list.title, "checklists[\(i)].title", max: Limits.title) ?? ""
            let entries = (list.items ?? []).enumerated().map { j, entry in
                (
                    e.text(entry.text, "checklists[\(i)].items[\(j)].text", max: Limits.title) ?? "",
                    entry.checked ?? false
                )
            }
            if entries.count > Self.maximumChecklistEntries {
                e.add("checklists[\(i)].items", "must have at most \(Self.maximumChecklistEntries) entries")
            }
            checked.append((title, entries))
        }
        try e.check()
        var listPosition: String?
        for list in checked {
            let id = UUIDv7.make()
            let p = listPosition.map { FractionalIndex.between($0, nil) } ?? FractionalIndex.first
            listPosition = p
            try c.execute(
                "INSERT INTO trip_checklists (id, trip_id, title, position) VALUES ($1, $2, $3, $4)",
                [id, trip.id, list.title, p])
            var position: String?
            for (text, isChecked) in list.entries {
                let q = position.map { FractionalIndex.between($0, nil) } ?? FractionalIndex.first
                position = q
                try c.execute(
                    """
                    INSERT INTO trip_checklist_items (id, checklist_id, trip_id, text, position, checked_by, checked_at)
                    VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::uuid IS NULL THEN NULL ELSE now() END)
                    """, [UUIDv7.make(), id, trip.id, text, q, isChecked ? principal.userID : nil])
            }
        }
    }
}

extension TripService {
    /// The whole trip for a member, its parts read at one trip version: the read is repeated (a few
    /// times) when a write lands between them. `includingTrash` also finds a deleted trip that still
    /// waits in its owner's trash (a data export carries those too).
    public func tripContents(
        _ tripID: UUID, _ principal: Principal, includingTrash: Bool = false
    ) throws
        -> TripContents
    {
        for _ in 0..<3 {
            let before = try memberVersion(tripID, principal, includingTrash: includingTrash)
            let (version, itinerary) = try buildItineraryView(tripID)
            let expenses = try allExpenses(tripID).reversed()
            let checklists = try allChecklists(tripID)
            let ids = Set(expenses.flatMap { [$0.paidBy] + $0.shares.map(\.userId) }).compactMap(UUID.init)
            let people = try accounts.profiles(ids).reduce(into: [String: String]()) { names, profile in
                names[profile.key.uuidString.lowercased()] = profile.value.displayName
            }
            let after = try memberVersion(tripID, principal, includingTrash: includingTrash)
            if before == version && after == version {
                return TripContents(
                    itinerary: itinerary, expenses: Array(expenses), checklists: checklists, people: people)
            }
        }
        throw HTTPError(.conflict, detail: "The trip kept changing while it was read; try again.")
    }

    /// Every trip the caller is a member of, oldest first, with those in the trash when `includingTrash`.
    public func memberTripIDs(_ principal: Principal, includingTrash: Bool) throws -> [UUID] {
        try pool.query(
            """
            SELECT t.id FROM trips t JOIN trip_members m ON m.trip_id = t.id AND m.user_id = $1
            WHERE $2 OR t.deleted_at IS NULL ORDER BY t.id
            """, [principal.userID, includingTrash]
        ).map { try $0.decode(0, as: UUID.self) }
    }

    private func memberVersion(_ tripID: UUID, _ principal: Principal, includingTrash: Bool) throws -> Int64 {
        guard
            let row = try pool.query(
                """
                SELECT t.version FROM trips t JOIN trip_members m ON m.trip_id = t.id AND m.user_id = $2
                WHERE t.id = $1 AND ($3 OR t.deleted_at IS NULL)
                """, [tripID, principal.userID, includingTrash]
            ).first
        else { throw Self.notFound }
        return try row.decode(0)
    }
}
