import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A stored local object opened for a download: its type and size from the header, then the body read
/// in chunks, so serving a large export holds one chunk in memory. The descriptor is closed when the
/// reader dies; reading keeps working if the object is replaced or deleted meanwhile (POSIX semantics).
public final class LocalObjectReader: @unchecked Sendable {
    public let info: ObjectInfo
    private let fd: Int32
    private let bodyOffset: Int

    static let chunkSize = 64 * 1024
    /// A header line is `TSOBJ1 ` plus a media type, far below this.
    static let maxHeader = 1024

    /// nil when there is no object under `path`.
    init?(path: String, key: String) throws(ObjectStoreError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .failed("open \(path): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            Glibc.close(fd)
            return nil
        }
        var head = [UInt8](repeating: 0, count: Self.maxHeader)
        let count = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Self.maxHeader, 0) }
        guard count > 0, let newline = head[..<count].firstIndex(of: 0x0A) else {
            Glibc.close(fd)
            throw .failed("stored file for \"\(key)\" has no object header")
        }
        let parsed: StoredObject
        do {
            parsed = try LocalObjectFile.parse(Array(head[...newline]), key: key)
        } catch {
            Glibc.close(fd)
            throw error
        }
        self.fd = fd
        bodyOffset = newline + 1
        info = ObjectInfo(size: Int(status.st_size) - bodyOffset, contentType: parsed.info.contentType)
    }

    deinit { Glibc.close(fd) }

    /// Calls `body` with each chunk of the object's body in order; stops at the first error it throws.
    public func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        var offset = bodyOffset
        let end = bodyOffset + info.size
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        while offset < end {
            let want = min(Self.chunkSize, end - offset)
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(offset)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ObjectStoreError.failed("read: \(String(cString: strerror(errno)))")
            }
            // Shorter than its header said: the client sees a cut-short body rather than padding.
            guard count > 0 else { throw ObjectStoreError.failed("object truncated while read") }
            try body(Array(chunk[..<count]))
            offset += count
        }
    }
}

extension LocalObjectStore {
    /// Opens the object for a streamed download; nil when there is none.
    public func open(key: String) throws(ObjectStoreError) -> LocalObjectReader? {
        try ObjectKey.validate(key)
        return try LocalObjectReader(path: path(of: key), key: key)
    }
}
