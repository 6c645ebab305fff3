import Testing

@testable import Trips

@Suite("Exchange rate parsing")
struct CurrencyRateTests {
    @Test(
        "accepts decimal text and normalises it",
        arguments: [
            ("1.0834", "1.0834"), ("150", "150"), ("6.1e-3", "0.0061"), ("6.1E-3", "0.0061"),
            ("0.000000001", "0.000000001"),
            ("1000000000", "1000000000"), ("1e9", "1000000000"), ("1E+9", "1000000000"), ("1e-9", "0.000000001"),
            ("1.50", "1.5"), ("007.50", "7.5"), (".5", "0.5"), ("0.123456789012", "0.123456789012"),
            ("0.1234567890120000", "0.123456789012"), ("123456.789012", "123456.789012"),
            ("162.35", "162.35"),
        ])
    func accepts(text: String, canonical: String) throws {
        let rate = try ExchangeRate(text)
        #expect(rate.description == canonical)
        #expect(try ExchangeRate(rate.description) == rate, "canonical text must round-trip")
    }

    @Test(
        "rejects malformed, non-positive, over-precise and absurd rates",
        arguments: [
            "", "0", "0.0", "0e5", "-1", "-0.5", "+1", "1.", "1.5abc", "1,5", " 1.5", "1.5 ", "1e", "1e+", "e5", ".",
            "NaN",
            "inf", "0x10", "1e-10", "0.0000000009", "1000000001", "1e10", "1e999", "1e-999", "1e99999",
            "1234567890123", "1.23456789012345", String(repeating: "0", count: 40) + "1",
        ])
    func rejects(text: String) {
        #expect(throws: MoneyError.self) { try ExchangeRate(text) }
    }

    @Test("accepts a Double through its shortest round-trip text")
    func fromDouble() throws {
        #expect(try ExchangeRate(1.0834).description == "1.0834")
        #expect(try ExchangeRate(0.1).description == "0.1")
        #expect(try ExchangeRate(1e-9).description == "0.000000001")
        #expect(try ExchangeRate(1e9).description == "1000000000")
        #expect(try ExchangeRate(0.0061) == ExchangeRate("0.0061"))
        for bad in [Double.nan, .infinity, -.infinity, 0, -1, 1e-10, 2e9, 0.1 + 0.2] {
            #expect(throws: MoneyError.self, "\(bad)") { try ExchangeRate(bad) }
        }
    }

    @Test("errors carry the caller's field path")
    func fieldPath() {
        #expect(throws: MoneyError.invalid(field: "expenses[3].rate", message: "must be positive")) {
            try ExchangeRate("-2", field: "expenses[3].rate")
        }
        #expect(throws: MoneyError.invalid(field: "rate", message: "must have at most 12 significant digits")) {
            try ExchangeRate("3.14159265358979")
        }
    }

    @Test("equal values compare equal whatever their spelling; isOne only for exactly 1")
    func equality() throws {
        #expect(try ExchangeRate("1.5") == ExchangeRate("1.500"))
        #expect(try ExchangeRate("15e-1") == ExchangeRate("1.5"))
        #expect(try ExchangeRate("1.00").isOne)
        #expect(try !ExchangeRate("1.0000001").isOne)
        #expect(ExchangeRate.minimum.description == "0.000000001")
        #expect(ExchangeRate.maximum.description == "1000000000")
    }
}
