import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `posix_spawn` that hands the child exactly the descriptors we name and nothing else.
///
/// Every descriptor this module creates is close-on-exec from birth, so a lifeline's write end never
/// leaks into another child (a leaked write end would keep the pipe open after the parent dies and
/// turn the server into an orphan). On top of that, `closefrom` in the child drops anything other code
/// in the process opened without close-on-exec (a listening socket, say) so a server cannot keep it.
enum Spawn {
    /// Starts `executable` with `arguments` (argv[0] included) and returns its pid. `descriptors` maps a
    /// child fd (0, 1, 2, 3) to one of ours. `newProcessGroup` keeps a terminal's Ctrl-C away from the
    /// child, so only the parent decides when it stops.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String],
        descriptors: [Int32: Int32], newProcessGroup: Bool = false
    ) throws -> pid_t {
        // Move sources above every target first, so dup2 onto 0…3 can never clobber a later source.
        var moved: [(target: Int32, source: Int32)] = []
        defer { for entry in moved { close(entry.source) } }
        for (target, source) in descriptors.sorted(by: { $0.key < $1.key }) {
            let high = fcntl(source, F_DUPFD_CLOEXEC, 10)
            guard high >= 0 else { throw DevServicesError.system(call: "fcntl(F_DUPFD_CLOEXEC)", errno: errno) }
            moved.append((target, high))
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for entry in moved { posix_spawn_file_actions_adddup2(&actions, entry.source, entry.target) }
        if let closeFrom = addCloseFrom {
            _ = closeFrom(&actions, (moved.map { $0.target }.max() ?? 2) + 1)
        }

        // The parent may ignore or block signals (a server ignores SIGPIPE and routes SIGTERM through a
        // DispatchSource); those settings survive exec, so reset them or the child could not be stopped.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if newProcessGroup { flags |= POSIX_SPAWN_SETPGROUP }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        if newProcessGroup { posix_spawnattr_setpgroup(&attributes, 0) }

        let environmentStrings = environment.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(environmentStrings) { envp in
                posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        guard result == 0 else { throw DevServicesError.system(call: "posix_spawn \(executable)", errno: result) }
        return pid
    }

    /// Waits for `pid` (retrying on EINTR) and returns its exit code, or 128 + signal.
    static func wait(_ pid: pid_t, options: Int32 = 0) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, options)
            if result == pid { return decode(status) }
            if result == 0 { return nil }  // WNOHANG and still running
            if errno == EINTR { continue }
            return 255  // ECHILD: someone else reaped it; it is gone either way
        }
    }

    /// The shell's convention: exit code, or 128 + the signal that killed it.
    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// A close-on-exec socket pair. Used as a pipe: `pipe2(O_CLOEXEC)` is a GNU extension that Swift's
    /// Glibc module does not import, and `pipe` + `fcntl` would leave a window for a concurrent spawn.
    static func closeOnExecPair() throws -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw DevServicesError.system(call: "socketpair", errno: errno)
        }
        return (fds[0], fds[1])
    }

    /// Opens `path` close-on-exec.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw DevServicesError.system(call: "open \(path)", errno: errno) }
        return fd
    }

    /// The environment for children: ours, minus PG* variables (a PGHOST, PGSSLMODE or PGSERVICE meant
    /// for another server must not steer our tools), plus `extra`.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }.merging(extra) { _, new in new }
    }

    /// glibc ≥ 2.34 has it but only under _GNU_SOURCE, which Swift's Glibc module does not define.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    private static func withCStrings<R>(
        _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R
    ) -> R {
        var pointers = strings.map { strdup($0) }
        defer { for pointer in pointers { free(pointer) } }
        pointers.append(nil)
        return body(pointers)
    }
}
