import Foundation
import HTTP
import Kernel
import Postgres

extension TripService {
    static let noExpense = HTTPError(.notFound, detail: "No such expense.")

    public func createExpense(_ tripID: UUID, _ input: ExpenseInput, _ principal: Principal) throws -> ExpenseView {
        let id = UUIDv7.make()
        try pool.transaction { c in
            let trip = try lockTrip(tripID, principal, needs: .editor, action: "record expenses", on: c)
            let e = try resolveExpense(input, current: nil, trip: trip, on: c)
            try insertExpense(id, e, trip: tripID, by: principal, on: c)
        }
        return try expense(tripID, id, principal)
    }

    func insertExpense(
        _ id: UUID, _ e: ResolvedExpense, trip tripID: UUID, by principal: Principal, on c: PostgresConnection
    ) throws {
        try c.execute(
            """
            INSERT INTO trip_expenses (id, trip_id, description, amount, currency, rate, converted_amount, allocation,
                paid_by, split_type, split, category, date, item_id, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11::jsonb, $12, $13::date, $14, $15)
            """,
            [
                id, tripID, e.description, e.amount, e.currency, e.rate, e.converted, e.allocation, e.paidBy,
                e.split.type, e.splitJSON, e.category.rawValue, e.date.description, e.itemID, principal.userID,
            ])
    }

    public func expense(_ tripID: UUID, _ expenseID: UUID, _ principal: Principal) throws -> ExpenseView {
        guard
            let row = try pool.query(
                """
                SELECT \(ExpenseRow.columns) FROM trip_expenses
                WHERE id = $1 AND trip_id = $2
                  AND EXISTS (SELECT 1 FROM trip_members m JOIN trips t ON t.id = m.trip_id
                              WHERE m.trip_id = $2 AND m.user_id = $3 AND t.deleted_at IS NULL)
                """, [expenseID, tripID, principal.userID]
            ).decode(ExpenseRow.self).first
        else { throw Self.noExpense }
        return try Self.view(row)
    }

    /// Newest first (by date, then creation).
    public func expenses(_ tripID: UUID, page: PageRequest, _ principal: Principal) throws -> Page<ExpenseView> {
        _ = try readAccess(tripID, principal)
        var binds: [any PostgresEncodable] = [tripID]
        var condition = ""
        if let after = page.after {
            guard let date = CalendarDate(after[0]), let id = UUID(uuidString: after[1]) else { throw Self.badCursor }
            binds += [date.description, id]
            condition = "AND (date, id) < ($2::date, $3::uuid)"
        }
        binds.append(page.limit + 1)
        let rows = try pool.query(
            """
            SELECT \(ExpenseRow.columns) FROM trip_expenses WHERE trip_id = $1 \(condition)
            ORDER BY date DESC, id DESC LIMIT $\(binds.count)
            """, binds
        ).decode(ExpenseRow.self)
        return Page(rows: try rows.map(Self.view), limit: page.limit) { [$0.date.description, $0.id] }
    }

    func allExpenses(_ tripID: UUID) throws -> [ExpenseView] {
        try pool.query(
            "SELECT \(ExpenseRow.columns) FROM trip_expenses WHERE trip_id = $1 ORDER BY date DESC, id DESC", [tripID]
        ).decode(ExpenseRow.self).map(Self.view)
    }

    public func updateExpense(
        _ tripID: UUID, _ expenseID: UUID, _ input: ExpenseInput, ifMatch: Int64?, _ principal: Principal
    ) throws -> ExpenseView {
        try pool.transaction { c in
            let trip = try lockTrip(tripID, principal, needs: .editor, action: "edit expenses", on: c)
            guard
                let row = try c.query(
                    "SELECT \(ExpenseRow.columns) FROM trip_expenses WHERE id = $1 AND trip_id = $2",
                    [expenseID, tripID]
                ).decode(ExpenseRow.self).first
            else { throw Self.noExpense }
            if let ifMatch, ifMatch != row.version { throw Self.preconditionFailed("expense") }
            let e = try resolveExpense(input, current: try Self.view(row), trip: trip, on: c)
            try c.execute(
                """
                UPDATE trip_expenses SET description = $2, amount = $3, currency = $4, rate = $5, converted_amount = $6,
                    allocation = $7::jsonb, paid_by = $8, split_type = $9, split = $10::jsonb, category = $11,
                    date = $12::date, item_id = $13, version = version + 1, updated_at = now()
                WHERE id = $1
                """,
                [
                    expenseID, e.description, e.amount, e.currency, e.rate, e.converted, e.allocation, e.paidBy,
                    e.split.type, e.splitJSON, e.category.rawValue, e.date.description, e.itemID,
                ])
        }
        return try expense(tripID, expenseID, principal)
    }

