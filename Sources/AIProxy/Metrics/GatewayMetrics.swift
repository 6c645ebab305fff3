import Metrics
import Synchronization

/// The gateway's Prometheus series (through swift-metrics):
/// - `ai_requests_total{model,provider,status,cache}`: calls by outcome (`ok`, `error`, `cancelled`,
///   `budget`) and cache (`hit`, `miss`, `off` for calls that are not cacheable);
/// - `ai_tokens_total{model,kind}`: prompt and completion tokens as the providers counted them;
/// - `ai_cost_nanos_total{model}`: cost in nano-units of `AI_CURRENCY`;
/// - `ai_request_duration_seconds{model}`: gateway time per call (upstream included);
/// - `ai_cache_hits_total{model}`: answers served from the cache;
/// - `ai_trip_cost_nanos_total{attributed}`: cost of calls made for a trip (`yes`) or not (`no`).
///
/// The AI cost *per trip* is deliberately not a label: trips are unbounded, and a series per trip
/// would grow Prometheus without limit. Per-trip cost is exact in `GET /v1/ai/usage?group_by=trip`
/// (and the admin view); the metric shows how much of the spend is trip work at all. Model and
/// provider labels are bounded by configuration (unknown models are refused before counting).
final class GatewayMetrics: Sendable {
    struct RequestKey: Hashable {
        let model: String
        let provider: String
        let status: String
        let cache: String
    }

    struct ModelSeries {
        let promptTokens: Counter
        let completionTokens: Counter
        let cost: Counter
        let duration: Timer
        let cacheHits: Counter
    }

    struct Handles {
        var requests: [RequestKey: Counter] = [:]
        var models: [String: ModelSeries] = [:]
    }

    /// Cache outcome label values.
    enum CacheLabel: String {
        case hit, miss, off
    }

    // Series made on first use of a label set; read by every request thread.
    private let handles = Mutex(Handles())
    private let tripCost = Counter(label: "ai_trip_cost_nanos_total", dimensions: [("attributed", "yes")])
    private let otherCost = Counter(label: "ai_trip_cost_nanos_total", dimensions: [("attributed", "no")])

    /// Counts one finished call.
    func record(_ record: UsageRecord, cache: CacheLabel, duration: Duration) {
        let key = RequestKey(
            model: record.model, provider: record.provider.isEmpty ? "none" : record.provider,
            status: record.status.rawValue, cache: cache.rawValue)
        let (requests, series) = handles.withLock { h -> (Counter, ModelSeries) in
            let counter =
                h.requests[key]
                ?? Counter(
                    label: "ai_requests_total",
                    dimensions: [
                        ("model", key.model), ("provider", key.provider), ("status", key.status), ("cache", key.cache),
                    ])
            h.requests[key] = counter
            let series = h.models[record.model] ?? Self.makeSeries(record.model)
            h.models[record.model] = series
            return (counter, series)
        }
        requests.increment()
        if record.usage.promptTokens > 0 { series.promptTokens.increment(by: record.usage.promptTokens) }
        if record.usage.completionTokens > 0 { series.completionTokens.increment(by: record.usage.completionTokens) }
        if record.costNanos > 0 {
            series.cost.increment(by: Int(record.costNanos))
            (record.caller.tripID != nil ? tripCost : otherCost).increment(by: Int(record.costNanos))
        }
        if record.cacheHit { series.cacheHits.increment() }
        series.duration.recordNanoseconds(
            Int64(duration.components.seconds) * 1_000_000_000
                + duration.components.attoseconds / 1_000_000_000)
    }

    private static func makeSeries(_ model: String) -> ModelSeries {
        ModelSeries(
            promptTokens: Counter(label: "ai_tokens_total", dimensions: [("model", model), ("kind", "prompt")]),
            completionTokens: Counter(
                label: "ai_tokens_total", dimensions: [("model", model), ("kind", "completion")]),
            cost: Counter(label: "ai_cost_nanos_total", dimensions: [("model", model)]),
            duration: Timer(
                label: "ai_request_duration_seconds", dimensions: [("model", model)], preferredDisplayUnit: .seconds),
            cacheHits: Counter(label: "ai_cache_hits_total", dimensions: [("model", model)]))
    }
}
