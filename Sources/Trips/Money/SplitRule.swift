/// How an expense is divided among trip members: the `split` object of an expense.
///
/// Amounts are integer minor units of one currency. `allocate` never loses or invents a unit:
/// the parts always sum to the total exactly. Refunds (negative totals) are split as the mirror
/// image of the positive total, so refunding an expense cancels it member by member.
public enum SplitRule: Sendable {
    /// Everyone listed pays the same, up to one minor unit (`split.type = "equal"`).
    case equal(among: [String])
    /// Proportional to positive integer weights, e.g. nights stayed (`split.type = "shares"`).
    case shares([(member: String, weight: Int)])
    /// Fixed amounts per member that must add up to the total (`split.type = "exact"`).
    case exact([(member: String, amount: Int64)])

    /// Most members one split may name; a trip is a group of people, not a mailing list.
    public static let maxMembers = 500
    /// Largest weight of a `shares` split; keeps weight sums far from any overflow.
    public static let maxWeight = 1_000_000

    /// The members named by the rule, in the order given.
    public var members: [String] {
        switch self {
        case .equal(let among): return among
        case .shares(let shares): return shares.map(\.member)
        case .exact(let parts): return parts.map(\.member)
        }
    }

    /// Divides `total` minor units among the members.
    ///
    /// `equal` and `shares` use largest-remainder rounding with ties going to the member listed
    /// first: 1000 in thirds is 334/333/333. `exact` returns its parts after checking they sum to
    /// `total` and carry its sign. Errors name the offending field under `split.among`.
    public func allocate(_ total: Int64) throws(MoneyError) -> [(member: String, amount: Int64)] {
        let members = self.members
        try Self.validateMembers(members)
        switch self {
        case .equal:
            return Self.proportional(total, members: members, weights: members.map { _ in 1 })
        case .shares(let shares):
            var weights: [UInt64] = []
            for (index, share) in shares.enumerated() {
                guard share.weight > 0, share.weight <= Self.maxWeight else {
                    throw .invalid(
                        field: "split.among[\(index)].weight",
                        message: "must be a whole number from 1 to \(Self.maxWeight)")
                }
                weights.append(UInt64(share.weight))
            }
            return Self.proportional(total, members: members, weights: weights)
        case .exact(let parts):
            try Self.validateExact(parts, total: total)
            return parts
        }
    }

    private static func proportional(
        _ total: Int64, members: [String], weights: [UInt64]
    ) -> [(member: String, amount: Int64)] {
        // Allocate the magnitude and re-apply the sign, so a refund mirrors its expense exactly.
        let parts = LargestRemainder.allocate(total.magnitude, weights: weights)
        return zip(members, parts).map { member, part in
            (member: member, amount: LargestRemainder.signed(part, negative: total < 0))
        }
    }

    private static func validateMembers(_ members: [String]) throws(MoneyError) {
        guard !members.isEmpty else {
            throw .invalid(field: "split.among", message: "must name at least one member")
        }
        guard members.count <= maxMembers else {
            throw .invalid(field: "split.among", message: "must name at most \(maxMembers) members")
        }
        var seen: Set<String> = []
        for (index, member) in members.enumerated() {
            guard !member.isEmpty else {
                throw .invalid(field: "split.among[\(index)]", message: "member must not be empty")
            }
            guard seen.insert(member).inserted else {
                throw .invalid(field: "split.among[\(index)]", message: "member '\(member)' is listed twice")
            }
        }
    }

    private static func validateExact(_ parts: [(member: String, amount: Int64)], total: Int64) throws(MoneyError) {
        var sum: Int64 = 0
        for (index, part) in parts.enumerated() {
            // A part against the sign of the total would make someone owe money for paying.
            let wrongSign = total >= 0 ? part.amount < 0 : part.amount > 0
            guard !wrongSign else {
                throw .invalid(
                    field: "split.among[\(index)].amount",
                    message: total >= 0 ? "must not be negative" : "must not be positive for a refund")
            }
            let (next, overflow) = sum.addingReportingOverflow(part.amount)
            guard !overflow else {
                throw .invalid(field: "split.among", message: "exact amounts add up to more than the total")
            }
            sum = next
        }
        guard sum == total else {
            throw .invalid(
                field: "split.among",
                message: "exact amounts add up to \(sum) but the expense amount is \(total)")
        }
    }
}
