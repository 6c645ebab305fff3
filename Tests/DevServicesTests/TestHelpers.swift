import Foundation

@testable import DevServices

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh directory under /tmp, removed by `cleanUp` (world-searchable, so the postgres user can
/// reach it when the tests run as root).
struct TemporaryDirectory {
    let path: String

    init(_ name: String = #function) throws {
        let tag = name.prefix { $0.isLetter || $0.isNumber }
        path = "/tmp/devservices-tests/\(tag)-\(UUID().uuidString.prefix(8))"
        try Paths.makeDirectories(path)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs psql against `url`; the status and output say whether it connected and what it printed.
func psql(_ url: String, _ sql: String) throws -> Subprocess.Result {
    let psql = try Binaries.postgresTool("psql", in: Binaries.postgresBinDir())
    return try Subprocess.run(
        [psql, "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql, url],
        environment: Spawn.environment(["PGCONNECT_TIMEOUT": "5"]), timeout: .seconds(30))
}

/// Runs redis-cli on 127.0.0.1:`port`, authenticating with `password` when given. (redis-cli 7.0
/// reads `redis://:password@…` as user "" and fails, so no URL here.)
func redisCLI(port: Int, password: String?, _ arguments: [String]) throws -> Subprocess.Result {
    let cli = try Binaries.require("redis-cli", package: "redis-tools")
    let auth = password.map { ["-a", $0, "--no-auth-warning"] } ?? []
    return try Subprocess.run(
        [cli, "-h", "127.0.0.1", "-p", String(port)] + auth + arguments, timeout: .seconds(30))
}

/// Whether `pid` names a live process (a zombie counts as alive: its parent has not reaped it yet).
func isAlive(_ pid: pid_t) -> Bool {
    kill(pid, 0) == 0 || errno == EPERM
}

/// Polls `condition` every 20 ms for up to `seconds`.
func eventually(seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

/// A socket listening on a free 127.0.0.1 port, taking it from anyone else; close it when done.
func occupyPort() throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard fd >= 0, ok else { throw DevServicesError.system(call: "listen", errno: errno) }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}
