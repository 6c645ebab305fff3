/// Computes the fewest transfers that settle a set of net positions.
///
/// Transfers form a graph whose connected groups each sum to zero, and a group of k members
/// needs at least k − 1 transfers. So the optimum is n − g, where n counts members with a
/// non-zero position and g is the largest number of disjoint zero-sum groups they split into.
/// Finding g is NP-hard in general; it is solved exactly by a DP over subsets up to
/// `exactLimit` members and approximated by a greedy beyond, which still needs at most n − 1.
public enum Settlement {
    /// Largest number of non-zero members solved exactly: 2^16 subsets × 16 is about 1M steps
    /// and 640 KiB, cheap per request; every member more doubles both.
    public static let exactLimit = 16

    /// The minimal transfers (exact up to `exactLimit` non-zero members) settling `net`.
    ///
    /// `net` maps member to paid − owed: positive is owed money, negative owes. Output is sorted
    /// by payer, receiver and amount, every amount is positive, and applying the transfers zeroes
    /// every position exactly. Throws when the positions do not sum to zero or overflow.
    public static func transfers(_ net: [String: Int64]) throws(MoneyError) -> [Transfer] {
        try validate(net)
        // Sorted by name so that every choice below, and so the output, is deterministic.
        let positions = net.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { (member: $0.key, net: $0.value) }
        let result: [Transfer]
        if positions.count <= exactLimit {
            result = SettlementOptimizer.groups(positions).flatMap { greedy($0) }
        } else {
            result = pairedThenGreedy(positions)
        }
        return result.sorted()
    }

    /// Ensures credits equal debts and their total fits `Int64`, which bounds every subset sum
    /// the optimizer forms and every intermediate the greedy keeps.
    private static func validate(_ net: [String: Int64]) throws(MoneyError) {
        var credits: UInt64 = 0
        var debts: UInt64 = 0
        for value in net.values {
            let (sum, overflow) =
                value > 0
                ? credits.addingReportingOverflow(value.magnitude) : debts.addingReportingOverflow(value.magnitude)
            guard !overflow else { throw rangeError }
            if value > 0 { credits = sum } else { debts = sum }
        }
        guard credits == debts else {
            throw .invalid(
                field: "balances", message: "net positions sum to \(signedDifference(credits, debts)), not 0")
        }
        guard credits <= UInt64(Int64.max) else { throw rangeError }
    }

    private static let rangeError = MoneyError.overflow(
        field: "balances", message: "the trip's totals exceed the supported amount range")

    /// Credits − debts as text, without an Int128 that older Apple platforms lack.
    private static func signedDifference(_ credits: UInt64, _ debts: UInt64) -> String {
        credits >= debts ? "\(credits - debts)" : "-\(debts - credits)"
    }

    /// Repeatedly settles the largest creditor with the largest debtor (ties: first by name).
    ///
    /// Each transfer zeroes at least one member and the last zeroes two, so a zero-sum group of
    /// k members takes at most k − 1 transfers: optimal for groups with no zero-sum subgroup.
    static func greedy(_ positions: [(member: String, net: Int64)]) -> [Transfer] {
        var remaining = positions
        var transfers: [Transfer] = []
        while true {
            var creditor: Int?
            var debtor: Int?
            for (index, position) in remaining.enumerated() {
                if position.net > 0, position.net > creditor.map({ remaining[$0].net }) ?? 0 {
                    creditor = index
                } else if position.net < 0, position.net < debtor.map({ remaining[$0].net }) ?? 0 {
                    debtor = index
                }
            }
            guard let creditor, let debtor else { return transfers }
            let amount = min(remaining[creditor].net, -remaining[debtor].net)
            transfers.append(Transfer(from: remaining[debtor].member, to: remaining[creditor].member, amount: amount))
            remaining[creditor].net -= amount
            remaining[debtor].net += amount
        }
    }

    /// For large groups: settle exact opposites pairwise first (each pair is a zero-sum group the
    /// plain greedy may break up), then run the greedy on what is left.
    static func pairedThenGreedy(_ positions: [(member: String, net: Int64)]) -> [Transfer] {
        var creditorsByAmount: [Int64: [String]] = [:]
        for position in positions.reversed() where position.net > 0 {
            creditorsByAmount[position.net, default: []].append(position.member)  // popLast = first by name
        }
        var transfers: [Transfer] = []
        var paired: Set<String> = []
        for position in positions where position.net < 0 {
            if let creditor = creditorsByAmount[-position.net]?.popLast() {
                transfers.append(Transfer(from: position.member, to: creditor, amount: -position.net))
                paired.insert(position.member)
                paired.insert(creditor)
            }
        }
        return transfers + greedy(positions.filter { !paired.contains($0.member) })
    }
}
