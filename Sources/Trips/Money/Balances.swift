/// Net positions of trip members and the transfers that settle them: `GET …/balances`.
public struct Balances: Sendable {
    /// Per member: paid − owed, in trip-currency minor units. Positive means the member is owed
    /// money, negative means they owe. The values sum to exactly zero.
    public let net: [String: Int64]
    /// The fewest transfers that bring every net position to zero (see `Settlement`).
    public let transfers: [Transfer]

    /// Computes net positions from balanced entries (expenses and repayments) and settles them.
    ///
    /// `members` lists the trip's members so that those without any entry still show a zero.
    /// Throws `.overflow` only when totals leave the `Int64` range.
    public init(entries: [LedgerEntry], members: [String] = []) throws(MoneyError) {
        let net = try Self.netPositions(entries, members: members)
        self.net = net
        self.transfers = try Settlement.transfers(net)
    }

    /// Paid − owed per member. Each entry adds `amount` to its payer and subtracts shares that sum
    /// to the same `amount` (checked by `LedgerEntry`), so the total stays zero by construction.
    public static func netPositions(
        _ entries: [LedgerEntry], members: [String] = []
    ) throws(MoneyError) -> [String: Int64] {
        var net: [String: Int64] = [:]
        for member in members { net[member] = 0 }
        for entry in entries {
            try add(entry.amount, to: entry.payer, in: &net)
            for share in entry.shares {
                // Subtract as "add the negation", checked: -Int64.min does not exist.
                let (negated, overflow) = Int64(0).subtractingReportingOverflow(share.amount)
                guard !overflow else { throw overflowError }
                try add(negated, to: share.member, in: &net)
            }
        }
        return net
    }

    private static func add(_ amount: Int64, to member: String, in net: inout [String: Int64]) throws(MoneyError) {
        let (sum, overflow) = net[member, default: 0].addingReportingOverflow(amount)
        guard !overflow else { throw overflowError }
        net[member] = sum
    }

    private static let overflowError = MoneyError.overflow(
        field: "expenses", message: "the trip's totals exceed the supported amount range")
}
