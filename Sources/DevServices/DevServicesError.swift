#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a throw-away PostgreSQL or Redis could not be started or stopped, worded for the operator who
/// runs `travelsense dev` or the tests: what failed, the server's own last words, and what to do.
public enum DevServicesError: Error, CustomStringConvertible, Sendable {
    /// A program we need is missing; `package` is the Debian package that provides it.
    case binaryNotFound(name: String, package: String)
    /// Running as root, PostgreSQL must run as this user, and it does not exist.
    case userNotFound(name: String, package: String)
    /// The PostgreSQL user cannot reach `path` (some parent directory is not searchable for it).
    case directoryNotAccessible(path: String, user: String)
    /// `initdb` failed; `logTail` is the end of its output.
    case initdbFailed(status: Int32, logTail: String)
    /// The server process exited while we waited for it to accept connections.
    case exitedDuringStart(service: String, status: Int32, logTail: String)
    /// The server did not accept connections in time.
    case startTimeout(service: String, port: Int, seconds: Int, logTail: String)
    /// `restart()` must keep the port its URL names, and something else took it meanwhile.
    case portInUse(service: String, port: Int, logTail: String)
    /// A helper command (psql, setpriv …) failed.
    case commandFailed(command: String, status: Int32, output: String)
    /// The data directory holds a cluster but its secret is gone, so nobody could log in.
    case secretMissing(path: String, directory: String)
    /// A system call failed.
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .binaryNotFound(let name, let package):
            return "\(name) not found: install it with `apt-get install -y \(package)`"
        case .userNotFound(let name, let package):
            return "running as root, PostgreSQL must run as the '\(name)' user, which does not exist: "
                + "install it with `apt-get install -y \(package)`, or run as an ordinary user"
        case .directoryNotAccessible(let path, let user):
            return "the '\(user)' user cannot reach \(path) (a parent directory is not searchable for it, "
                + "e.g. mode 0700): pick a data directory under a world-searchable path such as "
                + "/var/tmp or /srv (--data-dir), or run as an ordinary user"
        case .initdbFailed(let status, let logTail):
            return "initdb failed (exit status \(status)):\n\(logTail)"
        case .exitedDuringStart(let service, let status, let logTail):
            return "\(service) exited during start (status \(status)):\n\(logTail)"
        case .startTimeout(let service, let port, let seconds, let logTail):
            return "\(service) did not accept connections on 127.0.0.1:\(port) within \(seconds) s:\n\(logTail)"
        case .portInUse(let service, let port, let logTail):
            return "\(service) cannot listen on 127.0.0.1:\(port) again, another process took the port:\n\(logTail)"
        case .commandFailed(let command, let status, let output):
            return "\(command) failed (exit status \(status)):\n\(output)"
        case .secretMissing(let path, let directory):
            return "\(path) is missing but \(directory) holds an initialised cluster whose password it was: "
                + "restore the file, or delete \(directory) to start from an empty database"
        case .system(let call, let errno):
            return "\(call) failed: \(String(cString: strerror(errno)))"
        }
    }
}
