/// One payment that settles part of a trip's debts: `from` pays `amount` to `to`.
public struct Transfer: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The member who owes money and pays.
    public let from: String
    /// The member who is owed money and receives.
    public let to: String
    /// Trip-currency minor units; always positive.
    public let amount: Int64

    /// A transfer; settlement only creates positive amounts between distinct members.
    public init(from: String, to: String, amount: Int64) {
        self.from = from
        self.to = to
        self.amount = amount
    }

    /// Orders by payer, then receiver, then amount, so responses are stable across requests.
    public static func < (lhs: Transfer, rhs: Transfer) -> Bool {
        (lhs.from, lhs.to, lhs.amount) < (rhs.from, rhs.to, rhs.amount)
    }

    public var description: String { "\(from) → \(to): \(amount)" }
}
