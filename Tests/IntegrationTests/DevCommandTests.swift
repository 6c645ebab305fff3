import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `travelsense dev` with zero configuration: its own PostgreSQL and Redis, migrated, serving — and
/// nothing left running after Ctrl-C or even after SIGKILL of the parent.
@Suite(.serialized) struct DevCommandTests {
    func readyChecks(_ port: Int) throws -> [String: Any] {
        let client = try RawClient(port: port)
        try client.send(request("GET", "/readyz"))
        let r = try client.readFinalResponse().final
        #expect(r.status == 200)
        let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
        return json?["checks"] as? [String: Any] ?? [:]
    }

    @Test func devBringsUpTheStackAndCtrlCStopsEverything() throws {
        let child = try ChildServer(ownServices: true)
        let checks = try readyChecks(child.port)
        #expect((checks["postgres"] as? [String: Any])?["ok"] as? Bool == true)
        #expect((checks["redis"] as? [String: Any])?["ok"] as? Bool == true)
        let started = ProcessTable.processes(mentioning: child.dataDir)
        // At least the postmaster and redis-server (plus supervisors and PostgreSQL's workers).
        #expect(started.count >= 4, "\(started)")
        // Secrets are generated and kept in the data directory, readable by their owner only.
        for secret in ["postgres/password", "redis/password"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: child.dataDir + "/" + secret)
            #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0, "\(secret)")
        }

        child.sendSignal(SIGINT)
        #expect(child.waitForExit(timeout: .seconds(30)) == 0)
        #expect(eventually(seconds: 10) { ProcessTable.processes(mentioning: child.dataDir).isEmpty })
    }

    @Test func aKilledDevLeavesNoOrphans() throws {
        let child = try ChildServer(ownServices: true)
        #expect(ProcessTable.processes(mentioning: child.dataDir).count >= 4)
        child.sendSignal(SIGKILL)
        #expect(child.waitForExit(timeout: .seconds(10)) == 128 + SIGKILL)
        #expect(eventually(seconds: 15) { ProcessTable.processes(mentioning: child.dataDir).isEmpty })
    }
}
