import Foundation
import HTTP
import Kernel
import Logging

/// The gateway's pipeline, shared by `POST /v1/ai/chat/completions` and the planner
/// (`ChatCompleting`): resolve the model → check budgets (before any upstream call) → redact → cache
/// lookup (non-streaming, temperature 0) → provider chain → usage row (always: answers, failures,
/// refusals, cache hits) and metrics → cache store.
final class ChatGateway: ChatCompleting {
    let chain: ProviderChain
    let budgets: BudgetStore
    let usage: UsageWriter
    let cache: ResponseCache
    let redactor: Redactor
    let metrics: GatewayMetrics
    let settings: AISettings
    let logger: Logger
    /// Every model some provider serves (the chain's configuration never changes while running).
    let modelIDs: Set<String>
    /// Where streamed upstream calls run, so no handler thread is held for a stream's life.
    /// Upstream stream calls block for their whole length: a thread each (see `ElasticThreads`).
    let upstreamThreads = ElasticThreads(name: "ai.upstream")

    init(
        chain: ProviderChain, budgets: BudgetStore, usage: UsageWriter, cache: ResponseCache, settings: AISettings,
        logger: Logger
    ) {
        self.chain = chain
        self.budgets = budgets
        self.usage = usage
        self.cache = cache
        self.settings = settings
        self.logger = logger
        redactor = Redactor(settings.redact)
        metrics = GatewayMetrics()
        modelIDs = Set(chain.models.map(\.id))
    }

    var isConfigured: Bool { chain.isConfigured }

    /// A call that passed every check before the upstream.
    struct PreparedCall: Sendable {
        var request: ChatRequest
        /// What goes upstream: redacted, `model` resolved.
        var body: JSONValue
        var model: String
        var caller: AICaller
        /// Set when the answer may come from (and go to) the cache.
        var cacheKey: String?
        /// `Cache-Control: no-cache`: skip the lookup, store the fresh answer.
        var skipLookup = false
        var startedAt: Date
        var started: ContinuousClock.Instant
    }

    /// A non-streaming answer.
    struct Answer: Sendable {
        var body: JSONValue
        var provider: String
        var cache: GatewayMetrics.CacheLabel
    }

    /// Model, budgets, redaction and cache key. Throws `GatewayError` (or a database error from the
    /// budget check); a budget refusal is recorded as a usage row with status `budget`.
    func prepare(
        _ request: ChatRequest, for caller: AICaller, cacheControl: CacheControl = .normal
    ) throws -> PreparedCall {
        let startedAt = Date()
        let started = ContinuousClock.now
        guard chain.isConfigured else { throw GatewayError.noProvider }
        guard let model = request.model ?? chain.defaultModel else { throw GatewayError.noProvider }
        guard modelIDs.contains(model) else { throw GatewayError.unknownModel(model) }
        if let breach = try budgets.check(caller, now: startedAt) {
            let record = UsageRecord(
                createdAt: startedAt, caller: caller, provider: "", model: model, usage: TokenUsage(), costNanos: 0,
                currency: settings.currency, latencyMilliseconds: Self.milliseconds(since: started), cacheHit: false,
                status: .budget, stream: request.stream)
            finish(record, cache: .off, started: started)
            throw GatewayError.budgetExceeded(breach)
        }
        var body = redactor.redactMessages(in: request.body)
        body.set("model", .string(model))
        var call = PreparedCall(
            request: request, body: body, model: model, caller: caller, startedAt: startedAt, started: started)
        if request.isCacheable, cache.isEnabled, cacheControl != .noStore {
            call.cacheKey = CacheKey.make(request: body, scope: caller.cacheScope)
            call.skipLookup = cacheControl == .noCache
        }
        return call
    }

    /// The client's cache directive (`Cache-Control` request header).
    enum CacheControl: Sendable {
        case normal
        /// `no-cache`: answer fresh, and store it.
        case noCache
        /// `no-store`: neither read nor write the cache.
        case noStore
    }

