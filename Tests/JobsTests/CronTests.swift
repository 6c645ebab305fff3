import Foundation
import Postgres
import TestSupport
import Testing

@testable import Jobs

@Suite struct CronScheduleTests {
    /// 2026-03-04 10:17:30 UTC, a Wednesday.
    let base = Date(
        timeIntervalSince1970: Double(
            UTCCalendar.days(year: 2026, month: 3, day: 4) * 86_400 + 10 * 3600 + 17 * 60 + 30))

    func utc(_ y: Int64, _ mo: Int64, _ d: Int64, _ h: Int64, _ mi: Int64, _ s: Int64 = 0) -> Date {
        Date(
            timeIntervalSince1970: Double(
                UTCCalendar.days(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + s))
    }

    @Test func everyIsAlignedToTheEpoch() throws {
        #expect(try CronSchedule("@every 1s").next(after: base) == utc(2026, 3, 4, 10, 17, 31))
        #expect(try CronSchedule("@every 5m").next(after: base) == utc(2026, 3, 4, 10, 20))
        #expect(try CronSchedule("@every 2h").next(after: base) == utc(2026, 3, 4, 12, 0))
    }

    @Test func fiveFieldSchedules() throws {
        #expect(try CronSchedule("*/15 * * * *").next(after: base) == utc(2026, 3, 4, 10, 30))
        #expect(try CronSchedule("@hourly").next(after: base) == utc(2026, 3, 4, 11, 0))
        #expect(try CronSchedule("@daily").next(after: base) == utc(2026, 3, 5, 0, 0))
        #expect(try CronSchedule("0 9 * * mon-fri").next(after: utc(2026, 3, 6, 10, 0)) == utc(2026, 3, 9, 9, 0))
        #expect(try CronSchedule("30 2 1 jan,jul *").next(after: base) == utc(2026, 7, 1, 2, 30))
        #expect(try CronSchedule("0 0 29 2 *").next(after: base) == utc(2028, 2, 29, 0, 0))
        #expect(try CronSchedule("0 0 * * 7").next(after: base) == utc(2026, 3, 8, 0, 0))  // Sunday
        // Both day fields restricted: either matches (the 13th, or a Friday).
        #expect(try CronSchedule("0 0 13 * fri").next(after: base) == utc(2026, 3, 6, 0, 0))
        #expect(try CronSchedule("0 0 13 * fri").next(after: utc(2026, 3, 12, 1, 0)) == utc(2026, 3, 13, 0, 0))
        #expect(try CronSchedule("5-10/5 1 * * *").next(after: base) == utc(2026, 3, 5, 1, 5))
        // Year end.
        #expect(try CronSchedule("0 0 1 1 *").next(after: utc(2026, 12, 31, 23, 59, 59)) == utc(2027, 1, 1, 0, 0))
    }

    @Test(arguments: [
        "", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *",
        "a * * * *", "+5 * * * *", "5-1 * * * *", "@every", "@every 0s", "@every 5d", "@every -1m", "0 0 30 2 *",
        "@reboot",
    ])
    func invalidSchedulesAreRefused(_ text: String) {
        #expect(throws: CronScheduleError.self) { try CronSchedule(text) }
    }
}

@Suite struct CronLeaderTests {
    func cronConfiguration() -> JobConfiguration {
        var configuration = fastConfiguration(queues: [:])
        configuration.leaderLease = .seconds(3)
        return configuration
    }

    @Test func threeSchedulersElectExactlyOneLeaderAndHandOver() throws {
        let db = try makeDatabase()
        let systems = (0..<3).map { _ in makeSystem(db, configuration: cronConfiguration(), listen: false) }
        for system in systems { try system.start() }
        defer { for system in systems { system.stop(grace: .seconds(1)) } }
        #expect(eventually { systems.filter(\.isLeader).count == 1 })
        for _ in 0..<10 {
            #expect(systems.filter(\.isLeader).count <= 1)
            usleep(100_000)
        }
        let found = systems.first { $0.isLeader }
        let leader = try #require(found)
        let holder = try db.pool.query("SELECT holder FROM job_leader").first?.decode(0, as: String.self)
        #expect(holder == leader.workerID)

        leader.stop(grace: .seconds(1))
        #expect(eventually { systems.filter { $0.isLeader && $0 !== leader }.count == 1 })
        #expect(!leader.isLeader)
    }

    @Test func anEverySecondEntryEnqueuesEachSlotOnceAcrossALeadershipChange() throws {
        let db = try makeDatabase()
        let systems = (0..<3).map { _ in makeSystem(db, configuration: cronConfiguration(), listen: false) }
        for system in systems {
            try system.addCron(
                name: "tick", schedule: "@every 1s", kind: "tick_kind", options: EnqueueOptions(queue: "cron"))
            try system.start()
        }
        defer { for system in systems { system.stop(grace: .seconds(1)) } }
        #expect(eventually { systems.contains(where: \.isLeader) })
        let start = Date()
        usleep(2_500_000)
        // Hand leadership over mid-way: the new leader must not repeat a slot.
        systems.first(where: \.isLeader)?.stop(grace: .seconds(1))
        usleep(3_000_000)
        let elapsed = Date().timeIntervalSince(start)
        let keys = try db.pool.query("SELECT unique_key FROM jobs WHERE kind = 'tick_kind'").map {
            try $0.decode(0, as: String.self)
        }
        #expect(Set(keys).count == keys.count, "a slot ran twice: \(keys.sorted())")
        #expect(keys.count >= 4 && Double(keys.count) <= elapsed + 1.5, "\(keys.count) slots in \(elapsed) s")
        #expect(keys.allSatisfy { $0.hasPrefix("cron:tick:") })
        #expect(try db.count("kind = 'tick_kind' AND queue <> 'cron'") == 0)
    }

    @Test func theLeaderSamplesQueueDepth() throws {
        let db = try makeDatabase()
        let client = JobClient(pool: db.pool)
        _ = try client.enqueueMany((0..<3).map { _ in JobInsert(kind: "noop", options: EnqueueOptions(queue: "q1")) })
        _ = try client.enqueue(
            "noop", options: EnqueueOptions(queue: "q2", scheduledAt: Date().addingTimeInterval(3600)))
        var counts = [String: Int]()
        for row in try db.pool.query(DepthSampler.sql) {
            counts["\(try row.decode(0, as: String.self))/\(try row.decode(1, as: String.self))"] = try row.decode(2)
        }
        #expect(counts == ["q1/available": 3, "q2/scheduled": 1])
    }
}
