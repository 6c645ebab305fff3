import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A server running under a tiny `/bin/sh` supervisor tied to us by a lifeline.
///
/// The supervisor's stdin is one end of a close-on-exec socket pair whose other end only this process
/// holds. When we die for any reason, SIGKILL included, the kernel closes our end, the supervisor's
/// watcher reads EOF and sends the server its shutdown signal, and the supervisor exits once the server
/// has. No PR_SET_PDEATHSIG: it fires when the spawning *thread* exits, not the process. When the
/// server exits on its own (stopped, crashed, killed), the supervisor exits too.
///
/// Supervisor and server get their own process group, so a terminal's Ctrl-C reaches only the parent,
/// which then stops them in order instead of racing them.
final class SupervisedProcess: Sendable {
    /// The supervisor, our child: reaped by us.
    let supervisorPID: pid_t
    /// The server itself, the supervisor's child (`setpriv` execs in place, so it is postgres itself).
    let serverPID: pid_t
    let logPath: String
    /// Where this run's output starts in the log, so errors quote this run only.
    private let logOffset: Int
    /// Our end of the lifeline (-1 once closed) and the supervisor's exit status once reaped.
    private let state: Mutex<(lifeline: Int32, exitStatus: Int32?)>

    /// A log past this size is emptied at the next start.
    private static let maxLogBytes = 16 << 20

    /// `$1` is the signal that stops the server, the rest is its command. The server runs with fds 3 and
    /// 4 closed; fd 3 reports its pid to us; the watcher reads the lifeline (fd 4, saved from stdin, since
    /// an asynchronous list gets /dev/null as stdin). Shell-started background jobs inherit SIGINT and
    /// SIGQUIT ignored, which postgres and redis override with their own handlers.
    private static let script = """
        sig=$1; shift
        exec 4<&0 </dev/null
        "$@" 3>&- 4<&- &
        server=$!
        echo "$server" >&3
        exec 3>&-
        { while read -r _; do :; done; kill -s "$sig" "$server" 2>/dev/null; } <&4 &
        watcher=$!
        exec 4<&-
        wait "$server"
        status=$?
        kill "$watcher" 2>/dev/null
        exit "$status"
        """

    private init(supervisorPID: pid_t, serverPID: pid_t, lifeline: Int32, logPath: String, logOffset: Int) {
        self.supervisorPID = supervisorPID
        self.serverPID = serverPID
        self.logPath = logPath
        self.logOffset = logOffset
        state = Mutex((lifeline, nil))
    }

    /// Starts `command` under a supervisor; its stdout and stderr append to `logPath`. `stopSignal` is
    /// what the supervisor sends when the lifeline breaks (postgres: SIGINT, a fast shutdown).
    static func launch(command: [String], stopSignal: String, logPath: String) throws -> SupervisedProcess {
        let log = try Spawn.open(logPath, O_WRONLY | O_CREAT | O_APPEND, mode: 0o600)
        defer { close(log) }
        // Logs append across starts (the last crash stays readable) but are not allowed to grow forever.
        var info = stat()
        if fstat(log, &info) == 0 && info.st_size > maxLogBytes { _ = ftruncate(log, 0) }
        let logOffset = fstat(log, &info) == 0 ? Int(info.st_size) : 0
        let (lifelineChild, lifeline) = try Spawn.closeOnExecPair()
        let reportRead: Int32
        let reportWrite: Int32
        do {
            (reportRead, reportWrite) = try Spawn.closeOnExecPair()
        } catch {
            close(lifelineChild)
            close(lifeline)
            throw error
        }
        defer { close(reportRead) }
        let pid: pid_t
        do {
            defer {
                close(lifelineChild)
                close(reportWrite)
            }
            pid = try Spawn.spawn(
                executable: "/bin/sh",
                arguments: ["sh", "-c", script, "devservices-supervisor", stopSignal] + command,
                environment: Spawn.environment(),
                descriptors: [0: lifelineChild, 1: log, 2: log, 3: reportWrite], newProcessGroup: true)
        } catch {
            close(lifeline)
            throw error
        }
        guard let serverPID = readPID(reportRead) else {
            // The supervisor died before reporting: nothing is running, just collect it.
            close(lifeline)
            let status = Spawn.wait(pid) ?? 255
            throw DevServicesError.exitedDuringStart(
                service: command.first ?? "server", status: status,
                logTail: logTail(logPath, from: logOffset))
        }
        return SupervisedProcess(
            supervisorPID: pid, serverPID: serverPID, lifeline: lifeline, logPath: logPath, logOffset: logOffset)
    }

    deinit {
        closeLifeline()
        // Reap without blocking the caller: the server may take a moment to shut down.
        if state.withLock({ $0.exitStatus }) == nil {
            let pid = supervisorPID
            Thread.detachNewThread { _ = Spawn.wait(pid) }
        }
    }

    /// The supervisor's exit status if it has exited (so has the server), nil while it runs.
    var exitStatus: Int32? {
        state.withLock { state in
            if state.exitStatus == nil { state.exitStatus = Spawn.wait(supervisorPID, options: WNOHANG) }
            return state.exitStatus
        }
    }

    /// Polls until the supervisor has exited or `timeout` passed; returns whether it exited.
    func waitForExit(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while exitStatus == nil {
            if ContinuousClock.now >= deadline { return false }
            usleep(10_000)
        }
        return true
    }

    /// Sends `signal` to the server while it still runs (after that its pid may belong to someone else).
    func signalServer(_ signal: Int32) {
        if exitStatus == nil { kill(serverPID, signal) }
    }

    /// Stops the server with `signal`, escalating to SIGKILL after `timeout`, and waits for it.
    func stop(signal: Int32, timeout: Duration) {
        signalServer(signal)
        if !waitForExit(timeout: timeout) {
            signalServer(SIGKILL)
            _ = waitForExit(timeout: .seconds(10))
        }
        closeLifeline()
    }

    /// Closes our end of the lifeline, exactly what our death would do: the server shuts down. Tests
    /// use it to simulate the parent dying without killing the test process.
    func closeLifeline() {
        let fd = state.withLock { state in
            defer { state.lifeline = -1 }
            return state.lifeline
        }
        if fd >= 0 { close(fd) }
    }

    /// The end of what this run wrote to the log, for error messages.
    func logTail() -> String { Self.logTail(logPath, from: logOffset) }

    static func logTail(_ path: String, from offset: Int, maxBytes: Int = 3000) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "(no log at \(path))" }
        defer { try? handle.close() }
        let end = (try? handle.seekToEnd()).map { Int($0) } ?? offset
        try? handle.seek(toOffset: UInt64(max(offset, end - maxBytes)))
        let data = (try? handle.readToEnd()) ?? Data()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(\(path) is empty)" : "(from \(path))\n" + text
    }

    /// Reads the pid line the supervisor writes to fd 3; nil when it exits without writing one.
    private static func readPID(_ fd: Int32) -> pid_t? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 1000)
            if ready < 0 && errno != EINTR { return nil }
            if ready <= 0 { continue }
            let count = read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 || byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        guard let pid = pid_t(String(decoding: bytes, as: UTF8.self)), pid > 0 else { return nil }
        return pid
    }
}
