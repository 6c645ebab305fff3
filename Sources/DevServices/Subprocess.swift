import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a helper program (initdb, psql, pg_isready, setpriv) to completion and collects its output.
enum Subprocess {
    struct Result: Sendable {
        /// Exit code, or 128 + signal.
        let status: Int32
        /// stdout and stderr, interleaved as written.
        let output: String
    }

    /// Runs `arguments` (argv[0] is the program, an absolute path) and waits at most `timeout`; a
    /// program that overruns is killed, and its status is then 128 + SIGKILL.
    static func run(
        _ arguments: [String], environment: [String: String] = Spawn.environment(), timeout: Duration = .seconds(60)
    ) throws -> Result {
        guard let executable = arguments.first else { return Result(status: 127, output: "no program given") }
        let (readEnd, writeEnd) = try Spawn.closeOnExecPair()
        defer { close(readEnd) }
        let devNull: Int32
        do {
            devNull = try Spawn.open("/dev/null", O_RDONLY)
        } catch {
            close(writeEnd)
            throw error
        }
        let pid: pid_t
        do {
            defer {
                close(writeEnd)
                close(devNull)
            }
            pid = try Spawn.spawn(
                executable: executable, arguments: arguments, environment: environment,
                descriptors: [0: devNull, 1: writeEnd, 2: writeEnd])
        }

        // Read until EOF (every writer gone) or the deadline; reading first means a chatty program can
        // never block on a full pipe while we wait for it.
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + timeout
        var killed = false
        while true {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero {
                kill(pid, SIGKILL)
                killed = true
                break
            }
            var poller = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let millis = Int32(min(remaining.components.seconds * 1000 + 1, 1000))
            let ready = poll(&poller, 1, millis)
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count > 0 {
                output.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        let status = Spawn.wait(pid) ?? 255
        var text = String(decoding: output, as: UTF8.self)
        if killed { text += "\n(killed after \(timeout))" }
        return Result(status: status, output: text)
    }

    /// Like `run`, but a non-zero status throws `commandFailed` naming `what`.
    @discardableResult
    static func check(
        _ arguments: [String], what: String, environment: [String: String] = Spawn.environment(),
        timeout: Duration = .seconds(60)
    ) throws -> String {
        let result = try run(arguments, environment: environment, timeout: timeout)
        guard result.status == 0 else {
            throw DevServicesError.commandFailed(command: what, status: result.status, output: result.output)
        }
        return result.output
    }
}
