import DevServices
import Foundation
import Postgres
import TestSupport
import Testing

/// Against a PostgreSQL of its own, restarted mid-test: the pool and the listener must carry on with
/// no help from the caller.
@Suite struct RestartTests {
    @Test func poolAndListenerSurviveAServerRestart() throws {
        let directory =
            NSTemporaryDirectory() + "travelsense-pg-restart-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try PostgresServer.start(directory: directory, options: PostgresOptions(durable: false))
        defer { try? server.stop() }
        let configuration = PostgresConfiguration(connection: server.url)
        let pool = PostgresPool(configuration: configuration)
        defer { pool.close() }
        let reconnects = Locked(0)
        let payloads = Locked([String]())
        let listener = PostgresListener(
            configuration: configuration, onReconnect: { reconnects.withLock { $0 += 1 } })
        defer { listener.stop() }
        listener.listen("restarts") { payload in payloads.withLock { $0.append(payload) } }
        listener.start()
        #expect(eventually { listener.isConnected })
        try pool.execute("NOTIFY restarts, 'before'")
        #expect(eventually { payloads.withLock { $0 } == ["before"] })

        try server.stop(immediate: true)
        #expect(throws: PostgresError.self) { try pool.query("SELECT 1") }
        try server.restart()

        // The pool dials again on its own; the listener reconnects, LISTENs again and says so.
        #expect(try eventually { (try? pool.query("SELECT 1").count) == 1 })
        #expect(eventually { reconnects.withLock { $0 } >= 1 && listener.isConnected })
        try pool.execute("NOTIFY restarts, 'after'")
        #expect(eventually { payloads.withLock { $0 } == ["before", "after"] })
    }
}
