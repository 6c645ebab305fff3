import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Real nginx running `deploy/nginx/nginx.conf`, rendered the way the nginx image renders it (the three
/// template variables substituted), in its own prefix directory on an ephemeral port.
final class NginxProcess {
    let process = Process()
    let port: Int
    let directory: String

    /// The repository's root, from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let binary: String? = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// - Parameter upstreams: `server` lines for the upstream block, e.g. from `serverLines(ports:)`.
    init(upstreams: String) throws {
        guard let binary = Self.binary else { throw TestFailure("nginx is not installed (make deps installs it)") }
        port = try ChildServer.freePort()
        directory = NSTemporaryDirectory() + "travelsense-nginx-\(getpid())-\(port)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let template = try String(
            contentsOfFile: Self.repositoryRoot + "/deploy/nginx/nginx.conf", encoding: .utf8)
        let config =
            template
            .replacingOccurrences(of: "${LISTEN_PORT}", with: "127.0.0.1:\(port)")
            .replacingOccurrences(of: "${UPSTREAM_SERVERS}", with: upstreams)
            .replacingOccurrences(of: "${NGINX_ACCESS_LOG}", with: directory + "/access.log")
        try config.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "-p", directory + "/", "-c", directory + "/nginx.conf", "-g", "daemon off; pid \(directory)/nginx.pid;",
        ]
        _ = FileManager.default.createFile(atPath: directory + "/error.log", contents: nil)
        let errors = FileHandle(forWritingAtPath: directory + "/error.log")
        process.standardOutput = errors
        process.standardError = errors
        try process.run()
        let port = self.port
        let started = eventually(seconds: 10) {
            (try? RawClient(port: port, timeout: .seconds(1)).roundTrip(request("GET", "/nginx-healthz")))?.status
                == 200
        }
        guard started else {
            stop()
            throw TestFailure("nginx did not start: \(errorLog)")
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `server` lines for app replicas on loopback, with the passive health settings docker-compose.prod.yml
    /// uses.
    static func serverLines(ports: [Int]) -> String {
        ports.map { "server 127.0.0.1:\($0) max_fails=3 fail_timeout=10s;" }.joined(separator: " ")
    }

    /// SIGQUIT: graceful stop (workers finish their requests, the log is complete).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGQUIT)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline { sleepFor(.milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    var errorLog: String { (try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? "" }

    /// The access log's JSON lines (nginx writes each line with one write(2), so a read never sees half).
    var accessLog: [[String: Any]] { JSONLines.parse(contentsOf: directory + "/access.log") }
}

/// Log files of one JSON object per line.
enum JSONLines {
    static func parse(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    static func parse(contentsOf path: String) -> [[String: Any]] {
        parse((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }
}

extension RawClient {
    /// Sends `bytes` and reads the final response on this (kept-alive) connection.
    func roundTrip(_ text: String) throws -> RawResponse {
        try send(text)
        return try readFinalResponse().final
    }
}
