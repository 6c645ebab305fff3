import Synchronization

/// The result of one readiness check.
public struct ReadinessCheck: Sendable, Equatable {
    public var ok: Bool
    /// Short, operator-facing; shown in `/readyz` (keep secrets and hostnames out).
    public var detail: String?

    public init(ok: Bool, detail: String? = nil) {
        self.ok = ok
        self.detail = detail
    }

    public static let ok = ReadinessCheck(ok: true)
    public static func failed(_ detail: String) -> ReadinessCheck { ReadinessCheck(ok: false, detail: detail) }
}

/// Whether this replica should receive traffic (`/readyz`, DESIGN §8): modules register named checks
/// (PostgreSQL reachable, migrations applied, Redis…), and the shutdown path sets `draining` so the load
/// balancer stops sending new requests while in-flight ones finish.
///
/// A failing *critical* check makes the replica unready (503); a failing non-critical one (Redis, which
/// is never the source of truth) is reported but keeps it ready.
public final class Readiness: Sendable {
    public struct Entry: Sendable {
        public let name: String
        public let critical: Bool
        public let check: @Sendable () -> ReadinessCheck
    }

    public enum Status: String, Sendable {
        case ready, unready, draining
    }

    /// One evaluation: the overall status and each check's result, in registration order.
    public struct Report: Sendable {
        public var status: Status
        public var results: [(name: String, critical: Bool, result: ReadinessCheck)]
    }

    private struct State {
        var entries: [Entry] = []
        var draining = false
    }

    // Checks are registered at start and the flag flips at shutdown, while /readyz reads both.
    private let state = Mutex(State())

    public init() {}

    /// Adds a named check; names are keys of the `checks` object, so keep them unique and short.
    public func register(_ name: String, critical: Bool = true, _ check: @escaping @Sendable () -> ReadinessCheck) {
        state.withLock { $0.entries.append(Entry(name: name, critical: critical, check: check)) }
    }

    public var isDraining: Bool { state.withLock { $0.draining } }

    /// Marks the replica as shutting down; `/readyz` answers 503 from now on.
    public func startDraining() {
        state.withLock { $0.draining = true }
    }

    /// Runs every check (outside the lock: checks may block on the network). While draining, checks
    /// are skipped: the answer is 503 whatever they say, and a dying replica should not load its
    /// dependencies.
    public func evaluate() -> Report {
        let (entries, draining) = state.withLock { ($0.entries, $0.draining) }
        if draining { return Report(status: .draining, results: []) }
        let results = entries.map { (name: $0.name, critical: $0.critical, result: $0.check()) }
        let ready = results.allSatisfy { $0.result.ok || !$0.critical }
        return Report(status: ready ? .ready : .unready, results: results)
    }
}
