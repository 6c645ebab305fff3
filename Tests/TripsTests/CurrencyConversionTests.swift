import Testing

@testable import Trips

@Suite("Currency conversion")
struct CurrencyConversionTests {
    private func convert(_ amount: Int64, _ from: String, _ to: String, _ rate: String) throws -> Int64 {
        try CurrencyConversion.convert(minor: amount, from: from, to: to, rate: ExchangeRate(rate))
    }

    @Test("JPY to EUR and back across exponents 0 and 2")
    func yenEuro() throws {
        #expect(try convert(1000, "JPY", "EUR", "0.0061") == 610)  // 6.10 EUR
        #expect(try convert(1234, "JPY", "EUR", "0.0061") == 753)  // 7.5274 EUR
        #expect(try convert(1, "JPY", "EUR", "0.0061") == 1)  // 0.61 cent rounds up
        #expect(try convert(1001, "EUR", "JPY", "162.35") == 1625)  // 1625.1235 JPY
        #expect(try convert(1000, "EUR", "JPY", "162.35") == 1624)  // 1623.5: tie to even
    }

    @Test("EUR to BHD and back across exponents 2 and 3")
    func euroDinar() throws {
        #expect(try convert(1234, "EUR", "BHD", "0.4113") == 5075)  // 5.075442 BHD
        #expect(try convert(5075, "BHD", "EUR", "2.4313") == 1234)  // 12.3388475 EUR
        #expect(try convert(1, "KWD", "JPY", "490.5") == 0)  // 0.4905 JPY
        #expect(try convert(1, "KWD", "KRW", "4500") == 4)  // 4.5 KRW: tie to even (down)
        #expect(try convert(1, "KWD", "KRW", "5500") == 6)  // 5.5 KRW: tie to even (up)
    }

    @Test("ties round half to even, symmetrically for refunds")
    func bankersRounding() throws {
        #expect(try convert(500, "EUR", "JPY", "0.5") == 2)
        #expect(try convert(700, "EUR", "JPY", "0.5") == 4)
        #expect(try convert(-500, "EUR", "JPY", "0.5") == -2)
        #expect(try convert(-700, "EUR", "JPY", "0.5") == -4)
        #expect(try convert(-1234, "JPY", "EUR", "0.0061") == -753)
        #expect(try convert(0, "EUR", "JPY", "162.35") == 0)
    }

    @Test("extreme amounts convert exactly or throw overflow, never trap")
    func extremes() throws {
        #expect(try convert(.max, "EUR", "USD", "1") == .max)
        #expect(try convert(.min, "EUR", "USD", "1") == .min)
        #expect(try convert(.max, "USD", "JPY", "0.01") == 922_337_203_685_478)  // …477.5807 → …478
        let overflows: [(Int64, String, String, String)] = [
            (.max, "EUR", "JPY", "1000"), (.min, "EUR", "JPY", "1000"), (.max, "EUR", "USD", "1.0000001"),
            (.max / 10, "JPY", "BHD", "1000000000"), (1_000_000_000_000, "JPY", "KWD", "1e9"),
        ]
        for (amount, from, to, rate) in overflows {
            #expect(throws: MoneyError.overflow(field: "amount", message: "converted amount is too large")) {
                try convert(amount, from, to, rate)
            }
        }
    }

    @Test("unknown currencies are validation errors naming the field")
    func unknownCurrency() {
        #expect(throws: MoneyError.invalid(field: "currency", message: "'XYZ' is not an active ISO 4217 currency code"))
        {
            try convert(100, "XYZ", "EUR", "1")
        }
        #expect(throws: MoneyError.self) { try convert(100, "EUR", "eur", "1") }
    }

    @Test("matches an independent integer reference on 20,000 random cases")
    func matchesIntegerReference() throws {
        var rng = SplitMix64(seed: 0x4D4F_4E45_5901)
        let codes = Currency.allCodes
        var checked = 0
        for _ in 0..<20_000 {
            let amount = Int64.random(in: -100_000_000_000...100_000_000_000, using: &rng)
            let significand = UInt64.random(in: 1..<1_000_000, using: &rng)
            let exponent = Int.random(in: -14...3, using: &rng)
            guard let rate = try? ExchangeRate("\(significand)e\(exponent)") else { continue }  // outside limits
            let from = codes.randomElement(using: &rng) ?? "EUR"
            let to = codes.randomElement(using: &rng) ?? "EUR"
            let shift = (Currency.minorUnits(to) ?? 0) - (Currency.minorUnits(from) ?? 0) + exponent
            let expected = referenceConvert(amount, significand: significand, shift: shift)
            if let expected {
                #expect(try CurrencyConversion.convert(minor: amount, from: from, to: to, rate: rate) == expected)
            } else {
                #expect(throws: MoneyError.self) {
                    try CurrencyConversion.convert(minor: amount, from: from, to: to, rate: rate)
                }
            }
            checked += 1
        }
        #expect(checked > 15_000)
    }

    /// amount × significand × 10^shift rounded half to even, in plain UInt64 arithmetic; nil when
    /// the result does not fit Int64. |amount| ≤ 1e11 and significand < 1e6 keep the product < 1e17.
    private func referenceConvert(_ amount: Int64, significand: UInt64, shift: Int) -> Int64? {
        var product = amount.magnitude * significand
        if shift >= 0 {
            for _ in 0..<shift {
                let (next, overflow) = product.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                product = next
            }
        } else if -shift >= 19 {
            product = 0  // below 1e17 / 1e19 = 0.01: rounds to zero
        } else {
            var divisor: UInt64 = 1
            for _ in 0..<(-shift) { divisor *= 10 }
            let (quotient, remainder) = product.quotientAndRemainder(dividingBy: divisor)
            let half = divisor / 2
            let roundUp = remainder > half || (remainder == half && quotient % 2 == 1)
            product = quotient + (roundUp ? 1 : 0)
        }
        guard product <= UInt64(Int64.max) else { return nil }
        return amount < 0 ? -Int64(product) : Int64(product)
    }
}
