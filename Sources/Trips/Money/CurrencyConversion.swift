import Foundation

/// Converts integer minor-unit amounts between currencies with a client-supplied rate.
///
/// The arithmetic is exact in `Decimal` (38 significant digits: an `Int64` amount times a
/// 12-digit rate needs at most 31), and only the final result is rounded, half to even, so that
/// a long list of conversions does not drift upward the way half-up rounding does.
public enum CurrencyConversion {
    /// Converts `amount` minor units of `from` into minor units of `to`:
    /// `amount / 10^exp(from) × rate × 10^exp(to)`, rounded half to even.
    ///
    /// Different exponents are handled: 1000 JPY at 0.0061 is 610 EUR cents, and 1234 EUR cents
    /// at 0.4113 is 5075 BHD fils (5.075 BHD). Negative amounts (refunds) convert
    /// symmetrically. Throws `.invalid` for unknown codes and `.overflow` when the result does not
    /// fit an `Int64`; it never traps.
    public static func convert(
        minor amount: Int64, from: String, to: String, rate: ExchangeRate
    ) throws(MoneyError) -> Int64 {
        let source = try Currency.validated(from, field: "currency")
        let target = try Currency.validated(to, field: "trip_currency")
        let exact = exactValue(minor: Decimal(amount), from: source, to: target, rate: rate)
        return try roundedToInt64(exact, field: "amount")
    }

    /// The unrounded converted amount in minor units of `target`; exact for every `Int64` input.
    static func exactValue(
        minor amount: Decimal, from source: Currency, to target: Currency, rate: ExchangeRate
    )
        -> Decimal
    {
        // Scaling by a power of ten only moves the Decimal exponent, so it loses nothing.
        let shift = target.minorUnits - source.minorUnits + rate.exponent
        let scaled = Decimal(sign: .plus, exponent: shift, significand: Decimal(rate.significand))
        return amount * scaled
    }

    /// Rounds half to even and converts to `Int64`, throwing instead of trapping when out of range.
    static func roundedToInt64(_ value: Decimal, field: String) throws(MoneyError) -> Int64 {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .bankers)
        return try int64(exactly: rounded, field: field)
    }

    /// Rounds toward negative infinity; used for the floor step of largest-remainder fixes.
    static func floorToInt64(_ value: Decimal, field: String) throws(MoneyError) -> Int64 {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .down)
        // `.down` truncates toward zero in some Foundation versions; correct negatives by hand.
        if rounded > value { rounded -= 1 }
        return try int64(exactly: rounded, field: field)
    }

    /// Converts an integral `Decimal` to `Int64` exactly.
    ///
    /// Foundation has no checked `Decimal → Int64`; `NSDecimalNumber.int64Value` does not report
    /// overflow. After a range check, `description` of an integral Decimal is plain digits, and
    /// `Int64(_:)` parses those exactly and returns nil rather than wrapping.
    private static func int64(exactly value: Decimal, field: String) throws(MoneyError) -> Int64 {
        guard value.isFinite, value >= Decimal(Int64.min), value <= Decimal(Int64.max),
            let result = Int64(value.description)
        else {
            throw .overflow(field: field, message: "converted amount is too large")
        }
        return result
    }
}
