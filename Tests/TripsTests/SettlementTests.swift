import Testing

@testable import Trips

@Suite("Settlement: known cases")
struct SettlementTests {
    @Test("two debtors, two creditors of equal size: two transfers, not three")
    func pairs() throws {
        let net: [String: Int64] = ["A": -5, "B": -5, "C": 5, "D": 5]
        let transfers = try Settlement.transfers(net)
        #expect(transfers == [Transfer(from: "A", to: "C", amount: 5), Transfer(from: "B", to: "D", amount: 5)])
    }

    @Test("the DP finds fewer transfers than largest-creditor-with-largest-debtor")
    func beatsGreedy() throws {
        // Optimal: {E+6, A−4, B−2} and {F+5, C−5} → 2 + 1 = 3 transfers.
        // Greedy: E→C 5 (E+1), F→A 4 (F+1), then 1 + 1 against B −2 → 4 transfers.
        let net: [String: Int64] = ["A": -4, "B": -2, "C": -5, "E": 6, "F": 5]
        let positions = net.sorted { $0.key < $1.key }.map { (member: $0.key, net: $0.value) }
        #expect(Settlement.greedy(positions).count == 4)
        let transfers = try Settlement.transfers(net)
        #expect(transfers.count == 3)
        #expect(
            transfers == [
                Transfer(from: "A", to: "E", amount: 4), Transfer(from: "B", to: "E", amount: 2),
                Transfer(from: "C", to: "F", amount: 5),
            ])
    }

    @Test("a case pairing alone does not solve: three-member groups")
    func threeWayGroups() throws {
        // {+3, −1, −2} twice, interleaved: greedy crosses the groups, the optimum is 4 transfers.
        let net: [String: Int64] = ["a": 3, "b": 3, "c": -2, "d": -2, "e": -1, "f": -1]
        #expect(try Settlement.transfers(net).count == 4)
        #expect(bruteForceMinimumTransfers(net) == 4)
        // {+7, −4, −3} and {+6, −5, −1}: greedy 7→5, 6→4, … takes 5.
        let other: [String: Int64] = ["p": 7, "q": -4, "r": -3, "s": 6, "t": -5, "u": -1]
        let positions = other.sorted { $0.key < $1.key }.map { (member: $0.key, net: $0.value) }
        #expect(Settlement.greedy(positions).count == 5)
        #expect(Settlement.pairedThenGreedy(positions).count == 5)
        let transfers = try Settlement.transfers(other)
        #expect(transfers.count == 4)
        #expect(applying(transfers, to: other).values.allSatisfy { $0 == 0 })
    }

    @Test("trivial inputs")
    func trivial() throws {
        #expect(try Settlement.transfers([:]).isEmpty)
        #expect(try Settlement.transfers(["a": 0, "b": 0]).isEmpty)
        #expect(try Settlement.transfers(["a": -7, "b": 7]) == [Transfer(from: "a", to: "b", amount: 7)])
        #expect(
            try Settlement.transfers(["a": -3, "b": -4, "c": 7]) == [
                Transfer(from: "a", to: "c", amount: 3), Transfer(from: "b", to: "c", amount: 4),
            ])
    }

    @Test("output is sorted and independent of dictionary order")
    func deterministic() throws {
        let net: [String: Int64] = ["z": 10, "y": -3, "x": -3, "w": -4, "v": 6, "u": -6]
        let first = try Settlement.transfers(net)
        #expect(first == first.sorted())
        for _ in 0..<20 {
            // A fresh dictionary can iterate in a different order; the answer must not change.
            var copy: [String: Int64] = [:]
            for (key, value) in net.shuffled() { copy[key] = value }
            #expect(try Settlement.transfers(copy) == first)
        }
    }

    @Test("positions that do not sum to zero, or overflow, are rejected")
    func rejectsBadInput() {
        #expect(throws: MoneyError.invalid(field: "balances", message: "net positions sum to 1, not 0")) {
            try Settlement.transfers(["a": 5, "b": -4])
        }
        #expect(throws: MoneyError.invalid(field: "balances", message: "net positions sum to -1, not 0")) {
            try Settlement.transfers(["a": 4, "b": -5])
        }
        #expect(throws: MoneyError.self) { try Settlement.transfers(["a": .max, "b": .max, "c": .min, "d": .min]) }
        #expect(throws: MoneyError.self) { try Settlement.transfers(["a": .min, "b": .max, "c": 1]) }
    }

    @Test("extreme but valid positions settle exactly")
    func extremes() throws {
        let net: [String: Int64] = ["a": .max, "b": -(.max - 1), "c": -1]
        let transfers = try Settlement.transfers(net)
        #expect(transfers.count == 2)
        #expect(applying(transfers, to: net).values.allSatisfy { $0 == 0 })
    }
}
