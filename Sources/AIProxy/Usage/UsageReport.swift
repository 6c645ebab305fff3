import Foundation
import HTTP
import Kernel
import Postgres

/// `GET /v1/ai/usage` and its admin twin: `ai_usage` summed per UTC day, model or trip over an
/// inclusive range of UTC dates, with totals.
struct UsageReport: Sendable {
    enum Grouping: String, Sendable, CaseIterable {
        case day, model, trip

        /// The SQL expression of the group key; chosen from this fixed list, never from input.
        var keySQL: String {
            switch self {
            case .day: "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
            case .model: "model"
            case .trip: "trip_id::text"
            }
        }
    }

    /// A validated query: `[from, to]` inclusive UTC dates.
    struct Query: Sendable, Equatable {
        var from: Date
        var to: Date
        var grouping: Grouping
        /// Admin view: one user, or nil for everyone.
        var userID: UUID?
    }

    /// Default range: the last 30 days, today included.
    static let defaultDays = 30
    /// Longest range a report may cover.
    static let maximumDays = 366

    let pool: PostgresPool
    let usage: UsageWriter

    /// Reads `from`, `to`, `group_by` (and `user_id` when `admin`) from the query string; 400 naming
    /// every bad field.
    static func query(_ request: Request, admin: Bool, now: Date = Date()) throws -> Query {
        var errors: [HTTPError.FieldError] = []
        let today = BudgetPeriod(.day).start(containing: now)
        func date(_ name: String) -> Date? {
            guard let raw = request.queryValue(name) else { return nil }
            guard let d = parseDate(raw) else {
                errors.append(.init(field: name, message: "must be a date as YYYY-MM-DD"))
                return nil
            }
            return d
        }
        let to = date("to") ?? today
        let from = date("from") ?? to.addingTimeInterval(-Double(defaultDays - 1) * 86_400)
        var grouping = Grouping.day
        if let raw = request.queryValue("group_by") {
            if let g = Grouping(rawValue: raw) {
                grouping = g
            } else {
                errors.append(.init(field: "group_by", message: "must be day, model or trip"))
            }
        }
        var userID: UUID?
        if admin, let raw = request.queryValue("user_id") {
            userID = UUID(uuidString: raw)
            if userID == nil { errors.append(.init(field: "user_id", message: "must be a UUID")) }
        }
        if errors.isEmpty {
            if from > to {
                errors.append(.init(field: "from", message: "must not be after to"))
            } else if to.timeIntervalSince(from) / 86_400 >= Double(maximumDays) {
                errors.append(.init(field: "from", message: "must be at most \(maximumDays) days before to"))
            }
        }
        guard errors.isEmpty else { throw HTTPError.invalid(errors, title: "Invalid query") }
        return Query(from: from, to: to, grouping: grouping, userID: userID)
    }

    /// `YYYY-MM-DD` as the UTC midnight starting that day; nil for anything else (digits only).
    static func parseDate(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m),
            (1...31).contains(d)
        else { return nil }
        let components = DateComponents(year: y, month: m, day: d)
        guard components.isValidDate(in: BudgetPeriod.calendar) else { return nil }
        return BudgetPeriod.calendar.date(from: components)
    }

    /// The report for `userID` (the caller), or for `query.userID`/everyone when `userID` is nil.
    func report(_ query: Query, userID: UUID?, currency: String) throws -> JSONValue {
        usage.flush()
        let subject = userID ?? query.userID
        let end = query.to.addingTimeInterval(86_400)
        let rows = try pool.query(
            """
            SELECT \(query.grouping.keySQL) AS key, currency, count(*)::bigint AS requests,
                coalesce(sum(prompt_tokens), 0)::bigint AS prompt_tokens,
                coalesce(sum(completion_tokens), 0)::bigint AS completion_tokens,
                coalesce(sum(cost_nanos), 0)::bigint AS cost_nanos,
                count(*) FILTER (WHERE cache_hit)::bigint AS cache_hits
            FROM ai_usage
            WHERE ($1::uuid IS NULL OR user_id = $1) AND created_at >= $2 AND created_at < $3
            GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2
            """, [subject, query.from, end])
        var data: [JSONValue] = []
        var totals: [Int64] = [0, 0, 0, 0, 0]
        var currencies = Set<String>()
        for row in rows {
            let key: String? = try row.decode(0)
            let rowCurrency: String = try row.decode(1)
            currencies.insert(rowCurrency)
            let numbers = try (2...6).map { try row.decode($0, as: Int64.self) }
            for i in totals.indices { totals[i] += numbers[i] }
            data.append(Self.entry(key: key.map(JSONValue.string) ?? .null, numbers, currency: rowCurrency))
        }
        let totalCurrency = currencies.count <= 1 ? (currencies.first ?? currency) : nil
        var totalsJSON = Self.entry(key: nil, totals, currency: totalCurrency)
        totalsJSON.set("key", nil)
        return [
            "data": .array(data), "totals": totalsJSON, "group_by": .string(query.grouping.rawValue),
            "from": .string(Self.format(query.from)), "to": .string(Self.format(query.to)),
        ]
    }

    private static func entry(key: JSONValue?, _ n: [Int64], currency: String?) -> JSONValue {
        [
            "key": key ?? .null, "requests": .int(Int(n[0])), "prompt_tokens": .int(Int(n[1])),
            "completion_tokens": .int(Int(n[2])), "cost_nanos": .int(Int(n[3])),
            "currency": currency.map(JSONValue.string) ?? .null, "cache_hits": .int(Int(n[4])),
        ]
    }

    static func format(_ date: Date) -> String {
        let c = BudgetPeriod.calendar.dateComponents([.year, .month, .day], from: date)
        let pad = { (v: Int?, w: Int) in
            String(repeating: "0", count: max(0, w - String(v ?? 0).count)) + String(v ?? 0)
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }
}
