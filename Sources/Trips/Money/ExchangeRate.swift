import Foundation

/// The rate a client recorded for an expense paid in a foreign currency.
///
/// Direction: **units of the trip currency per one unit of the expense currency**, in major
/// units. On a EUR trip, a USD expense carries about `0.92` (1 USD = 0.92 EUR) and a JPY
/// expense about `0.0061` (1 JPY = 0.0061 EUR). Converting multiplies by the rate.
///
/// The value is kept exactly as written, as a decimal significand and power of ten, never as a
/// `Double`: "0.1" must mean one tenth, or conversions drift by a cent at a time.
public struct ExchangeRate: Hashable, Sendable, CustomStringConvertible {
    /// Most significant digits accepted; real quotes carry 4 to 10, more is noise or an attack.
    public static let maxSignificantDigits = 12
    /// Smallest accepted rate (1e-9), below which the input is a typo, not a currency.
    public static let minimum = ExchangeRate(significand: 1, exponent: -9)
    /// Largest accepted rate (1e9); even IRR per BHD stays far below it.
    public static let maximum = ExchangeRate(significand: 1, exponent: 9)
    /// Longest input text; keeps a megabyte of zeros from being scanned.
    static let maxInputLength = 40

    /// Significand without trailing zeros, so "1.50" and "1.5" are equal.
    let significand: UInt64
    /// Power of ten applied to `significand`.
    let exponent: Int

    private init(significand: UInt64, exponent: Int) {
        self.significand = significand
        self.exponent = exponent
    }

    /// Parses a decimal rate such as `"1.0834"`, `"150"` or `"6.1e-3"` (JSON number syntax,
    /// without a sign), rejecting zero, negative, over-precise and absurd values.
    public init(_ text: String, field: String = "rate") throws(MoneyError) {
        let parsed = try DecimalText.parse(text, field: field, maxLength: ExchangeRate.maxInputLength)
        guard parsed.digits.count <= ExchangeRate.maxSignificantDigits else {
            throw .invalid(
                field: field,
                message: "must have at most \(ExchangeRate.maxSignificantDigits) significant digits")
        }
        var significand: UInt64 = 0
        for digit in parsed.digits {
            significand = significand * 10 + UInt64(digit)  // at most 12 digits: cannot overflow
        }
        let rate = ExchangeRate(significand: significand, exponent: parsed.exponent)
        guard rate.isWithinLimits else {
            throw .invalid(field: field, message: "must be between 0.000000001 and 1000000000")
        }
        self = rate
    }

    /// Accepts a rate that a JSON decoder already turned into a `Double`, using the shortest text
    /// that round-trips (`1.0834`, not `1.08339999…`), which is what the client wrote.
    public init(_ value: Double, field: String = "rate") throws(MoneyError) {
        guard value.isFinite else { throw .invalid(field: field, message: "must be a finite number") }
        try self.init(value.description, field: field)
    }

    /// The exact rate as a `Decimal`.
    public var decimal: Decimal {
        Decimal(sign: .plus, exponent: exponent, significand: Decimal(significand))
    }

    /// Whether this is exactly 1, the only rate an expense in the trip currency may carry.
    public var isOne: Bool { significand == 1 && exponent == 0 }

    /// Plain decimal text without exponent (`0.0061`, `150`), for storage and JSON echo.
    public var description: String {
        let digits = String(significand)
        if exponent >= 0 {
            return digits + String(repeating: "0", count: exponent)
        }
        let fractionLength = -exponent
        if digits.count > fractionLength {
            let split = digits.index(digits.endIndex, offsetBy: -fractionLength)
            return String(digits[..<split]) + "." + String(digits[split...])
        }
        return "0." + String(repeating: "0", count: fractionLength - digits.count) + digits
    }

    /// Compares orders of magnitude in integers so that "1e999" cannot overflow anything.
    private var isWithinLimits: Bool {
        let digitCount = String(significand).count
        let order = exponent + digitCount - 1  // the value lies in [10^order, 10^(order+1))
        if order < -9 { return false }
        if order < 9 { return true }
        return order == 9 && significand == 1
    }
}
