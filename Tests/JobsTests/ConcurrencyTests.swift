import Foundation
import Postgres
import TestSupport
import Testing

@testable import Jobs

@Suite struct ConcurrencyTests {
    @Test func blockingHandlersRunUpToTheQueuesConcurrency() throws {
        let db = try makeDatabase()
        let system = makeSystem(db, configuration: fastConfiguration(queues: ["default": 6]))
        let gauge = Locked((now: 0, peak: 0))
        system.register(kind: "block") { _ in
            gauge.withLock {
                $0.now += 1
                $0.peak = max($0.peak, $0.now)
            }
            usleep(400_000)
            gauge.withLock { $0.now -= 1 }
        }
        _ = try system.client.enqueueMany((0..<12).map { _ in JobInsert(kind: "block") })
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        #expect(eventually { (try? db.count("state = 'completed'")) == 12 })
        #expect(gauge.withLock { $0.peak } == 6)
    }

    @Test func aHigherPriorityJobOvertakesABacklog() throws {
        let db = try makeDatabase()
        let system = makeSystem(db, configuration: fastConfiguration(queues: ["default": 1]))
        let order = Locked<[String]>([])
        system.register(kind: "low") { _ in
            order.withLock { $0.append("low") }
            usleep(2_000)
        }
        system.register(kind: "urgent") { _ in order.withLock { $0.append("urgent") } }
        let backlog = 400
        _ = try system.client.enqueueMany(
            (0..<backlog).map { _ in JobInsert(kind: "low", options: EnqueueOptions(priority: 4)) })
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        #expect(eventually { order.withLock { $0.count } >= 20 })
        try system.client.enqueue("urgent", options: EnqueueOptions(priority: 1))
        #expect(eventually(seconds: 20) { (try? db.count("state = 'completed'")) == backlog + 1 })
        let ranAt = try #require(order.withLock { $0.firstIndex(of: "urgent") })
        // Claims resume after a cursor while the backlog lasts, but rescan from the start every
        // `claimRescanInterval` (100 ms, ~40 low jobs here): the urgent job waits far less than the backlog.
        #expect(ranAt < backlog / 2, "urgent ran at position \(ranAt)")
    }

    @Test func theCursorClaimIsAnIndexRangeScan() throws {
        let db = try makeDatabase()
        try db.pool.withConnection { conn in
            try conn.simpleQuery("SET enable_seqscan = off")
            let plan = try conn.query(
                "EXPLAIN " + QueueProducer.claimAfterSQL, ["default", 10, "w", Int16(1), Int64(0), Int64(0)]
            ).map { try $0.decode(0, as: String.self) }.joined(separator: "\n")
            #expect(plan.contains("Index Scan using jobs_claim_idx"), "\(plan)")
            #expect(
                plan.contains("Index Cond: ((queue = 'default'::text) AND (ROW(priority, scheduled_at, id) >"),
                "\(plan)")
        }
    }
}
