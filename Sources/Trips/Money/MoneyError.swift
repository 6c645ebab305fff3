/// A problem with money input, named by the JSON field the client sent, so the API can answer
/// 422 with a problem+json `errors` entry `{field, message}` without guessing.
///
/// Every money function throws this instead of trapping: amounts, rates and splits come straight
/// from requests, and nothing a client sends may crash the process.
public enum MoneyError: Error, Hashable, Sendable {
    /// The value is malformed or breaks a rule (unknown currency, split that does not add up …).
    case invalid(field: String, message: String)
    /// The value is well-formed but the arithmetic on it leaves the range of `Int64` minor units.
    case overflow(field: String, message: String)

    /// The field path the client should fix, for example `split.among[2].weight`.
    public var field: String {
        switch self {
        case .invalid(let field, _), .overflow(let field, _):
            return field
        }
    }

    /// A human-readable explanation, safe to show to the client.
    public var message: String {
        switch self {
        case .invalid(_, let message), .overflow(_, let message):
            return message
        }
    }
}
