/// An active ISO 4217 currency and the number of digits of its minor unit.
///
/// Amounts are stored as integer minor units, so the exponent decides what "1" means:
/// 1 EUR cent, 1 JPY, 1/1000 BHD. Codes are matched exactly as given: callers upper-case
/// client input first, so that what we store is what we validated.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The three-letter uppercase ISO 4217 code, for example `EUR`.
    public let code: String
    /// Digits after the decimal point of the major unit: 2 for EUR, 0 for JPY, 3 for BHD.
    public let minorUnits: Int

    /// The currency for `code`, or `nil` when the code is not an active ISO 4217 currency.
    public init?(_ code: String) {
        guard let minorUnits = Currency.minorUnits(code) else { return nil }
        self.code = code
        self.minorUnits = minorUnits
    }

    /// The currency for `code`, or a validation error naming `field`.
    public static func validated(_ code: String, field: String) throws(MoneyError) -> Currency {
        guard let currency = Currency(code) else {
            throw .invalid(field: field, message: "'\(code)' is not an active ISO 4217 currency code")
        }
        return currency
    }

    /// The minor-unit exponent of `code`, or `nil` for unknown, lowercase or non-circulating codes.
    public static func minorUnits(_ code: String) -> Int? {
        // The table holds uppercase ASCII keys only, so lowercase or odd input simply misses.
        CurrencyTable.minorUnits[code]
    }

    /// Whether `code` is an uppercase three-letter code of an active circulating currency.
    public static func isValid(_ code: String) -> Bool {
        minorUnits(code) != nil
    }

    /// Every supported code, sorted, for `/openapi.json` enums and client pickers.
    public static var allCodes: [String] {
        CurrencyTable.minorUnits.keys.sorted()
    }

    public var description: String { code }
}
