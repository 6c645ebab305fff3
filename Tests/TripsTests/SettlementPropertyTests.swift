import Testing

@testable import Trips

@Suite("Settlement: properties over random cases")
struct SettlementPropertyTests {
    /// The invariants every settlement must keep, whatever the algorithm.
    private func checkInvariants(_ transfers: [Transfer], _ net: [String: Int64]) {
        #expect(transfers == transfers.sorted())
        #expect(transfers.allSatisfy { $0.amount > 0 && $0.from != $0.to })
        #expect(applying(transfers, to: net).values.allSatisfy { $0 == 0 })
        // Debtors only pay, creditors only receive, each exactly what they owe or are owed.
        for (member, value) in net {
            let paid = transfers.filter { $0.from == member }.reduce(0) { $0 + $1.amount }
            let received = transfers.filter { $0.to == member }.reduce(0) { $0 + $1.amount }
            #expect(value < 0 ? paid == -value && received == 0 : paid == 0 && received == value)
        }
        let nonZero = net.values.filter { $0 != 0 }.count
        #expect(transfers.count <= max(nonZero - 1, 0))
    }

    @Test("optimal count equals a brute-force search on 3,000 small clustered cases")
    func optimalSmall() throws {
        var rng = SplitMix64(seed: 0x5345_5454_4C45)
        var beatGreedy = 0
        for _ in 0..<3_000 {
            let net = clusteredNets(count: Int.random(in: 2...8, using: &rng), using: &rng)
            let transfers = try Settlement.transfers(net)
            checkInvariants(transfers, net)
            #expect(transfers.count == bruteForceMinimumTransfers(net), "\(net)")
            let positions = net.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map {
                (member: $0.key, net: $0.value)
            }
            let greedyCount = Settlement.greedy(positions).count
            #expect(transfers.count <= greedyCount)
            if transfers.count < greedyCount { beatGreedy += 1 }
        }
        // The clustered generator exists to produce cases where the DP matters; make sure it does.
        #expect(beatGreedy > 100)
    }

    @Test("up to the exact limit: invariants and never worse than greedy, 400 cases of 9–16 members")
    func exactLimit() throws {
        var rng = SplitMix64(seed: 0x4C49_4D49_5416)
        for round in 0..<400 {
            let count = Int.random(in: 9...Settlement.exactLimit, using: &rng)
            let net =
                round.isMultiple(of: 2)
                ? clusteredNets(count: count, using: &rng)
                : randomNets(count: count, maxMagnitude: 1_000_000_000, using: &rng)
            let transfers = try Settlement.transfers(net)
            checkInvariants(transfers, net)
            let positions = net.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map {
                (member: $0.key, net: $0.value)
            }
            #expect(transfers.count <= Settlement.greedy(positions).count)
            #expect(transfers.count <= Settlement.pairedThenGreedy(positions).count)
        }
    }

    @Test("beyond the exact limit the greedy still settles exactly: 300 cases of 17–200 members")
    func large() throws {
        var rng = SplitMix64(seed: 0x4752_4545_4459)
        for round in 0..<300 {
            let count = Int.random(in: (Settlement.exactLimit + 1)...200, using: &rng)
            let net =
                round.isMultiple(of: 2)
                ? clusteredNets(count: count, using: &rng)
                : randomNets(count: count, maxMagnitude: 1_000_000_000_000, using: &rng)
            checkInvariants(try Settlement.transfers(net), net)
        }
    }
}
