import HTTP

// Minimal mapping for planning's synchronous calls (suggestions) until the gateway's own lands;
// to be deduplicated at merge.
extension GatewayError {
    /// The problem response a route answers when the gateway could not complete.
    var planningProblem: HTTPError {
        switch self {
        case .noProvider:
            return HTTPError(.serviceUnavailable, detail: "No AI provider is configured on this server.")
        case .unknownModel(let model):
            return HTTPError(.serviceUnavailable, detail: "No configured AI provider serves the model \(model).")
        case .invalidRequest(_, let message):
            return HTTPError(.badGateway, detail: "The AI request was refused: \(message)")
        case .budgetExceeded(let breach):
            return HTTPError(
                breach.limit == .tokens ? .tooManyRequests : .paymentRequired,
                detail: "The request would exceed \(breach.description).")
        case .upstreamRejected(_, let message):
            return HTTPError(.badGateway, detail: "The AI provider refused the request: \(message)")
        case .allProvidersFailed(_, let timedOut, let circuitsOpen):
            var headers = HTTPFields()
            headers.append(.retryAfter, "30")
            if circuitsOpen {
                return HTTPError(
                    .serviceUnavailable, detail: "Every AI provider is failing; try again shortly.", headers: headers)
            }
            return HTTPError(
                timedOut ? .gatewayTimeout : .badGateway,
                detail: timedOut ? "The AI provider did not answer in time." : "Every AI provider failed.",
                headers: headers)
        }
    }
}
