import HTTP

/// Why the gateway did not answer with a completion. Each becomes a problem+json response that also
/// carries OpenAI's `error` object, so OpenAI SDKs raise their usual exceptions
/// (`GatewayError.problem`).
enum GatewayError: Error, Sendable, CustomStringConvertible {
    /// `AI_PROVIDERS` is empty: 503, never a made-up answer.
    case noProvider
    /// No configured provider serves this model: 404 `model_not_found`.
    case unknownModel(String)
    /// The request itself is wrong: 400 naming the field (`param`).
    case invalidRequest(field: String?, message: String)
    /// A budget would be exceeded: 429 for a token budget, 402 for a money budget.
    case budgetExceeded(BudgetBreach)
    /// An upstream rejected the request with a 4xx: passed on with its status.
    case upstreamRejected(HTTPStatus, message: String)
    /// Every provider in the chain failed (or had its circuit open): 502, or 504 when the last failure
    /// was a timeout, 503 when every circuit was open.
    case allProvidersFailed(lastError: String, timedOut: Bool, circuitsOpen: Bool)

    var description: String {
        switch self {
        case .noProvider: "no AI provider is configured"
        case .unknownModel(let m): "no provider serves model \(m)"
        case .invalidRequest(let f, let m): "invalid request\(f.map { " (\($0))" } ?? ""): \(m)"
        case .budgetExceeded(let b): "budget exceeded: \(b.description)"
        case .upstreamRejected(let s, let m): "upstream rejected the request (\(s.code)): \(m)"
        case .allProvidersFailed(let e, _, _): "every provider failed; last: \(e)"
        }
    }
}

/// Which budget a call would exceed.
struct BudgetBreach: Sendable, Equatable, CustomStringConvertible {
    enum Subject: String, Sendable {
        case user
        case apiKey = "api_key"
    }
    enum Period: String, Sendable { case day, month }
    enum Limit: String, Sendable { case tokens, cost }

    var subject: Subject
    var period: Period
    var limit: Limit
    /// The limit (tokens, or cost in nano-units) and what has been used in the period.
    var maximum: Int64
    var used: Int64

    var description: String {
        "the \(subject == .user ? "user" : "API key")'s \(period == .day ? "daily" : "monthly") "
            + "\(limit == .tokens ? "token" : "cost") budget (\(used) of \(maximum) used)"
    }
}
