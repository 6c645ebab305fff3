import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Filesystem chores for a service's directory.
enum Paths {
    /// `path` made absolute against the current directory and normalised, so the servers (which run in
    /// another working directory) and error messages see the same place.
    static func absolute(_ path: String) -> String {
        let base = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: base).standardizedFileURL.path
    }

    /// `mkdir -p`, giving every directory it creates exactly `mode` (not `mode` masked by the umask: a
    /// umask of 077 would otherwise make parents the postgres user cannot traverse).
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) == 0 {
                chmod(current, mode)
            } else if errno != EEXIST {
                throw DevServicesError.system(call: "mkdir \(current)", errno: errno)
            }
        }
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Writes `contents` to `path` with `mode`, atomically (temporary file, then rename).
    static func writeAtomically(_ contents: String, to path: String, mode: mode_t = 0o600) throws {
        let temporary = path + ".tmp.\(getpid())"
        let fd = try Spawn.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let writeErrno = errno
        close(fd)
        guard written == bytes.count else {
            unlink(temporary)
            throw DevServicesError.system(call: "write \(temporary)", errno: writeErrno)
        }
        guard rename(temporary, path) == 0 else {
            let renameErrno = errno
            unlink(temporary)
            throw DevServicesError.system(call: "rename \(temporary)", errno: renameErrno)
        }
    }
}
