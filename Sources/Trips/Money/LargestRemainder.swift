/// Largest-remainder (Hamilton) rounding: every part gets the floor of its exact quota, and the
/// units still missing go one each to the parts with the largest remainders, earlier parts first
/// on ties. The parts then sum to the total exactly and each is within one unit of its quota.
enum LargestRemainder {
    /// Splits `total` in proportion to `weights` (all positive, sum at most `UInt64.max`).
    static func allocate(_ total: UInt64, weights: [UInt64]) -> [UInt64] {
        let weightSum = weights.reduce(0, +)
        var parts: [UInt64] = []
        var remainders: [UInt64] = []
        parts.reserveCapacity(weights.count)
        remainders.reserveCapacity(weights.count)
        for weight in weights {
            // total × weight needs 128 bits; the quotient fits 64 because weight ≤ weightSum.
            let product = total.multipliedFullWidth(by: weight)
            let (quotient, remainder) = weightSum.dividingFullWidth(product)
            parts.append(quotient)
            remainders.append(remainder)
        }
        let missing = total - parts.reduce(0, +)  // fewer than weights.count, never negative
        distribute(missing, to: &parts, byRemainder: remainders)
        return parts
    }

    /// Adds one unit to each of the `extra` parts with the largest remainders, earlier index first.
    static func distribute<Remainder: Comparable>(
        _ extra: UInt64, to parts: inout [UInt64], byRemainder remainders: [Remainder]
    ) {
        let order = remainders.indices.sorted { lhs, rhs in
            remainders[lhs] != remainders[rhs] ? remainders[lhs] > remainders[rhs] : lhs < rhs
        }
        for index in order.prefix(Int(clamping: extra)) {
            parts[index] += 1
        }
    }

    /// Applies a sign to a magnitude of at most 2^63, which covers `Int64.min`.
    static func signed(_ magnitude: UInt64, negative: Bool) -> Int64 {
        negative ? Int64(bitPattern: 0 &- magnitude) : Int64(bitPattern: magnitude)
    }
}
