import Kernel

/// What the planner and suggestions need from the gateway: one non-streaming completion on behalf of
/// a caller, with the gateway's budgets, cache, redaction, retries, fallback and usage accounting
/// applied exactly as for `POST /v1/ai/chat/completions`.
protocol ChatCompleting: Sendable {
    /// Whether any provider is configured (without one, `complete` throws `GatewayError.noProvider`).
    var isConfigured: Bool { get }

    /// `request` is an OpenAI Chat Completions request object (`model` may be absent: the planner
    /// model is used). Returns the `chat.completion` object.
    func complete(_ request: JSONValue, for caller: AICaller) throws(GatewayError) -> JSONValue
}
