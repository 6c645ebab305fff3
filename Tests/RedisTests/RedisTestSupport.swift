import Foundation
import Redis
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A key prefix no other test (or test run) shares, so tests can run in parallel on one server.
func uniquePrefix(_ test: String = #function) -> String {
    "redistests:\(test.prefix { $0 != "(" }):\(UUID().uuidString):"
}

/// A pool on the shared test server.
func sharedPool(poolSize: Int = 4, acquireTimeout: Duration = .seconds(5)) throws -> RedisPool {
    var configuration = try RedisConfiguration(url: TestServices.redisURL())
    configuration.poolSize = poolSize
    configuration.acquireTimeout = acquireTimeout
    return RedisPool(configuration: configuration)
}

/// A TCP port nothing listens on right now: bind port 0, read what the kernel chose, close.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw TestFailure("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A throw-away redis-server child this test may kill; never the shared one.
final class OwnRedisServer {
    let port: Int
    private var process: Process?

    init(port: Int) throws {
        self.port = port
        try start()
    }

    deinit { kill() }

    var url: String { "redis://127.0.0.1:\(port)" }

    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "redis-server", "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        try waitUntilReady()
    }

    /// SIGKILL: no goodbye to clients, exactly like a crashed or OOM-killed Redis.
    func kill() {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    private func waitUntilReady() throws {
        let configuration = RedisConfiguration(host: "127.0.0.1", port: port)
        for _ in 0..<100 {
            if let connection = try? RedisConnection.connect(configuration),
                (try? connection.command(["PING"]))?.string == "PONG"
            {
                return
            }
            usleep(50_000)
        }
        throw TestFailure("redis-server on port \(port) did not start")
    }
}
