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
        guard decision.allowed else {
            var headers = HTTPFields()
            headers.append(.retryAfter, String(decision.retryAfterSeconds))
            addHeaders(decision, to: &headers)
            throw HTTPError(
                .tooManyRequests, detail: "Rate limit \(policy.name) exceeded; retry after the time in Retry-After.",
                headers: headers)
        }
        var response = try next(request)
        if !decision.unchecked { addHeaders(decision, to: &response.headers) }
        return response
    }

    private func addHeaders(_ decision: RateLimitDecision, to headers: inout HTTPFields) {
        let (seconds, _) = policy.window.components
        headers.append("RateLimit-Policy", "\"\(policy.name)\";q=\(policy.limit);w=\(seconds)")
        headers.append("RateLimit", "\"\(policy.name)\";r=\(decision.remaining);t=\(decision.resetSeconds)")
    }
}
