import Foundation
import Postgres
import TestSupport
import Testing

@testable import Jobs

@Suite struct SchedulingTests {
    @Test func aScheduledJobDoesNotRunBeforeItsTime() throws {
        let db = try makeDatabase()
        let system = makeSystem(db)
        let ranAt = Locked<Date?>(nil)
        system.register(kind: "later") { _ in ranAt.withLock { $0 = Date() } }
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        let due = Date().addingTimeInterval(1.5)
        let id = try #require(try system.client.enqueue("later", options: EnqueueOptions(scheduledAt: due)).id)
        #expect(try db.state(of: id) == .scheduled)
        usleep(700_000)
        #expect(try db.state(of: id) == .scheduled)
        #expect(ranAt.withLock { $0 } == nil)
        #expect(eventually { (try? db.state(of: id)) == .completed })
        let ran = try #require(ranAt.withLock { $0 })
        #expect(ran >= due.addingTimeInterval(-0.05))
    }

    @Test func failuresRetryWithBackoffThenDiscardWithEveryErrorRecorded() throws {
        let db = try makeDatabase()
        let system = makeSystem(db)
        let attempts = Locked<[Int]>([])
        struct Boom: Error, CustomStringConvertible {
            let attempt: Int
            var description: String { "boom \(attempt)" }
        }
        system.register(kind: "fails") { job in
            attempts.withLock { $0.append(job.attempt) }
            throw Boom(attempt: job.attempt)
        }
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        let id = try #require(try system.client.enqueue("fails", options: EnqueueOptions(maxAttempts: 3)).id)
        #expect(eventually { (try? db.state(of: id)) == .discarded })
        let record = try #require(try system.client.job(id: id))
        #expect(record.attempt == 3)
        #expect(record.errors.map(\.attempt) == [1, 2, 3])
        #expect(record.errors.map(\.error) == ["boom 1", "boom 2", "boom 3"])
        #expect(record.finalizedAt != nil)
        #expect(attempts.withLock { $0 } == [1, 2, 3])
    }

    @Test func aFailedAttemptWaitsForItsBackoff() throws {
        let db = try makeDatabase()
        let system = makeSystem(db, configuration: fastConfiguration(retryPolicy: .constant(.seconds(60))))
        system.register(kind: "fails_once") { _ in throw JobClientError.invalid(field: "x", message: "y") }
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        let id = try #require(try system.client.enqueue("fails_once").id)
        #expect(eventually { (try? db.state(of: id)) == .retryable })
        let waits = try db.pool.query(
            "SELECT extract(epoch FROM scheduled_at - now())::float8 FROM jobs WHERE id = $1", [id]
        ).first?.decode(0, as: Double.self)
        #expect((55...61).contains(waits ?? 0))
        usleep(500_000)
        #expect(try db.state(of: id) == .retryable)
    }

    @Test func theStandardPolicyIsAttemptToTheFourthWithTenPercentJitter() {
        for attempt in 1...6 {
            let base = pow(Double(attempt), 4)
            for _ in 0..<50 {
                let delay = RetryPolicy.standard.delay(attempt).jobSeconds
                #expect(delay >= base * 0.9 - 0.001 && delay <= base * 1.1 + 0.001, "attempt \(attempt): \(delay)")
            }
        }
        #expect(RetryPolicy.standard.delay(1000) <= RetryPolicy.maxDelay * 1.1)
    }

    @Test func anUnknownKindGoesToRetryableWithAnError() throws {
        let db = try makeDatabase()
        let system = makeSystem(db, configuration: fastConfiguration(retryPolicy: .constant(.seconds(60))))
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        let id = try #require(try system.client.enqueue("mystery_kind").id)
        #expect(eventually { (try? db.state(of: id)) == .retryable })
        let record = try #require(try system.client.job(id: id))
        #expect(record.errors.count == 1)
        #expect(record.errors.first?.error.contains("no handler for job kind mystery_kind") == true)
    }

    @Test func cancelAndSnoozeFromAHandler() throws {
        let db = try makeDatabase()
        let system = makeSystem(db)
        let snoozes = Locked(0)
        system.register(kind: "gives_up") { _ in throw JobCancel("trip deleted") }
        system.register(kind: "waits") { job in
            if snoozes.withLock({ n -> Bool in
                n += 1
                return n == 1
            }) {
                throw JobSnooze(.milliseconds(300))
            }
            #expect(job.attempt == 1)  // the snooze gave its attempt back
        }
        try system.start()
        defer { system.stop(grace: .seconds(5)) }
        let cancelled = try #require(try system.client.enqueue("gives_up").id)
        let snoozed = try #require(try system.client.enqueue("waits").id)
        #expect(eventually { (try? db.state(of: cancelled)) == .cancelled })
        #expect(try system.client.job(id: cancelled)?.errors.first?.error == "trip deleted")
        #expect(eventually { (try? db.state(of: snoozed)) == .completed })
        #expect(snoozes.withLock { $0 } == 2)
        #expect(try system.client.job(id: snoozed)?.attempt == 1)
    }
}
