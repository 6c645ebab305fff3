/// How long to wait before retrying the same provider: exponential from `base` with full jitter (a
/// uniformly random wait between zero and the exponential ceiling, so clients that failed together do
/// not retry together), and the upstream's own `Retry-After` when it sent one.
struct Backoff: Sendable {
    /// The exponential ceiling never grows past this.
    static let maximumDelay: Duration = .seconds(8)
    /// A `Retry-After` is honoured up to this; waiting longer would hold a handler thread too long.
    static let maximumRetryAfter: Duration = .seconds(30)

    let base: Duration

    /// The ceiling before retry `retry` (0 for the first retry): `base · 2^retry`, capped.
    func ceiling(retry: Int) -> Duration {
        let factor = 1 << min(max(retry, 0), 20)
        let exponential = base * factor
        return exponential < Self.maximumDelay ? exponential : Self.maximumDelay
    }

    /// The wait before retry `retry`: the upstream's `Retry-After` (capped) when given, else a random
    /// wait in `0...ceiling(retry)`.
    func delay(
        retry: Int, retryAfter: Duration?, using generator: inout some RandomNumberGenerator
    ) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), Self.maximumRetryAfter) }
        let ceiling = ceiling(retry: retry)
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds, using: &generator))
    }

    /// `delay` with the system generator.
    func delay(retry: Int, retryAfter: Duration?) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(retry: retry, retryAfter: retryAfter, using: &generator)
    }
}
