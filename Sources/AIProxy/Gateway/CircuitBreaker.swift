import Synchronization

/// One provider's circuit breaker: after `failureThreshold` consecutive retryable failures the circuit
/// opens and calls skip the provider for `cooldown`; then one trial call goes through (half-open) while
/// the others are still refused, and its outcome closes the circuit or opens it for another cooldown.
///
/// Time is passed in (`now:`) rather than read, so the state machine can be tested without waiting.
final class CircuitBreaker: Sendable {
    enum State: Sendable, Equatable {
        case closed
        case open(until: ContinuousClock.Instant)
        case halfOpen
    }

    /// Leave to make one call; hand it back through `succeeded`, `failed` or `released`.
    struct Permit: Sendable {
        /// The half-open state's single trial call.
        let isTrial: Bool
    }

    private struct Store {
        var state = State.closed
        var consecutiveFailures = 0
        var trialInFlight = false
    }

    let failureThreshold: Int
    let cooldown: Duration
    /// Shared by every request thread calling this provider.
    private let store = Mutex(Store())

    init(failureThreshold: Int, cooldown: Duration) {
        self.failureThreshold = max(1, failureThreshold)
        self.cooldown = cooldown
    }

    var state: State { store.withLock { $0.state } }

    /// Whether calls are being refused or rationed (open or half-open): the `circuit_open` gauge.
    var isOpen: Bool { state != .closed }

    /// A permit to call the provider, or nil while the circuit refuses calls.
    func acquire(now: ContinuousClock.Instant) -> Permit? {
        store.withLock { s in
            switch s.state {
            case .closed:
                return Permit(isTrial: false)
            case .open(let until):
                guard now >= until else { return nil }
                s.state = .halfOpen
                s.trialInFlight = true
                return Permit(isTrial: true)
            case .halfOpen:
                guard !s.trialInFlight else { return nil }
                s.trialInFlight = true
                return Permit(isTrial: true)
            }
        }
    }

    /// The call reached a healthy upstream (a success, or an answer that blames the request).
    func succeeded(_ permit: Permit) {
        store.withLock { s in
            s.consecutiveFailures = 0
            s.state = .closed
            if permit.isTrial { s.trialInFlight = false }
        }
    }

    /// The call failed in a way that blames the upstream (429, 5xx, connection, timeout, malformed).
    func failed(_ permit: Permit, now: ContinuousClock.Instant) {
        store.withLock { s in
            s.consecutiveFailures += 1
            if permit.isTrial { s.trialInFlight = false }
            switch s.state {
            case .halfOpen:
                s.state = .open(until: now + cooldown)
            case .closed where s.consecutiveFailures >= failureThreshold:
                s.state = .open(until: now + cooldown)
            case .closed, .open:
                break
            }
        }
    }

    /// The call ended without telling anything about the upstream (the client went away).
    func released(_ permit: Permit) {
        guard permit.isTrial else { return }
        store.withLock { $0.trialInFlight = false }
    }
}
