import Testing

@testable import Trips

@Suite("Balances")
struct MoneyBalancesTests {
    private func expense(
        _ payer: String, _ amount: Int64, _ currency: String, rate: String? = nil, _ split: SplitRule,
        trip: String = "EUR"
    ) throws -> LedgerEntry {
        let converted = try ExpenseConversion.convert(
            amount: amount, currency: currency, rate: rate.map { try ExchangeRate($0) }, split: split,
            tripCurrency: trip)
        return try LedgerEntry(paidBy: payer, expense: converted)
    }

    @Test("a trip with EUR, JPY and USD expenses nets to zero and settles exactly")
    func mixedCurrencyTrip() throws {
        let everyone = SplitRule.equal(among: ["ana", "ben", "cleo"])
        let entries = [
            try expense("ana", 10_000, "EUR", everyone),  // hotel 100.00 EUR
            try expense("ben", 12_345, "JPY", rate: "0.0061", everyone),  // 75.3045 → 75.30 EUR
            try expense("cleo", 4_999, "USD", rate: "0.9234", .shares([("ana", 1), ("cleo", 2)])),  // 46.16 EUR
            try expense("ana", 1_000, "USD", rate: "0.9234", .exact([("ben", 500), ("cleo", 500)])),  // 9.23 EUR
        ]
        let balances = try Balances(entries: entries, members: ["ana", "ben", "cleo", "dan"])
        // ana: +100.00 −33.34 −25.10 −15.39 +9.23 = 35.40; ben: +75.30 −33.33 −25.10 −4.62 = 12.25
        // cleo: +46.16 −33.33 −25.10 −30.77 −4.61 = −47.65; dan had no expense.
        #expect(balances.net == ["ana": 3540, "ben": 1225, "cleo": -4765, "dan": 0])
        #expect(balances.net.values.reduce(0, +) == 0)
        #expect(
            balances.transfers == [
                Transfer(from: "cleo", to: "ana", amount: 3540), Transfer(from: "cleo", to: "ben", amount: 1225),
            ])
        #expect(applying(balances.transfers, to: balances.net).values.allSatisfy { $0 == 0 })
    }

    @Test("recorded repayments reduce debts; a full repayment settles the trip")
    func payments() throws {
        let dinner = try expense("ana", 9_000, "EUR", .equal(among: ["ana", "ben", "cleo"]))
        var entries = [dinner]
        #expect(try Balances.netPositions(entries) == ["ana": 6000, "ben": -3000, "cleo": -3000])
        entries.append(try LedgerEntry.payment(from: "ben", to: "ana", amount: 1000))
        #expect(try Balances.netPositions(entries) == ["ana": 5000, "ben": -2000, "cleo": -3000])
        entries.append(try LedgerEntry.payment(from: "ben", to: "ana", amount: 2000))
        entries.append(try LedgerEntry.payment(from: "cleo", to: "ana", amount: 3000))
        let settled = try Balances(entries: entries)
        #expect(settled.net == ["ana": 0, "ben": 0, "cleo": 0])
        #expect(settled.transfers.isEmpty)
        // Overpaying flips the debt around instead of being ignored.
        entries.append(try LedgerEntry.payment(from: "cleo", to: "ana", amount: 500))
        #expect(try Balances(entries: entries).transfers == [Transfer(from: "ana", to: "cleo", amount: 500)])
    }

    @Test("a refund cancels its expense member by member")
    func refundCancels() throws {
        let split = SplitRule.shares([("ana", 1), ("ben", 2), ("cleo", 3)])
        let entries = [
            try expense("ben", 1001, "USD", rate: "0.9234", split),
            try expense("ben", -1001, "USD", rate: "0.9234", split),
        ]
        #expect(try Balances.netPositions(entries).values.allSatisfy { $0 == 0 })
    }

    @Test("entries and payments are validated")
    func validation() {
        #expect(throws: MoneyError.invalid(field: "split", message: "parts add up to 900 but the amount is 1000")) {
            try LedgerEntry(paidBy: "ana", amount: 1000, shares: [("ana", 500), ("ben", 400)])
        }
        #expect(throws: MoneyError.invalid(field: "paid_by", message: "must not be empty")) {
            try LedgerEntry(paidBy: "", amount: 0, shares: [])
        }
        #expect(throws: MoneyError.invalid(field: "amount", message: "must be positive")) {
            try LedgerEntry.payment(from: "ana", to: "ben", amount: 0)
        }
        #expect(throws: MoneyError.invalid(field: "to", message: "must differ from the paying member")) {
            try LedgerEntry.payment(from: "ana", to: "ana", amount: 10)
        }
        #expect(throws: MoneyError.invalid(field: "from", message: "must not be empty")) {
            try LedgerEntry.payment(from: "", to: "ana", amount: 10)
        }
    }

    @Test("totals beyond Int64 throw overflow instead of trapping")
    func overflow() throws {
        let entries = [
            try LedgerEntry(paidBy: "ana", amount: .max, shares: [("ben", .max)]),
            try LedgerEntry(paidBy: "ana", amount: 1, shares: [("ben", 1)]),
        ]
        #expect(throws: MoneyError.self) { try Balances.netPositions(entries) }
        #expect(throws: MoneyError.self) {
            try LedgerEntry(paidBy: "ana", amount: 0, shares: [("ben", .max), ("cleo", 1)])
        }
    }

    @Test("nets sum to exactly zero and settle exactly: 2,000 random trips")
    func randomTrips() throws {
        var rng = SplitMix64(seed: 0x4241_4C41_4E43)
        let codes = ["EUR", "USD", "JPY", "BHD", "KRW", "GBP", "TND", "CHF"]
        for _ in 0..<2_000 {
            let trip = codes.randomElement(using: &rng) ?? "EUR"
            let people = (0..<Int.random(in: 2...10, using: &rng)).map { "p\($0)" }
            var entries: [LedgerEntry] = []
            for _ in 0..<Int.random(in: 1...25, using: &rng) {
                let payer = people.randomElement(using: &rng) ?? "p0"
                if Int.random(in: 0..<6, using: &rng) == 0 {
                    let receiver = people.filter { $0 != payer }.randomElement(using: &rng) ?? "p1"
                    entries.append(
                        try LedgerEntry.payment(
                            from: payer, to: receiver, amount: Int64.random(in: 1...100_000, using: &rng)))
                    continue
                }
                let among = Array(people.shuffled(using: &rng).prefix(Int.random(in: 1...people.count, using: &rng)))
                let currency = codes.randomElement(using: &rng) ?? "EUR"
                let rate =
                    currency == trip
                    ? nil : "\(Int.random(in: 1...99_999, using: &rng))e-\(Int.random(in: 0...4, using: &rng))"
                let amount = Int64.random(in: -20_000...2_000_000, using: &rng)
                entries.append(try expense(payer, amount, currency, rate: rate, .equal(among: among), trip: trip))
            }
            let balances = try Balances(entries: entries, members: people)
            #expect(balances.net.values.reduce(0, +) == 0)
            #expect(Set(balances.net.keys) == Set(people))
            #expect(balances.transfers.allSatisfy { $0.amount > 0 && $0.from != $0.to })
            #expect(applying(balances.transfers, to: balances.net).values.allSatisfy { $0 == 0 })
        }
    }
}
