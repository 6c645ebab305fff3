import Foundation
import Redis
import Synchronization
import TestSupport
import Testing

@Suite struct RedisPoolTests {
    @Test func fiftyThreadsIncrementExactly() throws {
        let pool = try sharedPool(poolSize: 4, acquireTimeout: .seconds(30))
        let key = uniquePrefix() + "total"
        let (threads, increments) = (50, 200)
        // Errors seen by the worker threads.
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for _ in 0..<increments {
                    do {
                        try pool.incr(key)
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
        }
        #expect(group.wait(timeout: .now() + 120) == .success)
        #expect(failures.withLock { $0 } == [])
        #expect(try pool.get(key).map { RESPValue.bulkString($0).int } == threads * increments)
        #expect(pool.statistics.open <= 4)
    }

    @Test func exhaustedPoolTimesOut() throws {
        let pool = try sharedPool(poolSize: 1, acquireTimeout: .milliseconds(100))
        let holding = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? pool.withConnection { _ in
                holding.signal()
                done.wait()
            }
        }
        holding.wait()
        #expect(throws: RedisError.poolTimeout) { try pool.ping() }
        done.signal()
        // Once released, the connection is usable again.
        var pinged = false
        for _ in 0..<50 where !pinged {
            pinged = (try? pool.ping()) != nil
        }
        #expect(pinged)
    }

    @Test func closedPortFailsWithConnectionErrorThenBacksOff() throws {
        var configuration = RedisConfiguration(host: "127.0.0.1", port: try freePort())
        configuration.reconnectBackoff = .seconds(30)
        let pool = RedisPool(configuration: configuration)
        var messages: [String] = []
        for _ in 0..<3 {
            #expect {
                try pool.ping()
            } throws: { error in
                guard case .connection(let message) = error as? RedisError else { return false }
                messages.append(message)
                return true
            }
        }
        // The first call dialled and was refused; the others failed at once without dialling.
        #expect(messages.count == 3)
        #expect(messages.first?.contains("not retrying") == false)
        #expect(messages.dropFirst().allSatisfy { $0.contains("not retrying") })
        #expect(pool.statistics.open == 0)
    }

    @Test func connectionSetsUpAuthAndDatabase() throws {
        let server = try OwnRedisServer(port: try freePort())
        defer { server.kill() }
        let admin = RedisPool(configuration: RedisConfiguration(host: "127.0.0.1", port: server.port))
        _ = try admin.command(["ACL", "SETUSER", "app", "on", ">app-pass", "~*", "+@all"])
        _ = try admin.command(["CONFIG", "SET", "requirepass", "default-pass"])

        let acl = try RedisPool(url: "redis://app:app-pass@127.0.0.1:\(server.port)/2")
        try acl.set("k", "in-db-2")
        #expect(try acl.command(["ACL", "WHOAMI"]).string == "app")
        let defaultUser = try RedisPool(url: "redis://:default-pass@127.0.0.1:\(server.port)/2")
        #expect(try defaultUser.getString("k") == "in-db-2")
        let otherDB = try RedisPool(url: "redis://:default-pass@127.0.0.1:\(server.port)/3")
        #expect(try otherDB.getString("k") == nil)

        let wrong = try RedisPool(url: "redis://:nope@127.0.0.1:\(server.port)")
        #expect {
            try wrong.ping()
        } throws: { error in
            guard case .connection(let message) = error as? RedisError else { return false }
            return !message.contains("nope")
        }
    }

    @Test func closedPoolRefusesCheckouts() throws {
        let pool = try sharedPool()
        try pool.ping()
        pool.close()
        #expect(pool.statistics.open == 0)
        #expect(throws: RedisError.poolClosed) { try pool.ping() }
    }
}
