import Foundation
import Kernel

/// One `ai_usage` row: a call the gateway answered or refused after resolving its model, with its
/// tokens as the provider counted them and its exact cost from the price table.
struct UsageRecord: Sendable {
    /// What became of the call.
    enum Status: String, Sendable {
        /// Answered (by a provider, or from the cache: then `cacheHit`, zero tokens and zero cost).
        case ok
        /// Every provider failed, or one rejected the request.
        case error
        /// The client went away mid-stream; tokens are what the provider reported before that (often 0).
        case cancelled
        /// Refused before any upstream call because a budget was used up.
        case budget
    }

    var id = UUIDv7.make()
    var createdAt: Date
    var caller: AICaller
    /// "" when no provider was reached (budget refusals, cache hits of an unknown provider).
    var provider: String
    var model: String
    var usage: TokenUsage
    var costNanos: Int64
    var currency: String
    var latencyMilliseconds: Int
    var cacheHit: Bool
    var status: Status
    var stream: Bool
    /// The redacted messages and the answer, only with `AI_STORE_PROMPTS`.
    var prompt: JSONValue?
    var answer: JSONValue?
}
