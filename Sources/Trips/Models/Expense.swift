import Foundation

/// What an expense may be about.
public enum ExpenseCategory: String, Sendable, Codable, CaseIterable {
    case lodging, transport, food, activities, shopping, fees, other
    /// A repayment between members: paid by the debtor, split `exact` to the creditor.
    case settlement
}

/// How an expense is shared, as stored and shown: `equal` among members, by `shares`, or `exact`
/// amounts (in the expense's currency).
public struct SplitSpec: Sendable, Codable, Equatable {
    public var type: String
    public var among: [SplitMember]
}

public struct SplitMember: Sendable, Codable, Equatable {
    public var userId: String
    public var shares: Int?
    public var amount: Int64?

    public init(userId: String, shares: Int? = nil, amount: Int64? = nil) {
        self.userId = userId
        self.shares = shares
        self.amount = amount
    }

    /// A bare user id (for `equal`) or an object.
    public init(from decoder: any Decoder) throws {
        if let id = try? decoder.singleValueContainer().decode(String.self) {
            self.init(userId: id)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            userId: try c.decode(String.self, forKey: .userId),
            shares: try c.decodeIfPresent(Int.self, forKey: .shares),
            amount: try c.decodeIfPresent(Int64.self, forKey: .amount))
    }

    enum CodingKeys: String, CodingKey { case userId, shares, amount }
}

/// A rate written as a JSON string or number; kept as text so no digit is lost to binary floating point.
public struct RateText: Sendable, Decodable, Equatable {
    public var text: String

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            text = s
        } else {
            text = "\(try c.decode(Decimal.self))"
        }
    }
}

/// `POST …/expenses` and `PATCH …/expenses/{eid}`.
public struct ExpenseInput: Decodable, Sendable {
    public var description: String?
    public var amount: Int64?
    public var currency: String?
    public var rate: Patch<RateText>
    public var paidBy: String?
    public var split: SplitSpec?
    public var category: String?
    public var date: String?
    public var itemId: Patch<String>
}

/// One member's part of an expense, in the trip currency.
public struct ShareView: Sendable, Codable, Equatable {
    public var userId: String
    public var amount: Int64
}

public struct ExpenseView: Sendable, Encodable {
    public var id: String
    public var tripId: String
    public var description: String
    public var amount: Int64
    public var currency: String
    public var rate: String?
    /// The amount in the trip currency, and each member's share of it (summing to it exactly).
    public var convertedAmount: Int64
    public var shares: [ShareView]
    public var paidBy: String
    public var split: SplitSpec
    public var category: ExpenseCategory
    public var date: CalendarDate
    public var itemId: String?
    public var version: Int64
    public var createdAt: Date
    public var updatedAt: Date

    public var etag: String { "\"e\(version)\"" }
}

/// `GET …/balances`: who is up and who is down, in the trip currency, and how to settle.
public struct BalancesView: Sendable, Encodable {
    public var currency: String
    public var totalSpent: Int64
    public var members: [MemberBalance]
    public var transfers: [TransferView]
}

public struct MemberBalance: Sendable, Encodable {
    public var userId: String
    public var displayName: String?
    /// False for someone who has left the trip but still has expenses in it.
    public var isMember: Bool
    public var paid: Int64
    public var owed: Int64
    /// paid − owed: positive means others owe them.
    public var net: Int64
}

public struct TransferView: Sendable, Encodable {
    public var from: String
    public var to: String
    public var amount: Int64
}

/// A `trip_expenses` row.
struct ExpenseRow: Decodable {
    var id: String
    var tripId: String
    var description: String
    var amount: Int64
    var currency: String
    var rate: String?
    var convertedAmount: Int64
    var allocation: String
    var paidBy: String
    var split: String
    var category: String
    var date: String
    var itemId: String?
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    static let columns = """
        id::text AS id, trip_id::text AS trip_id, description, amount, currency, rate, converted_amount,
        allocation::text AS allocation, paid_by::text AS paid_by, split::text AS split, category, date::text AS date,
        item_id::text AS item_id, version, created_at, updated_at
        """
}
