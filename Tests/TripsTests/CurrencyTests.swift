import Testing

@testable import Trips

@Suite("Currency table")
struct CurrencyTests {
    @Test(
        "minor units of well-known currencies",
        arguments: [
            ("EUR", 2), ("USD", 2), ("GBP", 2), ("CHF", 2), ("JPY", 0), ("KRW", 0), ("VND", 0), ("ISK", 0),
            ("CLP", 0), ("XOF", 0), ("BHD", 3), ("KWD", 3), ("TND", 3), ("OMR", 3), ("JOD", 3), ("IQD", 3),
            ("LYD", 3), ("MGA", 2), ("XCG", 2), ("ZWG", 2), ("SLE", 2), ("VES", 2),
        ])
    func knownExponents(code: String, expected: Int) {
        #expect(Currency.minorUnits(code) == expected)
        #expect(Currency.isValid(code))
        #expect(Currency(code)?.minorUnits == expected)
    }

    @Test(
        "rejects lowercase, malformed, fund, metal, test and withdrawn codes",
        arguments: [
            "eur", "Eur", "EU", "EURO", "", " EUR", "EUR ", "E1R", "CLF", "BOV", "CHE", "USN", "XDR", "XAU", "XTS",
            "XXX", "HRK", "SLL", "ZWL", "DEM", "ANG",
        ])
    func rejectsInvalid(code: String) {
        #expect(Currency.minorUnits(code) == nil)
        #expect(!Currency.isValid(code))
        #expect(Currency(code) == nil)
    }

    @Test("table is the size of ISO 4217 list one and well-formed")
    func tableShape() {
        let codes = Currency.allCodes
        #expect((150...180).contains(codes.count))
        #expect(Set(codes).count == codes.count)
        for code in codes {
            #expect(code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }, "\(code)")
            #expect([0, 2, 3].contains(Currency.minorUnits(code) ?? -1), "\(code)")
        }
        // The zero- and three-decimal currencies are exactly these; anything else is a typo.
        let zero = codes.filter { Currency.minorUnits($0) == 0 }
        let three = codes.filter { Currency.minorUnits($0) == 3 }
        #expect(
            zero == [
                "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF",
                "XPF",
            ])
        #expect(three == ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"])
    }

    @Test("validated names the field")
    func validatedNamesField() {
        #expect(
            throws: MoneyError.invalid(
                field: "expenses[2].currency", message: "'usd' is not an active ISO 4217 currency code")
        ) {
            try Currency.validated("usd", field: "expenses[2].currency")
        }
    }
}
