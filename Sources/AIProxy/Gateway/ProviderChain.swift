import Kernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A non-streamed answer and where it came from.
struct ChainCompletion: Sendable {
    var completion: ProviderCompletion
    /// The provider (its `AI_PROVIDERS` name) and the model that answered; the model differs from the
    /// requested one after a fallback to `AI_FALLBACK_MODELS`.
    var provider: String
    var model: String
    /// Calls made to upstreams, across providers, the successful one included.
    var attempts: Int
}

/// How a stream ended, and where it came from.
struct ChainStream: Sendable {
    /// What the upstream reported (nil when it reported nothing before a cancellation).
    var usage: TokenUsage?
    var provider: String
    var model: String
    var attempts: Int
    /// `onChunk` stopped the stream (the client went away); the upstream call was closed at once.
    var cancelled: Bool
}

/// The gateway's way to a model: the providers that serve it, in `AI_PROVIDERS` order, then the
/// providers of each `AI_FALLBACK_MODELS` entry; retries with backoff on each; a circuit breaker per
/// provider. A 4xx from an upstream goes straight back (the request is at fault, another provider
/// would refuse it too); every other failure moves on.
///
/// Calls block their thread (handlers run on the handler pool); any number may run at once.
final class ProviderChain: Sendable {
    private struct Member: Sendable {
        let provider: any ChatProvider
        let breaker: CircuitBreaker
        let metrics: ProviderMetrics
        var name: String { provider.settings.name }
    }

    let settings: AISettings
    private let members: [Member]
    private let backoff: Backoff
    /// Waits between attempts; injectable so tests can observe the waits.
    private let sleep: @Sendable (Duration) -> Void

    /// The providers of `settings`, sharing one HTTP client. Throws when a base URL is unusable or
    /// `settings.caFile` cannot be read.
    convenience init(settings: AISettings) throws {
        let client = try ProviderFactory.makeClient(settings)
        try self.init(settings: settings, providers: ProviderFactory.makeProviders(settings, client: client))
    }

    /// Given providers (tests); `settings.providers` is not read, the providers' own settings are.
    init(
        settings: AISettings, providers: [any ChatProvider],
        sleep: @escaping @Sendable (Duration) -> Void = ProviderChain.threadSleep
    ) {
        self.settings = settings
        members = providers.map {
            Member(
                provider: $0,
                breaker: CircuitBreaker(failureThreshold: settings.breakerFailures, cooldown: settings.breakerCooldown),
                metrics: ProviderMetrics(provider: $0.settings.name))
        }
        backoff = Backoff(base: settings.retryBaseDelay)
        self.sleep = sleep
    }

    var isConfigured: Bool { !members.isEmpty }

    /// Every model served, in configuration order, with the providers serving it (GET /v1/ai/models).
    var models: [(id: String, providers: [String])] {
        var list: [(id: String, providers: [String])] = []
        for member in members {
            for model in member.provider.settings.models {
                if let i = list.firstIndex(where: { $0.id == model }) {
                    list[i].providers.append(member.name)
                } else {
                    list.append((model, [member.name]))
                }
            }
        }
        return list
    }

    /// The configured price of `model` at `provider`.
    func price(provider: String, model: String) -> AISettings.Price? {
        members.first { $0.name == provider }?.provider.settings.prices[model]
    }

    /// `AI_PLANNER_MODEL`, else the first provider's first model.
    var defaultModel: String? { settings.plannerModel ?? members.first?.provider.settings.models.first }

    /// Whether the provider's circuit is open or half-open (tests, readiness detail).
    func isCircuitOpen(provider: String) -> Bool {
        members.first { $0.name == provider }?.breaker.isOpen ?? false
    }

    // MARK: - Calls

    /// One non-streamed completion. Each attempt has `settings.timeout`; `deadline`, when given, bounds
    /// the whole chain (no wait is started that would end past it).
    func complete(
        _ request: JSONValue, model: String, deadline: ContinuousClock.Instant? = nil
    ) throws(GatewayError) -> ChainCompletion {
        var run = Run(deadline: deadline)
        for (member, candidateModel) in try candidates(for: model) {
            var body = request
            body.set("model", .string(candidateModel))
            let answer = try run.tryProvider(member, chain: self) { attemptDeadline throws(ProviderError) in
                try member.provider.complete(body, deadline: attemptDeadline)
            }
            if let answer {
                return ChainCompletion(
                    completion: answer, provider: member.name, model: candidateModel, attempts: run.attempts)
            }
        }
        throw run.exhausted()
    }