    public func deleteExpense(_ tripID: UUID, _ expenseID: UUID, ifMatch: Int64?, _ principal: Principal) throws {
        try pool.transaction { c in
            _ = try lockTrip(tripID, principal, needs: .editor, action: "delete expenses", on: c)
            let rows = try c.query(
                "DELETE FROM trip_expenses WHERE id = $1 AND trip_id = $2 AND ($3::int8 IS NULL OR version = $3) RETURNING 1",
                [expenseID, tripID, ifMatch])
            if rows.count == 0 {
                let exists = try c.query(
                    "SELECT 1 FROM trip_expenses WHERE id = $1 AND trip_id = $2", [expenseID, tripID]
                ).count
                throw exists == 1 ? Self.preconditionFailed("expense") : Self.noExpense
            }
        }
    }

    /// Each member's net position in the trip currency and the fewest transfers that settle them.
    public func balances(_ tripID: UUID, _ principal: Principal) throws -> BalancesView {
        _ = try readAccess(tripID, principal)
        return try computeBalances(tripID)
    }

    func computeBalances(_ tripID: UUID) throws -> BalancesView {
        let (currency, members, rows) = try pool.transaction(TransactionOptions(isolation: .repeatableRead)) { c in
            let currency: String =
                try c.query("SELECT currency FROM trips WHERE id = $1", [tripID]).first?.decode(0) ?? ""
            let members = try c.query(
                "SELECT user_id FROM trip_members WHERE trip_id = $1 ORDER BY created_at, user_id", [tripID]
            ).map { try $0.decode(0, as: UUID.self) }
            let rows = try c.query(
                "SELECT paid_by, converted_amount, allocation::text FROM trip_expenses WHERE trip_id = $1", [tripID]
            ).map {
                (try $0.decode(0, as: UUID.self), try $0.decode(1, as: Int64.self), try $0.decode(2, as: String.self))
            }
            return (currency, members, rows)
        }
        var paid: [String: Int64] = [:]
        var owed: [String: Int64] = [:]
        var entries: [LedgerEntry] = []
        var total: Int64 = 0
        do {
            for (payer, amount, allocation) in rows {
                let shares = try JSONBody.decode([ShareView].self, from: Array(allocation.utf8))
                let p = payer.uuidString.lowercased()
                paid[p, default: 0] += amount
                for s in shares { owed[s.userId, default: 0] += s.amount }
                total += amount
                entries.append(
                    try LedgerEntry(paidBy: p, amount: amount, shares: shares.map { ($0.userId, $0.amount) }))
            }
        }
        let memberIDs = members.map { $0.uuidString.lowercased() }
        let balances = try Balances(entries: entries, members: memberIDs)
        var everyone = memberIDs
        for id in balances.net.keys.sorted() where !everyone.contains(id) { everyone.append(id) }
        let profiles = try accounts.profiles(everyone.compactMap { UUID(uuidString: $0) })
        return BalancesView(
            currency: currency, totalSpent: total,
            members: everyone.map { id in
                MemberBalance(
                    userId: id, displayName: UUID(uuidString: id).flatMap { profiles[$0]?.displayName },
                    isMember: memberIDs.contains(id), paid: paid[id] ?? 0, owed: owed[id] ?? 0,
                    net: balances.net[id] ?? 0)
            },
            transfers: balances.transfers.map { TransferView(from: $0.from, to: $0.to, amount: $0.amount) })
    }

    static func view(_ row: ExpenseRow) throws -> ExpenseView {
        ExpenseView(
            id: row.id, tripId: row.tripId, description: row.description, amount: row.amount, currency: row.currency,
            rate: row.rate, convertedAmount: row.convertedAmount,
            shares: try JSONBody.decode([ShareView].self, from: Array(row.allocation.utf8)), paidBy: row.paidBy,
            split: try JSONBody.decode(SplitSpec.self, from: Array(row.split.utf8)),
            category: ExpenseCategory(rawValue: row.category) ?? .other,
            date: CalendarDate(row.date) ?? CalendarDate(daysSinceEpoch: 0), itemId: row.itemId, version: row.version,
            createdAt: row.createdAt, updatedAt: row.updatedAt)
    }
}

/// An expense after validation, ready to store.
struct ResolvedExpense {
    var description: String
    var amount: Int64
    var currency: String
    var rate: String?
    var converted: Int64
    var allocation: String
    var paidBy: UUID
    var split: SplitSpec
    var splitJSON: String
    var category: ExpenseCategory
    var date: CalendarDate
    var itemID: UUID?
}

