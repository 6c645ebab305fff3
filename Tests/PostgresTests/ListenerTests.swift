import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct ListenerTests {
    let db: TestDatabase

    init() throws {
        db = try TestDatabase.create()
    }

    /// Payloads received, and a semaphore signalled per payload.
    final class Inbox: Sendable {
        let payloads = Locked([String]())
        let arrived = DispatchSemaphore(value: 0)

        func receive(_ payload: String) {
            payloads.withLock { $0.append(payload) }
            arrived.signal()
        }

        func wait(for count: Int, seconds: Double = 10) -> Bool {
            for _ in 0..<count where arrived.wait(timeout: .now() + seconds) == .timedOut { return false }
            return true
        }
    }

    @Test func notificationsReachTheirChannelInOrder() throws {
        let listener = PostgresListener(configuration: PostgresConfiguration(connection: db.url))
        defer { listener.stop() }
        let jobs = Inbox()
        let other = Inbox()
        listener.listen("jobs", jobs.receive)
        listener.listen("Other Channel", other.receive)
        listener.start()
        #expect(try eventually { listener.isConnected })
        for i in 0..<5 { try db.pool.execute("SELECT pg_notify('jobs', $1)", ["p\(i)"]) }
        try db.pool.execute("SELECT pg_notify('Other Channel', 'x')")
        #expect(jobs.wait(for: 5))
        #expect(other.wait(for: 1))
        #expect(jobs.payloads.withLock { $0 } == ["p0", "p1", "p2", "p3", "p4"])
        #expect(other.payloads.withLock { $0 } == ["x"])
    }

    @Test func aChannelAddedAfterStartIsListenedTo() throws {
        let listener = PostgresListener(configuration: PostgresConfiguration(connection: db.url))
        defer { listener.stop() }
        listener.start()
        #expect(try eventually { listener.isConnected })
        let late = Inbox()
        listener.listen("late", late.receive)
        // LISTEN is issued by the listener thread; retry the NOTIFY until it lands.
        var delivered = false
        for _ in 0..<50 where !delivered {
            try db.pool.execute("NOTIFY late, 'hello'")
            delivered = late.arrived.wait(timeout: .now() + 0.1) == .success
        }
        #expect(delivered)
    }

    @Test func aTerminatedListenerConnectionReconnectsAndListensAgain() throws {
        let reconnects = Locked(0)
        let listener = PostgresListener(
            configuration: PostgresConfiguration(connection: db.url),
            onReconnect: { reconnects.withLock { $0 += 1 } })
        defer { listener.stop() }
        let inbox = Inbox()
        listener.listen("events", inbox.receive)
        listener.start()
        #expect(try eventually { listener.isConnected })
        try db.pool.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%'",
            [db.name])
        #expect(try eventually { reconnects.withLock { $0 } == 1 && listener.isConnected })
        try db.pool.execute("NOTIFY events, 'after'")
        #expect(inbox.wait(for: 1))
        #expect(inbox.payloads.withLock { $0 } == ["after"])
    }
}
