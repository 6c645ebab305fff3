#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The POSIX calls `LocalObjectStore` needs, with `errno` turned into `ObjectStoreError`. Plain
/// syscalls rather than `FileManager` so that atomicity (write a temporary file, `fsync`, `rename`) is
/// explicit and the same on every platform.
enum LocalFileIO {
    /// Creates `path` and its missing parents (mode 0700: exports are private data).
    static func makeDirectories(_ path: String) throws(ObjectStoreError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0, errno != EEXIST {
                throw failure("mkdir", current)
            }
        }
    }

    /// Opens a new file for writing; fails if it exists.
    static func createExclusive(_ path: String) throws(ObjectStoreError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("open", path) }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(ObjectStoreError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            offset += written
        }
    }

    /// Flushes to disk and closes; a rename after this cannot publish a file whose data is lost in a crash.
    static func syncAndClose(_ fd: Int32, path: String) throws(ObjectStoreError) {
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", path) }
    }

    /// Atomically replaces `to` with `from` (same file system: both live under the store's directory).
    static func move(_ from: String, to: String) throws(ObjectStoreError) {
        guard rename(from, to) == 0 else { throw failure("rename", to) }
    }

    /// Flushes a directory's entries, so a rename into it survives a power cut. Best effort: the object
    /// is already visible, and some file systems refuse fsync on directories.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The whole file, or nil when it does not exist.
    static func readAll(_ path: String, limit: Int) throws(ObjectStoreError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw failure("open", path)
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw failure("fstat", path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }  // a directory is not an object
        let size = Int(status.st_size)
        guard size <= limit else { throw .failed("object larger than \(limit) bytes") }
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        while offset < size {
            let count = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress.map { $0 + offset }, size - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("read", path)
            }
            if count == 0 { break }  // truncated underneath us; return what is there
            offset += count
        }
        return Array(bytes[..<offset])
    }

    /// Removes a file; true if it existed.
    @discardableResult
    static func remove(_ path: String) throws(ObjectStoreError) -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT || errno == ENOTDIR { return false }
        throw failure("unlink", path)
    }

    /// An error naming the call and the errno text; paths are our own, never a secret.
    private static func failure(_ call: String, _ path: String) -> ObjectStoreError {
        let reason = String(cString: strerror(errno))
        return .failed("\(call) \(path): \(reason)")
    }
}

extension LocalFileIO {
    /// Closes without syncing, for abandoned temporary files.
    static func close(_ fd: Int32) {
        _ = closeDescriptor(fd)
    }
}

private func closeDescriptor(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
        Glibc.close(fd)
    #else
        Darwin.close(fd)
    #endif
}
