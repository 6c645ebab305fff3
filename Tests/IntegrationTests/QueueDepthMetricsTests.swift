import Foundation
import Jobs
import Kernel
import Logging
import Postgres
import TestSupport
import Testing

/// `jobs_queue_depth` comes from the cron leader only, and alerts take the maximum over replicas: a
/// process that stops leading must not keep exporting its last sample.
@Suite struct QueueDepthMetricsTests {
    func depth(queue: String) -> Double? {
        let text = String(decoding: MetricsBootstrap.registry.emitToBuffer(), as: UTF8.self)
        let prefix = #"jobs_queue_depth{queue="\#(queue)",state="available"} "#
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    @Test func aLeaderThatLosesTheLeaseZeroesItsQueueDepth() throws {
        _ = MetricsBootstrap.registry  // the gauges bind to the Prometheus registry when created
        let db = try TestDatabase.create(migrations: JobSchema.migrations, poolSize: 4)
        // Jobs wait in a queue nobody works, so the depth is constant while this process leads.
        let idle = "idle-\(UUID().uuidString.prefix(8).lowercased())"
        let jobs = JobSystem(
            pool: db.pool, listenerConfiguration: nil, logger: Logger(label: "test.jobs"),
            configuration: JobConfiguration(
                queues: ["worked": 1], leaderLease: .seconds(3), depthSampleInterval: .milliseconds(200),
                pruneSchedule: nil))
        for _ in 0..<5 { _ = try JobClient(pool: db.pool).enqueue("noop", options: EnqueueOptions(queue: idle)) }
        try jobs.start()
        defer { _ = jobs.stop(grace: .seconds(2)) }
        #expect(eventually(seconds: 10) { depth(queue: idle) == 5 })

        // Another holder takes the lease, as after a partition or a stalled renewal.
        _ = try db.pool.execute(
            "UPDATE job_leader SET holder = 'someone-else', expires_at = now() + interval '1 hour' WHERE name = 'jobs'")
        #expect(eventually(seconds: 10) { !jobs.isLeader })
        #expect(eventually(seconds: 5) { depth(queue: idle) == 0 }, "\(String(describing: depth(queue: idle)))")
    }
}
