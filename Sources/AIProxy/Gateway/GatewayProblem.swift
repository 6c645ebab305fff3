import Foundation
import HTTP
import Kernel
import Logging

/// Errors under `/v1/ai` are problem+json like the rest of the API (DESIGN §6) and also carry OpenAI's
/// `error` member (`message`, `type`, `param`, `code`), because OpenAI SDKs read that member to raise
/// their usual exceptions (`NotFoundError`, `RateLimitError`…).
enum OpenAIError {
    /// OpenAI's error `type` for a status.
    static func type(for status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 429: "rate_limit_error"
        case 400..<500: "invalid_request_error"
        default: "server_error"
        }
    }

    /// Adds the `error` member to `problem` (the detail, or the title, as its message).
    static func attach(
        to problem: inout HTTPError, type: String? = nil, param: String? = nil, code: String? = nil
    ) {
        let member: JSONValue = [
            "message": .string(problem.detail ?? problem.title),
            "type": .string(type ?? Self.type(for: problem.status.code)),
            "param": param.map(JSONValue.string) ?? problem.errors.first.map { .string($0.field) } ?? .null,
            "code": code.map(JSONValue.string) ?? .null,
        ]
        problem.setMember("error", member)
    }
}

extension GatewayError {
    /// The problem+json (with OpenAI's `error` member) this error is answered with.
    func problem(now: Date = Date()) -> HTTPError {
        var p: HTTPError
        switch self {
        case .noProvider:
            p = HTTPError(
                .serviceUnavailable, title: "No AI provider",
                detail: "No AI provider is configured; set AI_PROVIDERS.")
            OpenAIError.attach(to: &p, code: "no_provider")
        case .unknownModel(let model):
            p = HTTPError(
                .notFound, title: "Unknown model",
                detail: "The model '\(model)' does not exist or no configured provider serves it.")
            OpenAIError.attach(to: &p, param: "model", code: "model_not_found")
        case .invalidRequest(let field, let message):
            p = HTTPError(
                .badRequest, title: "Invalid request body", detail: message,
                errors: field.map { [HTTPError.FieldError(field: $0, message: message)] } ?? [])
            OpenAIError.attach(to: &p, param: field)
        case .budgetExceeded(let breach):
            p = Self.budgetProblem(breach, now: now)
        case .upstreamRejected(let status, _):
            // The provider refused the request itself; its own credentials failing (401/403) is our
            // configuration's fault, not the caller's, so that becomes a 502.
            let passOn = status.code >= 400 && status.code < 500 && status.code != 401 && status.code != 403
            p = HTTPError(
                passOn ? status : .badGateway, title: "Upstream rejected the request",
                detail: passOn
                    ? "The provider rejected the request (\(status.code))."
                    : "The provider refused the gateway's credentials.")
            OpenAIError.attach(to: &p, code: "upstream_rejected")
        case .allProvidersFailed(_, let timedOut, let circuitsOpen):
            // The upstream's own words stay in the log: they may name internal hosts.
            if circuitsOpen {
                var headers = HTTPFields()
                headers.append(.retryAfter, "5")
                p = HTTPError(
                    .serviceUnavailable, title: "Providers unavailable",
                    detail: "Every provider is failing and is paused; retry shortly.", headers: headers)
                OpenAIError.attach(to: &p, code: "circuit_open")
            } else if timedOut {
                p = HTTPError(
                    .gatewayTimeout, title: "Upstream timeout", detail: "The provider did not answer in time.")
                OpenAIError.attach(to: &p, code: "upstream_timeout")
            } else {
                p = HTTPError(.badGateway, title: "Upstream failure", detail: "Every configured provider failed.")
                OpenAIError.attach(to: &p, code: "upstream_failed")
            }
        }
        return p
    }

    /// 429 (tokens) or 402 (money), naming the budget, with `Retry-After` at the period's end.
    static func budgetProblem(_ breach: BudgetBreach, now: Date) -> HTTPError {
        let tokens = breach.limit == .tokens
        var headers = HTTPFields()
        let period = BudgetPeriod(breach.period)
        let reset = period.end(containing: now)
        headers.append(.retryAfter, String(max(1, Int(reset.timeIntervalSince(now).rounded(.up)))))
        var p = HTTPError(
            tokens ? .tooManyRequests : .paymentRequired,
            title: tokens ? "Token budget exceeded" : "Cost budget exceeded",
            detail: "The request would exceed \(breach.description); it resets at \(RFC3339.format(reset)).",
            headers: headers)
        p.setMember(
            "budget",
            [
                "subject": .string(breach.subject.rawValue), "period": .string(breach.period.rawValue),
                "limit": .string(breach.limit.rawValue), "maximum": .int(Int(breach.maximum)),
                "used": .int(Int(breach.used)), "resets_at": .string(RFC3339.format(reset)),
            ])
        OpenAIError.attach(
            to: &p, type: "insufficient_quota", code: tokens ? "token_budget_exceeded" : "cost_budget_exceeded")
        return p
    }
}

/// Wraps every `/v1/ai` route: whatever a handler throws (a `GatewayError`, an authentication
/// problem, a database error) is answered as problem+json with OpenAI's `error` member.
struct OpenAIErrorMiddleware: Middleware {
    let logger: Logger

    func respond(to request: Request, next: Handler) throws -> Response {
        do {
            return try next(request)
        } catch {
            return response(for: error, request: request)
        }
    }

    /// The answer to `error` (also for work that finishes after the handler returned: deferred responses).
    func response(for error: any Error, request: Request) -> Response {
        if let error = error as? GatewayError {
            if case .allProvidersFailed(let last, _, _) = error {
                logger.warning(
                    "every AI provider failed",
                    metadata: ["request_id": .string(request.requestID), "error": .string(last)])
            }
            return error.problem().response(instance: request.path, requestID: request.requestID)
        }
        var problem = ErrorMiddleware.problem(for: error, request: request, logger: logger)
        OpenAIError.attach(to: &problem)
        return problem.response(instance: request.path, requestID: request.requestID)
    }
}
