/// One balanced movement of money between trip members, in trip-currency minor units.
///
/// `payer` put in `amount`; `shares` say who it was for. The initialiser refuses entries whose
/// shares do not sum to `amount`, which is what makes every balance sheet sum to zero.
public struct LedgerEntry: Sendable {
    /// Who paid (for a repayment: the member who sent the money).
    public let payer: String
    /// What was paid, in trip-currency minor units; negative for a refund.
    public let amount: Int64
    /// Who the money was for and how much of it each one consumed.
    public let shares: [(member: String, amount: Int64)]

    /// A balanced entry; throws when the shares do not add up to `amount`.
    public init(paidBy payer: String, amount: Int64, shares: [(member: String, amount: Int64)]) throws(MoneyError) {
        guard !payer.isEmpty else { throw .invalid(field: "paid_by", message: "must not be empty") }
        var sum: Int64 = 0
        for share in shares {
            let (next, overflow) = sum.addingReportingOverflow(share.amount)
            guard !overflow else { throw .overflow(field: "split", message: "parts add up beyond the amount range") }
            sum = next
        }
        guard sum == amount else {
            throw .invalid(field: "split", message: "parts add up to \(sum) but the amount is \(amount)")
        }
        self.payer = payer
        self.amount = amount
        self.shares = shares
    }

    /// An expense already converted to the trip currency; balanced by `ConvertedExpense`'s contract.
    public init(paidBy payer: String, expense: ConvertedExpense) throws(MoneyError) {
        try self.init(paidBy: payer, amount: expense.amount, shares: expense.shares)
    }

    /// A recorded repayment: `from` handed `amount` to `to`.
    ///
    /// It is an expense paid by `from` and consumed entirely by `to`, so it raises `from`'s net
    /// position and lowers `to`'s by the same amount, reducing the debt between them.
    public static func payment(from: String, to: String, amount: Int64) throws(MoneyError) -> LedgerEntry {
        guard !to.isEmpty else { throw .invalid(field: "to", message: "must not be empty") }
        guard from != to else { throw .invalid(field: "to", message: "must differ from the paying member") }
        guard amount > 0 else { throw .invalid(field: "amount", message: "must be positive") }
        do {
            return try LedgerEntry(paidBy: from, amount: amount, shares: [(member: to, amount: amount)])
        } catch {
            // The only failure left is an empty payer; name it as the payment field it came from.
            throw .invalid(field: "from", message: error.message)
        }
    }
}