    /// One streamed completion: `onChunk` gets each `chat.completion.chunk` object and returns false
    /// (or throws) when the client went away. Retries and fallbacks happen only until the first chunk
    /// reached `onChunk`; a failure after that throws (the caller ends its own stream). Each attempt has
    /// `settings.streamTimeout`, bounded by `deadline` when given.
    ///
    /// Providers always report usage (the upstream is asked for it); the final usage chunk and the
    /// `usage` members reach `onChunk` only when the request has `stream_options.include_usage: true`,
    /// as OpenAI does.
    func stream(
        _ request: JSONValue, model: String, deadline: ContinuousClock.Instant? = nil,
        onChunk: (JSONValue) throws -> Bool
    ) throws(GatewayError) -> ChainStream {
        let wantsUsage = request["stream_options"]?["include_usage"] == .bool(true)
        var run = Run(deadline: deadline, streaming: true)
        var delivered = false
        var cancelled = false
        for (member, candidateModel) in try candidates(for: model) {
            var body = request
            body.set("model", .string(candidateModel))
            // Double optional: nil moves on to the next candidate, .some(nil) is a stream without usage.
            let usage = try run.tryProvider(
                member, chain: self, mayRetry: { !delivered },
                attempt: { attemptDeadline throws(ProviderError) in
                    try member.provider.stream(body, deadline: attemptDeadline) { chunk in
                        var chunk = chunk
                        if !wantsUsage {
                            if chunk["choices"]?.arrayValue?.isEmpty == true, chunk["usage"] != nil { return true }
                            chunk.set("usage", nil)
                        }
                        delivered = true
                        do {
                            guard try onChunk(chunk) else {
                                cancelled = true
                                return false
                            }
                        } catch {
                            cancelled = true
                            return false
                        }
                        return true
                    }
                })
            if run.wasCancelled || cancelled {
                return ChainStream(
                    usage: nil, provider: member.name, model: candidateModel, attempts: run.attempts, cancelled: true)
            }
            if let usage {
                return ChainStream(
                    usage: usage, provider: member.name, model: candidateModel, attempts: run.attempts,
                    cancelled: false)
            }
        }
        throw run.exhausted()
    }

    /// The providers to try, in order: those serving `model`, then those of each fallback model.
    private func candidates(for model: String) throws(GatewayError) -> [(Member, String)] {
        guard !members.isEmpty else { throw .noProvider }
        var list = members.filter { $0.provider.settings.models.contains(model) }.map { ($0, model) }
        guard !list.isEmpty else { throw .unknownModel(model) }
        for fallback in settings.fallbackModels where fallback != model {
            for member in members where member.provider.settings.models.contains(fallback) {
                list.append((member, fallback))
            }
        }
        return list
    }

    /// Sleeps the calling thread (EINTR resumed).
    @Sendable static func threadSleep(_ duration: Duration) {
        guard duration > .zero else { return }
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }

    // MARK: - One pass along the chain

    /// The bookkeeping of one call along the chain.
    private struct Run {
        let deadline: ContinuousClock.Instant?
        var streaming = false
        var attempts = 0
        var lastError: ProviderError?
        /// Candidates skipped because their circuit was open, and candidates tried.
        var skippedOpen = 0
        var tried = 0
        var wasCancelled = false

        init(deadline: ContinuousClock.Instant?, streaming: Bool = false) {
            self.deadline = deadline
            self.streaming = streaming
        }

        /// Up to `1 + maxRetries` attempts on `member`. Returns the answer, or nil to move on to the
        /// next candidate; throws what must go straight back to the caller.
        mutating func tryProvider<T>(
            _ member: Member, chain: ProviderChain, mayRetry: () -> Bool = { true },
            attempt: (ContinuousClock.Instant) throws(ProviderError) -> T
        ) throws(GatewayError) -> T? {
            var usedThisProvider = false
            for retry in 0...chain.settings.maxRetries {
                guard let permit = member.breaker.acquire(now: .now) else {
                    if !usedThisProvider { skippedOpen += 1 }
                    chain.report(member)
                    return nil
                }
                if !usedThisProvider { tried += 1 }
                usedThisProvider = true
                attempts += 1
                var attemptDeadline =
                    ContinuousClock.now + (streaming ? chain.settings.streamTimeout : chain.settings.timeout)
                if let deadline { attemptDeadline = min(attemptDeadline, deadline) }
                let error: ProviderError
                do throws(ProviderError) {
                    let answer = try attempt(attemptDeadline)
                    member.breaker.succeeded(permit)
                    member.metrics.attempt(.success)
                    chain.report(member)
                    return answer
                } catch let caught {
                    error = caught
                }
                member.metrics.attempt(ProviderMetrics.Outcome(error))
                switch error {
                case .cancelled:
                    member.breaker.released(permit)
                    wasCancelled = true
                    return nil
                case .status(let status, _, let message) where !error.isRetryable:
                    member.breaker.succeeded(permit)  // the upstream is healthy; the request is not
                    chain.report(member)
                    throw .upstreamRejected(status, message: message)
                default:
                    member.breaker.failed(permit, now: .now)
                    chain.report(member)
                }
                lastError = error
                // Once a chunk reached the client, nothing can be taken back: the stream ends here.
                guard mayRetry() else {
                    throw .allProvidersFailed(
                        lastError: error.description, timedOut: error.isTimeout, circuitsOpen: false)
                }
                guard retry < chain.settings.maxRetries else { return nil }
                let wait = chain.backoff.delay(retry: retry, retryAfter: error.retryAfter)
                if let deadline, ContinuousClock.now + wait >= deadline { return nil }
                chain.sleep(wait)
            }
            return nil
        }

        /// The error when every candidate failed or was skipped.
        func exhausted() -> GatewayError {
            guard let lastError, tried > 0 else {
                return .allProvidersFailed(
                    lastError: "every provider's circuit is open", timedOut: false, circuitsOpen: skippedOpen > 0)
            }
            return .allProvidersFailed(
                lastError: lastError.description, timedOut: lastError.isTimeout, circuitsOpen: false)
        }
    }

    private func report(_ member: Member) {
        member.metrics.circuit(open: member.breaker.isOpen)
    }
}

extension ProviderError {
    var isTimeout: Bool {
        if case .timeout = self { return true }
        return false
    }

    /// The upstream's `Retry-After`, when it sent one.
    var retryAfter: Duration? {
        if case .status(_, let retryAfter, _) = self { return retryAfter }
        return nil
    }
}
