import Testing

@testable import Trips

@Suite("Converting expenses into the trip currency")
struct MoneyExpenseConversionTests {
    private func convert(
        _ amount: Int64, _ currency: String, rate: String?, _ split: SplitRule, trip: String = "EUR"
    ) throws -> ConvertedExpense {
        try ExpenseConversion.convert(
            amount: amount, currency: currency, rate: rate.map { try ExchangeRate($0) }, split: split,
            tripCurrency: trip)
    }

    @Test("same currency: no rate needed, 1 allowed, anything else rejected")
    func sameCurrency() throws {
        let split = SplitRule.equal(among: ["a", "b", "c"])
        #expect(try pairs(convert(1000, "EUR", rate: nil, split).shares) == ["a=334", "b=333", "c=333"])
        #expect(try convert(1000, "EUR", rate: "1.000", split).amount == 1000)
        #expect(
            throws: MoneyError.invalid(
                field: "rate", message: "must be 1 or omitted when currency is the trip currency")
        ) { try convert(1000, "EUR", rate: "1.1", split) }
        #expect(
            throws: MoneyError.invalid(
                field: "rate", message: "is required when currency differs from the trip currency")
        ) { try convert(1000, "USD", rate: nil, split) }
        #expect(throws: MoneyError.self) { try convert(1000, "usd", rate: "1", split) }
    }

    @Test("equal split of a yen dinner is split after conversion")
    func yenThirds() throws {
        // 10,000 JPY at 0.0061 = 61.00 EUR → 20.34 / 20.33 / 20.33.
        let result = try convert(10_000, "JPY", rate: "0.0061", .equal(among: ["a", "b", "c"]))
        #expect(result.amount == 6100)
        #expect(pairs(result.shares) == ["a=2034", "b=2033", "c=2033"])
    }

    @Test("exact parts in a foreign currency are converted and fixed up to the converted total")
    func exactForeign() throws {
        // 100 JPY = 33 + 33 + 34 at 0.0061 → 20.13 + 20.13 + 20.74 cents = 61: c takes the odd cent.
        let dinner = try convert(100, "JPY", rate: "0.0061", .exact([("a", 33), ("b", 33), ("c", 34)]))
        #expect(dinner.amount == 61)
        #expect(pairs(dinner.shares) == ["a=20", "b=20", "c=21"])
        // 3 JPY = 1 + 1 + 1 → 0.61 cent each, total 1.83 → 2 cents: equal remainders, first listed win.
        let tiny = try convert(3, "JPY", rate: "0.0061", .exact([("a", 1), ("b", 1), ("c", 1)]))
        #expect(tiny.amount == 2)
        #expect(pairs(tiny.shares) == ["a=1", "b=1", "c=0"])
        // 10.00 USD = 3.33 + 3.33 + 3.34 at 1.0834: exact 360.7722 + 360.7722 + 361.8556 = 1083.4
        // → floors 360 + 360 + 361 = 1081, total 1083: +1 to the two largest remainders (c .8556, a .7722).
        let usd = try convert(1000, "USD", rate: "1.0834", .exact([("a", 333), ("b", 333), ("c", 334)]))
        #expect(usd.amount == 1083)
        #expect(pairs(usd.shares) == ["a=361", "b=360", "c=362"])
        // The refund mirrors it.
        let refund = try convert(-1000, "USD", rate: "1.0834", .exact([("a", -333), ("b", -333), ("c", -334)]))
        #expect(refund.amount == -1083)
        #expect(pairs(refund.shares) == ["a=-361", "b=-360", "c=-362"])
        // Exact parts are checked in the currency the client used.
        #expect(throws: MoneyError.self) {
            try convert(1000, "USD", rate: "1.0834", .exact([("a", 333), ("b", 333), ("c", 333)]))
        }
    }

    @Test("EUR expense on a BHD trip gains a third decimal")
    func euroToDinar() throws {
        let result = try convert(1000, "EUR", rate: "0.4113", .shares([("a", 1), ("b", 2)]), trip: "BHD")
        #expect(result.amount == 4113)
        #expect(pairs(result.shares) == ["a=1371", "b=2742"])
    }

    @Test("converted parts always sum to the converted total: 10,000 random expenses")
    func sumInvariant() throws {
        var rng = SplitMix64(seed: 0x4558_5045_4E53)
        let codes = Currency.allCodes
        for _ in 0..<10_000 {
            let count = Int.random(in: 1...8, using: &rng)
            let members = (0..<count).map { "p\($0)" }
            let total = Int64.random(in: -50_000_000...50_000_000, using: &rng)
            let split: SplitRule
            switch Int.random(in: 0...2, using: &rng) {
            case 0: split = .equal(among: members)
            case 1: split = .shares(members.map { ($0, Int.random(in: 1...10, using: &rng)) })
            default:
                // Random exact parts with the total's sign, adding up to it.
                var parts = try SplitRule.shares(members.map { ($0, Int.random(in: 1...10, using: &rng)) }).allocate(
                    total)
                parts.shuffle(using: &rng)
                split = .exact(parts)
            }
            let currency = codes.randomElement(using: &rng) ?? "USD"
            let trip = codes.randomElement(using: &rng) ?? "EUR"
            let rate =
                currency == trip
                ? nil
                : try ExchangeRate(
                    "\(UInt64.random(in: 1...999_999, using: &rng))e\(Int.random(in: -8...2, using: &rng))")
            let result = try ExpenseConversion.convert(
                amount: total, currency: currency, rate: rate, split: split, tripCurrency: trip)
            let expectedTotal =
                try rate.map { try CurrencyConversion.convert(minor: total, from: currency, to: trip, rate: $0) }
                ?? total
            #expect(result.amount == expectedTotal)
            #expect(result.shares.reduce(0) { $0 + $1.amount } == result.amount)
            #expect(result.shares.map(\.member) == split.members)
            #expect(result.shares.allSatisfy { total >= 0 ? $0.amount >= 0 : $0.amount <= 0 })
        }
    }
}
