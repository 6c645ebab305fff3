import Foundation

/// An expense restated in the trip currency: its total and each member's part, in trip-currency
/// minor units. The parts always sum to `amount` exactly; `ExpenseConversion` guarantees it.
public struct ConvertedExpense: Sendable {
    /// The expense total in trip-currency minor units.
    public let amount: Int64
    /// Each member's part of `amount`, in the order the split listed them.
    public let shares: [(member: String, amount: Int64)]
}

/// Turns an expense as the client entered it (amount, currency, rate, split) into trip-currency
/// minor units without losing or inventing a unit in the rounding.
public enum ExpenseConversion {
    /// Converts the expense total and its split into `tripCurrency`.
    ///
    /// - `rate` is required when `currency` differs from `tripCurrency`, and must be absent or
    ///   exactly 1 otherwise (a different rate there is a client bug worth reporting).
    /// - `equal` and `shares` splits are allocated on the converted total, so each member is
    ///   within one trip-currency minor unit of their exact share.
    /// - `exact` parts are given in the expense currency; each is converted exactly, floored, and
    ///   the units still missing to reach the converted total go to the largest remainders.
    public static func convert(
        amount: Int64, currency: String, rate: ExchangeRate?, split: SplitRule, tripCurrency: String
    ) throws(MoneyError) -> ConvertedExpense {
        let source = try Currency.validated(currency, field: "currency")
        let target = try Currency.validated(tripCurrency, field: "trip_currency")
        guard source != target else {
            if let rate, !rate.isOne {
                throw .invalid(field: "rate", message: "must be 1 or omitted when currency is the trip currency")
            }
            return ConvertedExpense(amount: amount, shares: try split.allocate(amount))
        }
        guard let rate else {
            throw .invalid(field: "rate", message: "is required when currency differs from the trip currency")
        }
        let total = try CurrencyConversion.roundedToInt64(
            CurrencyConversion.exactValue(minor: Decimal(amount), from: source, to: target, rate: rate), field: "amount"
        )
        guard case .exact = split else {
            return ConvertedExpense(amount: total, shares: try split.allocate(total))
        }
        // Validates the exact parts against the total in the currency the client used.
        let parts = try split.allocate(amount)
        var floors: [UInt64] = []
        var remainders: [Decimal] = []
        for part in parts {
            let exact = CurrencyConversion.exactValue(
                minor: Decimal(part.amount.magnitude), from: source, to: target, rate: rate)
            let floor = try CurrencyConversion.floorToInt64(exact, field: "amount")
            floors.append(UInt64(floor))  // exact ≥ 0, so floor ≥ 0
            remainders.append(exact - Decimal(floor))
        }
        // Σfloor ≤ exact total, so the gap to the rounded total is ≥ 0 and at most one per part.
        let missing = total.magnitude - floors.reduce(0, +)
        LargestRemainder.distribute(missing, to: &floors, byRemainder: remainders)
        let shares = zip(parts, floors).map { part, magnitude in
            (member: part.member, amount: LargestRemainder.signed(magnitude, negative: amount < 0))
        }
        return ConvertedExpense(amount: total, shares: shares)
    }
}