    /// Answers a prepared non-streaming call from the cache or the chain.
    func answer(_ call: PreparedCall) throws(GatewayError) -> Answer {
        if let key = call.cacheKey, !call.skipLookup, let hit = cache.lookup(key) {
            // Cache hits cost nothing: zero tokens and zero cost, so they spend no budget either.
            let record = UsageRecord(
                createdAt: call.startedAt, caller: call.caller, provider: hit.provider, model: call.model,
                usage: TokenUsage(), costNanos: 0, currency: settings.currency,
                latencyMilliseconds: Self.milliseconds(since: call.started), cacheHit: true, status: .ok, stream: false,
                prompt: storedPrompt(call), answer: settings.storePrompts ? hit.body["choices"] : nil)
            finish(record, cache: .hit, started: call.started)
            return Answer(body: hit.body, provider: hit.provider, cache: .hit)
        }
        let label: GatewayMetrics.CacheLabel = call.cacheKey == nil ? .off : .miss
        let result: ChainCompletion
        do {
            result = try chain.complete(call.body, model: call.model)
        } catch {
            finish(failure(call, status: .error), cache: label, started: call.started)
            throw error
        }
        let used = result.completion.usage
        let record = UsageRecord(
            createdAt: call.startedAt, caller: call.caller, provider: result.provider, model: result.model,
            usage: used, costNanos: cost(provider: result.provider, model: result.model, usage: used),
            currency: settings.currency, latencyMilliseconds: Self.milliseconds(since: call.started), cacheHit: false,
            status: .ok, stream: false, prompt: storedPrompt(call),
            answer: settings.storePrompts ? result.completion.body["choices"] : nil)
        finish(record, cache: label, started: call.started)
        if let key = call.cacheKey {
            cache.store(key, ResponseCache.Entry(provider: result.provider, body: result.completion.body))
        }
        return Answer(body: result.completion.body, provider: result.provider, cache: label)
    }

    /// `ChatCompleting`: the same pipeline for the planner and suggestions.
    func complete(_ request: JSONValue, for caller: AICaller) throws(GatewayError) -> JSONValue {
        var body = request
        body.set("stream", nil)
        body.set("stream_options", nil)
        let parsed = try ChatRequest.validate(body)
        do {
            return try answer(try prepare(parsed, for: caller)).body
        } catch let error as GatewayError {
            throw error
        } catch {
            // The budget check could not read PostgreSQL: refuse rather than spend without a check.
            logger.warning("AI budget check failed", metadata: ["error": .string(String(describing: error))])
            throw .allProvidersFailed(
                lastError: "budget check failed: \(error)", timedOut: false, circuitsOpen: false)
        }
    }

    // MARK: - Accounting

    /// The exact cost of `usage` from the price table (0 when the model has no price).
    func cost(provider: String, model: String, usage: TokenUsage) -> Int64 {
        chain.price(provider: provider, model: model)?.costNanos(
            input: usage.promptTokens, output: usage.completionTokens) ?? 0
    }

    /// A call that got no answer: zero tokens, zero cost.
    func failure(_ call: PreparedCall, status: UsageRecord.Status, provider: String = "") -> UsageRecord {
        UsageRecord(
            createdAt: call.startedAt, caller: call.caller, provider: provider, model: call.model, usage: TokenUsage(),
            costNanos: 0, currency: settings.currency, latencyMilliseconds: Self.milliseconds(since: call.started),
            cacheHit: false, status: status, stream: call.request.stream, prompt: storedPrompt(call))
    }

    /// The redacted messages, when prompts are kept.
    func storedPrompt(_ call: PreparedCall) -> JSONValue? {
        settings.storePrompts ? call.body["messages"] : nil
    }

    /// Queues the usage row and counts the call.
    func finish(_ record: UsageRecord, cache: GatewayMetrics.CacheLabel, started: ContinuousClock.Instant) {
        usage.record(record)
        metrics.record(record, cache: cache, duration: ContinuousClock.now - started)
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let (seconds, atto) = (ContinuousClock.now - start).components
        return Int(seconds) * 1000 + Int(atto / 1_000_000_000_000_000)
    }
}
