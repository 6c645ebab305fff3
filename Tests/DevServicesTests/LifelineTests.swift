import Foundation
import Testing

@testable import DevServices

#if canImport(Glibc)
    import Glibc
#endif

/// The lifeline is what keeps `travelsense dev` from leaving orphans when it dies: closing our end is
/// exactly what the kernel does when this process is killed, even with SIGKILL.
@Suite struct LifelineTests {
    @Test func closingALifelineStopsOnlyItsServer() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let postgres = try PostgresServer.start(directory: directory.path + "/postgres", options: .init(durable: false))
        defer { try? postgres.stop() }
        let redis = try RedisServer.start(directory: directory.path + "/redis")
        defer { try? redis.stop() }
        let postgresPID = try #require(postgres.serverPID)
        let redisPID = try #require(redis.serverPID)

        // Redis was spawned after PostgreSQL: had it inherited PostgreSQL's lifeline, this would hang.
        postgres.closeLifeline()
        #expect(eventually(seconds: 10) { !isAlive(postgresPID) })
        #expect(!Loopback.isListening(port: postgres.port))
        #expect(isAlive(redisPID))

        redis.closeLifeline()
        #expect(eventually(seconds: 10) { !isAlive(redisPID) })
        #expect(!Loopback.isListening(port: redis.port))
    }

    @Test func theServerGetsOnlyStandardDescriptors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let log = directory.path + "/fds.log"
        // A lifeline of another supervised process is open in this process while the second one starts.
        let other = try SupervisedProcess.launch(command: ["/bin/sleep", "600"], stopSignal: "TERM", logPath: log)
        defer { other.stop(signal: SIGTERM, timeout: .seconds(5)) }
        let probe = try SupervisedProcess.launch(
            command: ["/bin/sh", "-c", "ls /proc/$$/fd; echo done"], stopSignal: "TERM", logPath: log)
        #expect(probe.waitForExit(timeout: .seconds(10)))
        #expect(probe.exitStatus == 0)
        let listed = (try String(contentsOfFile: log, encoding: .utf8)).split(separator: "\n")
        #expect(listed == ["0", "1", "2", "done"])
    }

    @Test func theSupervisorExitsWithItsServer() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let process = try SupervisedProcess.launch(
            command: ["/bin/sh", "-c", "exit 3"], stopSignal: "TERM", logPath: directory.path + "/exit.log")
        #expect(process.waitForExit(timeout: .seconds(10)))
        #expect(process.exitStatus == 3)
    }
}