extension TripService {
    /// `input` over `current` (nil when creating), checked field by field, then converted and split
    /// in the trip currency. Payer and sharers must be members of the trip; the item must be in it.
    func resolveExpense(
        _ input: ExpenseInput, current: ExpenseView?, trip: LockedTrip, on c: PostgresConnection
    ) throws -> ResolvedExpense {
        var e = FieldErrors()
        let creating = current == nil
        let description = input.description.map { e.text($0, "description", max: Limits.title) } ?? current?.description
        if creating && input.description == nil { e.add("description", "is required") }
        let amount = input.amount ?? current?.amount
        if let a = input.amount, a.magnitude > Limits.maximumAmount.magnitude { e.add("amount", "is out of range") }
        if amount == nil { e.add("amount", "is required (integer minor units)") }
        let currency = input.currency.map { e.currency($0, "currency") } ?? current?.currency
        if creating && input.currency == nil { e.add("currency", "is required") }
        let rateText: String? = input.rate.isAbsent ? current?.rate : input.rate.value?.text
        var rate: ExchangeRate?
        if let rateText {
            do { rate = try ExchangeRate(rateText) } catch { e.add(error.field, error.message) }
        }
        let payerText = input.paidBy ?? current?.paidBy
        let payer = payerText.flatMap { UUID(uuidString: $0) }
        if payer == nil { e.add("paid_by", payerText == nil ? "is required" : "must be a user id") }
        let spec = input.split ?? current?.split
        if spec == nil { e.add("split", "is required") }
        let categoryText = input.category ?? current?.category.rawValue
        let category = categoryText.flatMap(ExpenseCategory.init)
        if category == nil {
            e.add("category", "must be one of " + ExpenseCategory.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let date = input.date.map { e.date($0, "date") } ?? current?.date
        if creating && input.date == nil { e.add("date", "is required") }
        let itemText: String? = input.itemId.isAbsent ? current?.itemId : input.itemId.value
        let itemID = itemText.flatMap { UUID(uuidString: $0) }
        if itemText != nil && itemID == nil { e.add("item_id", "must be an item id") }
        var rule: SplitRule?
        if let spec { rule = Self.splitRule(spec, &e) }
        try e.check()
        guard let description, let amount, let currency, let payer, let spec, let rule, let category, let date else {
            throw Self.noExpense
        }
        // People: the payer and everyone sharing must be members now.
        let people = Set([payer] + rule.members.compactMap { UUID(uuidString: $0) })
        let known = Set(
            try c.query(
                "SELECT user_id FROM trip_members WHERE trip_id = $1 AND user_id = ANY($2::uuid[])",
                [trip.id, Array(people)]
            )
            .map { try $0.decode(0, as: UUID.self) })
        if !known.contains(payer) { e.add("paid_by", "is not a member of the trip") }
        for (i, m) in rule.members.enumerated()
        where !known.contains(UUID(uuidString: m) ?? payer) || UUID(uuidString: m) == nil {
            e.add("split.among[\(i)]", "is not a member of the trip")
        }
        if let itemID,
            try c.query("SELECT 1 FROM trip_items WHERE id = $1 AND trip_id = $2", [itemID, trip.id]).count == 0
        {
            e.add("item_id", "is not an item of this trip")
        }
        try e.check()
        let converted: ConvertedExpense
        do {
            converted = try ExpenseConversion.convert(
                amount: amount, currency: currency, rate: rate, split: rule, tripCurrency: trip.currency)
        } catch {
            e.add(error.field, error.message)
            try e.check()
            throw Self.noExpense
        }
        let shares = converted.shares.map { ShareView(userId: $0.member, amount: $0.amount) }
        return ResolvedExpense(
            description: description, amount: amount, currency: currency, rate: rate?.description,
            converted: converted.amount,
            allocation: String(decoding: try JSONBody.encode(shares), as: UTF8.self), paidBy: payer, split: spec,
            splitJSON: String(decoding: try JSONBody.encode(spec), as: UTF8.self), category: category, date: date,
            itemID: itemID)
    }

    /// The stored split as the money module's rule; member ids lower-cased so equal ids compare equal.
    static func splitRule(_ spec: SplitSpec, _ e: inout FieldErrors) -> SplitRule? {
        let ids = spec.among.map { $0.userId.lowercased() }
        guard !ids.isEmpty else {
            e.add("split.among", "must name at least one member")
            return nil
        }
        for (i, m) in spec.among.enumerated() where UUID(uuidString: m.userId) == nil {
            e.add("split.among[\(i)]", "must be a user id")
        }
        if Set(ids).count != ids.count { e.add("split.among", "must not name a member twice") }
        switch spec.type {
        case "equal":
            return .equal(among: ids)
        case "shares":
            var parts: [(member: String, weight: Int)] = []
            for (i, m) in spec.among.enumerated() {
                guard let w = m.shares, w > 0, w <= SplitRule.maxWeight else {
                    e.add("split.among[\(i)].shares", "must be a whole number from 1 to \(SplitRule.maxWeight)")
                    continue
                }
                parts.append((ids[i], w))
            }
            return .shares(parts)
        case "exact":
            var parts: [(member: String, amount: Int64)] = []
            for (i, m) in spec.among.enumerated() {
                guard let a = m.amount else {
                    e.add("split.among[\(i)].amount", "is required for an exact split")
                    continue
                }
                parts.append((ids[i], a))
            }
            return .exact(parts)
        default:
            e.add("split.type", "must be equal, shares or exact")
            return nil
        }
    }
}
