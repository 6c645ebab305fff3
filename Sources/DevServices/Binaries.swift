import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the server programs live.
enum Binaries {
    /// The directory with PostgreSQL's server programs (initdb, postgres, pg_isready, psql): what
    /// `pg_config --bindir` says, else the newest Debian `/usr/lib/postgresql/<version>/bin`, else the
    /// directory of an `initdb` on PATH. Debian's pg_config comes with libpq-dev and may name a bindir
    /// without a server in it, hence the check for initdb.
    static func postgresBinDir() throws -> String {
        var candidates: [String] = []
        if let pgConfig = find("pg_config"),
            let result = try? Subprocess.run([pgConfig, "--bindir"], timeout: .seconds(10)), result.status == 0
        {
            candidates.append(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let debian = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append("\(debian)/\(version)/bin")
        }
        if let initdb = find("initdb") {
            candidates.append(URL(fileURLWithPath: initdb).deletingLastPathComponent().path)
        }
        for directory in candidates where isExecutable(directory + "/initdb") && isExecutable(directory + "/postgres") {
            return directory
        }
        throw DevServicesError.binaryNotFound(name: "PostgreSQL (initdb, postgres)", package: "postgresql")
    }

    /// `bindir/name`, or `binaryNotFound` naming `package`.
    static func postgresTool(_ name: String, in bindir: String, package: String = "postgresql") throws -> String {
        let path = bindir + "/" + name
        guard isExecutable(path) else { throw DevServicesError.binaryNotFound(name: path, package: package) }
        return path
    }

    /// `name` on PATH (plus the sbin directories, which root's PATH may lack), or `binaryNotFound`.
    static func require(_ name: String, package: String) throws -> String {
        guard let path = find(name) else { throw DevServicesError.binaryNotFound(name: name, package: package) }
        return path
    }

    /// `name` on PATH, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/bin", "/sbin"]
        for directory in directories where !directory.isEmpty && isExecutable(directory + "/" + name) {
            return directory + "/" + name
        }
        return nil
    }

    private static func isExecutable(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }
}
