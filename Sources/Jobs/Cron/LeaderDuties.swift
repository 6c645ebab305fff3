import Postgres
import Synchronization

/// What the leader loop does every `cronTickInterval`: renew the lease every third of it, and while
/// leading fire due cron slots and sample queue depth every `depthSampleInterval`.
final class LeaderDuties: Sendable {
    private let elector: LeaderElector
    private let cron: CronScheduler
    private let depth: DepthSampler
    private let renewEvery: Duration
    private let sampleEvery: Duration
    /// When the lease is next renewed and depth next sampled, and whether this process led last step.
    private let due = Mutex<(renewal: ContinuousClock.Instant?, sample: ContinuousClock.Instant?, leading: Bool)>(
        (nil, nil, false))

    init(elector: LeaderElector, cron: CronScheduler, depth: DepthSampler, lease: Duration, sampleEvery: Duration) {
        self.elector = elector
        self.cron = cron
        self.depth = depth
        renewEvery = lease / 3
        self.sampleEvery = sampleEvery
    }

    func step() {
        let now = ContinuousClock.now
        let renew = due.withLock { d -> Bool in
            guard d.renewal.map({ now >= $0 }) ?? true else { return false }
            d.renewal = now + renewEvery
            return true
        }
        if renew { elector.renew() }
        let leading = elector.isLeader
        cron.tick(isLeader: leading)
        let lost = due.withLock { d -> Bool in
            defer { d.leading = leading }
            return d.leading && !leading
        }
        // A former leader's last sample would linger in its gauges (and in `max` over replicas) forever.
        if lost { depth.clear() }
        guard leading else { return }
        let sample = due.withLock { d -> Bool in
            guard d.sample.map({ now >= $0 }) ?? true else { return false }
            d.sample = now + sampleEvery
            return true
        }
        if sample { depth.sample() }
    }
}
