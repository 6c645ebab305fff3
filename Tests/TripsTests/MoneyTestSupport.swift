@testable import Trips

/// Applies transfers to net positions: the payer's debt shrinks, the receiver's credit shrinks.
func applying(_ transfers: [Transfer], to net: [String: Int64]) -> [String: Int64] {
    var result = net
    for transfer in transfers {
        result[transfer.from, default: 0] += transfer.amount
        result[transfer.to, default: 0] -= transfer.amount
    }
    return result
}

/// Random net positions summing to zero, with `count` members named m00, m01, …
func randomNets(count: Int, maxMagnitude: Int64, using rng: inout SplitMix64) -> [String: Int64] {
    guard count > 1 else { return count == 1 ? ["m00": 0] : [:] }
    var values: [Int64] = (0..<(count - 1)).map { _ in Int64.random(in: -maxMagnitude...maxMagnitude, using: &rng) }
    values.append(-values.reduce(0, +))
    values.shuffle(using: &rng)
    var net: [String: Int64] = [:]
    for (index, value) in values.enumerated() {
        net[String(format2: index)] = value
    }
    return net
}

/// Random net positions built from small values so that zero-sum subgroups are common, which is
/// where the minimal settlement differs from the naive one.
func clusteredNets(count: Int, using rng: inout SplitMix64) -> [String: Int64] {
    var values: [Int64] = []
    while values.count < count {
        let groupSize = min(Int.random(in: 2...4, using: &rng), count - values.count)
        if groupSize < 2 {
            values.append(0)
            break
        }
        var group: [Int64] = (0..<(groupSize - 1)).map { _ in Int64.random(in: -9...9, using: &rng) }
        group.append(-group.reduce(0, +))
        values += group
    }
    values.shuffle(using: &rng)
    var net: [String: Int64] = [:]
    for (index, value) in values.enumerated() {
        net[String(format2: index)] = value
    }
    return net
}

extension String {
    /// "m07"-style member names whose string order matches their number.
    init(format2 index: Int) {
        self = index < 10 ? "m0\(index)" : "m\(index)"
    }
}

/// The optimum transfer count by brute force (independent of the DP): n − max disjoint
/// zero-sum groups, trying every zero-sum subset that contains the first remaining member.
func bruteForceMinimumTransfers(_ net: [String: Int64]) -> Int {
    let values = net.values.filter { $0 != 0 }
    func maxGroups(_ remaining: [Int64]) -> Int {
        guard let first = remaining.first else { return 0 }
        let rest = Array(remaining.dropFirst())
        var best = 0
        for mask in 0..<(1 << rest.count) {
            var sum = first
            var others: [Int64] = []
            for (index, value) in rest.enumerated() {
                if mask & (1 << index) != 0 { sum += value } else { others.append(value) }
            }
            if sum == 0 { best = max(best, 1 + maxGroups(others)) }
        }
        return best
    }
    return values.count - maxGroups(values)
}

/// Allocation results as comparable pairs, since tuples are not Equatable inside arrays.
func pairs(_ parts: [(member: String, amount: Int64)]) -> [String] {
    parts.map { "\($0.member)=\($0.amount)" }
}
