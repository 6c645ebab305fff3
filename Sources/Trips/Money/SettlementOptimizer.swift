/// Splits non-zero net positions into the largest number of disjoint zero-sum groups, by dynamic
/// programming over subsets. Settling each group on its own then needs the fewest transfers.
enum SettlementOptimizer {
    /// The groups, each summing to zero, covering every position once. Expects positions that sum
    /// to zero, at most `Settlement.exactLimit` of them, with a total credit that fits `Int64`.
    static func groups(_ positions: [(member: String, net: Int64)]) -> [[(member: String, net: Int64)]] {
        let count = positions.count
        guard count > 0 else { return [] }
        let full = (1 << count) - 1
        // sums[mask]: sum of the positions in mask. No overflow: every subset sum lies between
        // minus the total debt and the total credit, both validated to fit Int64.
        var sums = [Int64](repeating: 0, count: full + 1)
        // best[mask]: most zero-sum groups along some order of removing mask's members one by
        // one, counting each zero-sum set met on the way. best[full] is the answer.
        var best = [UInt8](repeating: 0, count: full + 1)
        for mask in 1...full {
            let lowest = mask & -mask
            sums[mask] = sums[mask ^ lowest] + positions[lowest.trailingZeroBitCount].net
            var most: UInt8 = 0
            var rest = mask
            while rest != 0 {
                let bit = rest & -rest
                most = max(most, best[mask ^ bit])
                rest ^= bit
            }
            best[mask] = most + (sums[mask] == 0 ? 1 : 0)
        }

        // Walk back along an optimal removal order; the zero-sum sets met on the way are nested,
        // and the difference between consecutive ones is a zero-sum group.
        var boundaries: [Int] = [full]
        var mask = full
        while mask != 0 {
            let target = best[mask] - (sums[mask] == 0 ? 1 : 0)
            var rest = mask
            while rest != 0 {
                let bit = rest & -rest
                if best[mask ^ bit] == target {
                    mask ^= bit
                    break
                }
                rest ^= bit
            }
            if mask == 0 || sums[mask] == 0 { boundaries.append(mask) }
        }
        var groups: [[(member: String, net: Int64)]] = []
        for (outer, inner) in zip(boundaries, boundaries.dropFirst()) {
            let group = outer ^ inner
            groups.append(positions.indices.filter { group & (1 << $0) != 0 }.map { positions[$0] })
        }
        return groups
    }
}
