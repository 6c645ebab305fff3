import Metrics

/// One provider's series: `ai_provider_attempts_total{provider,outcome}` and
/// `ai_provider_circuit_open{provider}`. Made once per provider so a call only increments.
struct ProviderMetrics: Sendable {
    /// Every outcome an attempt can have.
    enum Outcome: String, Sendable, CaseIterable {
        case success
        case rateLimited = "rate_limited"
        case serverError = "server_error"
        case rejected, timeout, connection
        case malformed, cancelled

        init(_ error: ProviderError) {
            switch error {
            case .status(let status, _, _):
                self = status.code == 429 ? .rateLimited : status.code >= 500 ? .serverError : .rejected
            case .connection: self = .connection
            case .timeout: self = .timeout
            case .malformed: self = .malformed
            case .cancelled: self = .cancelled
            }
        }
    }

    private let attempts: [Outcome: Counter]
    private let circuitOpen: Gauge

    init(provider: String) {
        var attempts: [Outcome: Counter] = [:]
        for outcome in Outcome.allCases {
            attempts[outcome] = Counter(
                label: "ai_provider_attempts_total",
                dimensions: [("provider", provider), ("outcome", outcome.rawValue)])
        }
        self.attempts = attempts
        circuitOpen = Gauge(label: "ai_provider_circuit_open", dimensions: [("provider", provider)])
        circuitOpen.record(0)
    }

    func attempt(_ outcome: Outcome) { attempts[outcome]?.increment() }

    func circuit(open: Bool) { circuitOpen.record(open ? 1 : 0) }
}
