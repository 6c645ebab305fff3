#if canImport(Glibc)
    import Glibc
#endif

/// Who runs PostgreSQL's programs. PostgreSQL refuses to run as root, so when we are root it runs as the
/// `postgres` user through `setpriv` (util-linux), which switches ids and execs in place: no extra
/// process sits between the supervisor and the postmaster, so signals reach the server directly.
struct PostgresUser: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t
    /// `setpriv … --` when switching, empty when the programs run as ourselves.
    let prefix: [String]

    var isSwitching: Bool { !prefix.isEmpty }

    static let systemUser = "postgres"

    /// Ourselves, or the `postgres` user when we are root.
    static func resolve() throws -> PostgresUser {
        guard geteuid() == 0 else {
            return PostgresUser(name: "current user", uid: geteuid(), gid: getegid(), prefix: [])
        }
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getpwnam_r(systemUser, &entry, &buffer, buffer.count, &found) == 0, found != nil else {
            throw DevServicesError.userNotFound(name: systemUser, package: "postgresql")
        }
        let setpriv = try Binaries.require("setpriv", package: "util-linux")
        return PostgresUser(
            name: systemUser, uid: entry.pw_uid, gid: entry.pw_gid,
            prefix: [setpriv, "--reuid=\(systemUser)", "--regid=\(systemUser)", "--init-groups", "--"])
    }

    /// `arguments` run as this user.
    func command(_ arguments: [String]) -> [String] {
        prefix + arguments
    }

    /// Gives `path` to this user with `mode` (PostgreSQL insists its data directory is 0700 and its own).
    func own(_ path: String, mode: mode_t) throws {
        if isSwitching {
            guard chown(path, uid, gid) == 0 else { throw DevServicesError.system(call: "chown \(path)", errno: errno) }
        }
        guard chmod(path, mode) == 0 else { throw DevServicesError.system(call: "chmod \(path)", errno: errno) }
    }

    /// Fails with a clear message when this user cannot reach `directory`, typically because a parent
    /// (such as /root) is 0700: the alternative is an opaque "permission denied" from initdb.
    func checkCanReach(_ directory: String) throws {
        guard isSwitching else { return }
        let test = try Binaries.require("test", package: "coreutils")
        let result = try Subprocess.run(command([test, "-x", directory]), timeout: .seconds(10))
        guard result.status == 0 else {
            throw DevServicesError.directoryNotAccessible(path: directory, user: name)
        }
    }
}
