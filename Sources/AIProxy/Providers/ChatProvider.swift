import HTTP
import Kernel

/// One configured upstream, spoken to in OpenAI's Chat Completions shape whatever its own wire format
/// is: an OpenAI-compatible endpoint passes requests through, Anthropic's Messages API is translated
/// both ways (`AnthropicProvider`).
///
/// Implementations make exactly one attempt per call; retries, backoff, the circuit breaker and the
/// fallback chain live in `ProviderChain`.
protocol ChatProvider: Sendable {
    var settings: AISettings.Provider { get }

    /// One non-streaming call. `request` is an OpenAI Chat Completions request object whose `model` is
    /// one of `settings.models` and whose `stream` is absent or false. Returns the response object in
    /// OpenAI's shape (`chat.completion`) and its usage.
    func complete(_ request: JSONValue, deadline: ContinuousClock.Instant) throws(ProviderError) -> ProviderCompletion

    /// One streaming call: `onChunk` receives each `chat.completion.chunk` object in OpenAI's shape, in
    /// order; returning false (or throwing) stops the stream and closes the upstream connection (a
    /// client that went away cancels the upstream call). Returns the usage the upstream reported, if any.
    ///
    /// Providers always obtain usage and end with OpenAI's usage chunk (empty `choices`, a `usage`
    /// object), as if the caller had asked for `stream_options.include_usage`; `ProviderChain` drops it
    /// (and any `usage` members) when the caller did not.
    func stream(
        _ request: JSONValue, deadline: ContinuousClock.Instant, onChunk: (JSONValue) throws -> Bool
    ) throws(ProviderError) -> TokenUsage?
}

/// A provider's non-streaming answer.
struct ProviderCompletion: Sendable {
    /// The `chat.completion` object, OpenAI's shape.
    var body: JSONValue
    var usage: TokenUsage
}

/// Why one attempt failed, and whether another attempt may help.
enum ProviderError: Error, Sendable, CustomStringConvertible {
    /// The upstream answered with an error status; `retryAfter` from its `Retry-After` field.
    case status(HTTPStatus, retryAfter: Duration?, message: String)
    /// Connecting, TLS or the connection dropping before the answer was complete.
    case connection(String)
    /// The deadline passed.
    case timeout
    /// The upstream's answer was not what its wire format promises (bad JSON, missing fields).
    case malformed(String)
    /// `onChunk` stopped the stream (the client went away): never retried.
    case cancelled

    /// 429, 5xx (but 501), connection errors, timeouts and malformed answers may succeed on retry or
    /// on another provider; a 4xx is the request's fault and goes back to the caller (except
    /// `blamesProvider`).
    var isRetryable: Bool {
        switch self {
        case .status(let s, _, _): s.code == 429 || s.code == 408 || (s.code >= 500 && s.code != 501)
        case .connection, .timeout, .malformed: true
        case .cancelled: false
        }
    }

    /// 401, 403 and 404 say the provider is misconfigured (its key, its base URL, a model it lacks),
    /// not that the request is wrong: retrying the same provider cannot help, but another one may, and
    /// passing a 401 on would tell the client its own credentials were refused.
    var blamesProvider: Bool {
        if case .status(let s, _, _) = self { return s.code == 401 || s.code == 403 || s.code == 404 }
        return false
    }

    var description: String {
        switch self {
        case .status(let s, _, let m): "upstream answered \(s.code): \(m)"
        case .connection(let m): "connection failed: \(m)"
        case .timeout: "upstream timed out"
        case .malformed(let m): "malformed upstream answer: \(m)"
        case .cancelled: "cancelled"
        }
    }
}
