import Metrics
import Synchronization

/// The job system's Prometheus series (through swift-metrics, so they land in whatever registry the
/// process bootstrapped):
/// - `jobs_runs_total{queue,kind,outcome}`: attempts by outcome (`completed`, `failed`, `timed_out`,
///   `cancelled`, `snoozed`); failures are the non-`completed` outcomes;
/// - `jobs_discarded_total{queue,kind}`: failures that used the last attempt;
/// - `jobs_run_duration_seconds{queue,kind}`: handler time;
/// - `jobs_latency_seconds{queue}`: from `scheduled_at` to the claim (how long jobs wait);
/// - `jobs_queue_depth{queue,state}`: unfinished jobs by state, sampled by the leader;
/// - `jobs_rescued_total`: running jobs taken back from dead workers.
///
/// Series are made once per label set and cached: creating one goes through the metrics factory.
final class QueueMetrics: Sendable {
    struct RunSeries: Sendable {
        let completed: Counter
        let failed: Counter
        let timedOut: Counter
        let cancelled: Counter
        let snoozed: Counter
        let discarded: Counter
        let duration: Timer
    }

    let queue: String
    let latency: Timer
    /// Series by kind.
    private let runs = Mutex<[String: RunSeries]>([:])

    init(queue: String) {
        self.queue = queue
        latency = Timer(label: "jobs_latency_seconds", dimensions: [("queue", queue)], preferredDisplayUnit: .seconds)
    }

    func series(kind: String) -> RunSeries {
        if let cached = runs.withLock({ $0[kind] }) { return cached }
        func counter(_ outcome: String) -> Counter {
            Counter(label: "jobs_runs_total", dimensions: [("queue", queue), ("kind", kind), ("outcome", outcome)])
        }
        let made = RunSeries(
            completed: counter("completed"), failed: counter("failed"), timedOut: counter("timed_out"),
            cancelled: counter("cancelled"), snoozed: counter("snoozed"),
            discarded: Counter(label: "jobs_discarded_total", dimensions: [("queue", queue), ("kind", kind)]),
            duration: Timer(
                label: "jobs_run_duration_seconds", dimensions: [("queue", queue), ("kind", kind)],
                preferredDisplayUnit: .seconds))
        return runs.withLock { cache in
            if let raced = cache[kind] { return raced }
            cache[kind] = made
            return made
        }
    }
}

/// The system-wide series: queue depth gauges (made as queues and states appear) and rescues.
final class SystemMetrics: Sendable {
    let rescued = Counter(label: "jobs_rescued_total")
    /// Depth gauges by "queue/state", kept so a state that empties is set back to 0.
    private let depth = Mutex<[DepthKey: Gauge]>([:])

    struct DepthKey: Hashable, Sendable {
        let queue: String
        let state: String
    }

    /// Records a depth sample: every pair in `counts`, and 0 for pairs seen before but absent now.
    func recordDepth(_ counts: [DepthKey: Int]) {
        let gauges = depth.withLock { cache -> [(Gauge, Int)] in
            for key in counts.keys where cache[key] == nil {
                cache[key] = Gauge(label: "jobs_queue_depth", dimensions: [("queue", key.queue), ("state", key.state)])
            }
            return cache.map { ($0.value, counts[$0.key] ?? 0) }
        }
        for (gauge, value) in gauges { gauge.record(value) }
    }
}
