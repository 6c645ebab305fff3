import Testing

@testable import Trips

@Suite("Split rules: properties over random cases")
struct SplitPropertyTests {
    @Test("largest remainder: exact sum, within one of the quota, ties to the first listed, refunds mirror")
    func largestRemainderProperties() throws {
        var rng = SplitMix64(seed: 0x5350_4C49_5401)
        for _ in 0..<5_000 {
            let count = Int.random(in: 1...20, using: &rng)
            let members = (0..<count).map { "p\($0)" }
            let weights = (0..<count).map { _ in Int.random(in: 1...1_000, using: &rng) }
            let total = Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &rng)
            let equal = Bool.random(using: &rng)
            let rule: SplitRule = equal ? .equal(among: members) : .shares(Array(zip(members, weights)))
            let used = equal ? Array(repeating: 1, count: count) : weights
            let parts = try rule.allocate(total)

            #expect(parts.map(\.member) == members)
            #expect(parts.reduce(0) { $0 + $1.amount } == total)

            // Work with magnitudes: quota_i = |total| × w_i / W; |total| × w_i < 1e15 fits Int64.
            let weightSum = Int64(used.reduce(0, +))
            let magnitude = Int64(total.magnitude)
            var roundedUp: [(index: Int, remainder: Int64)] = []
            var roundedDown: [(index: Int, remainder: Int64)] = []
            for (index, part) in parts.enumerated() {
                #expect(total >= 0 ? part.amount >= 0 : part.amount <= 0)
                let numerator = magnitude * Int64(used[index])
                let floor = numerator / weightSum
                let remainder = numerator % weightSum
                let got = part.amount.magnitude
                #expect(got == UInt64(floor) || got == UInt64(floor + 1), "part \(index) of \(total)")
                if got == UInt64(floor + 1) {
                    roundedUp.append((index, remainder))
                } else {
                    roundedDown.append((index, remainder))
                }
            }
            // Every part that got the extra unit deserved it at least as much as every one that did not.
            for up in roundedUp {
                #expect(up.remainder > 0)
                for down in roundedDown {
                    #expect(up.remainder > down.remainder || (up.remainder == down.remainder && up.index < down.index))
                }
            }
            let mirrored = try rule.allocate(-total)
            #expect(zip(parts, mirrored).allSatisfy { $0.amount == -$1.amount })
        }
    }

    @Test("exact splits are accepted exactly when they add up")
    func exactSplits() throws {
        var rng = SplitMix64(seed: 0x4558_4143_5401)
        for _ in 0..<3_000 {
            let count = Int.random(in: 1...12, using: &rng)
            let amounts = (0..<count).map { _ in Int64.random(in: 0...5_000_000, using: &rng) }
            let total = amounts.reduce(0, +)
            let parts = Array(zip((0..<count).map { "p\($0)" }, amounts))
            #expect(try pairs(SplitRule.exact(parts).allocate(total)) == pairs(parts))
            let off = Int64.random(in: 1...3, using: &rng) * (Bool.random(using: &rng) ? 1 : -1)
            #expect(throws: MoneyError.self) { try SplitRule.exact(parts).allocate(total + off) }
        }
    }
}
