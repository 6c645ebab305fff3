import HTTP
import Redis

/// Applies a `RateLimitPolicy` to the requests it wraps, keyed by `key` (the client address, the
/// principal…; nil skips the limit). Every answer carries `RateLimit-Policy` and `RateLimit`
/// (draft-ietf-httpapi-ratelimit-headers, structured fields); a limited request gets 429 problem+json
/// with `Retry-After` and never reaches the handler.
public struct RateLimitMiddleware: Middleware {
    let limiter: RateLimiter
    let policy: RateLimitPolicy
    let key: @Sendable (Request) -> String?

    public init(limiter: RateLimiter, policy: RateLimitPolicy, key: @escaping @Sendable (Request) -> String?) {
        self.limiter = limiter
        self.policy = policy
        self.key = key
    }

    public func respond(to request: Request, next: Handler) throws -> Response {
        guard let key = key(request) else { return try next(request) }
        let decision = try limiter.check(policy, key: key)
        guard decision.allowed else { throw Self.limited(decision, policy: policy) }
        var response = try next(request)
        if !decision.unchecked { Self.addHeaders(decision, policy: policy, to: &response.headers) }
        return response
    }

    /// The 429 for a refused `decision`, also thrown by limits checked outside this middleware
    /// (authentication's per-principal limit).
    public static func limited(_ decision: RateLimitDecision, policy: RateLimitPolicy) -> HTTPError {
        var headers = HTTPFields()
        headers.append(.retryAfter, String(decision.retryAfterSeconds))
        addHeaders(decision, policy: policy, to: &headers)
        return HTTPError(
            .tooManyRequests, detail: "Rate limit \(policy.name) exceeded; retry after the time in Retry-After.",
            headers: headers)
    }

    static func addHeaders(_ decision: RateLimitDecision, policy: RateLimitPolicy, to headers: inout HTTPFields) {
        let (seconds, _) = policy.window.components
        headers.append("RateLimit-Policy", "\"\(policy.name)\";q=\(policy.limit);w=\(seconds)")
        headers.append("RateLimit", "\"\(policy.name)\";r=\(decision.remaining);t=\(decision.resetSeconds)")
    }
}
