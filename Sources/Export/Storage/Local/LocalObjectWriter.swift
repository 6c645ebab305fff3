/// Writes one local object into a temporary file and publishes it with `rename` on `finish`.
/// Not thread-safe: one writer belongs to one job.
final class LocalObjectWriter: ObjectWriter {
    private let temporaryPath: String
    private let finalPath: String
    private var fd: Int32?

    init(temporaryPath: String, finalPath: String, header: [UInt8]) throws(ObjectStoreError) {
        self.temporaryPath = temporaryPath
        self.finalPath = finalPath
        let fd = try LocalFileIO.createExclusive(temporaryPath)
        self.fd = fd
        do { try LocalFileIO.writeAll(fd, header, path: temporaryPath) } catch {
            abort()
            throw error
        }
    }

    func write(_ bytes: [UInt8]) throws(ObjectStoreError) {
        guard let fd else { throw .invalidArgument("write after the writer ended") }
        do { try LocalFileIO.writeAll(fd, bytes, path: temporaryPath) } catch {
            abort()
            throw error
        }
    }

    func finish() throws(ObjectStoreError) {
        guard let fd else { throw .invalidArgument("finish after the writer ended") }
        self.fd = nil
        do {
            try LocalFileIO.syncAndClose(fd, path: temporaryPath)
            let parent = finalPath.lastIndex(of: "/").map { String(finalPath[..<$0]) }
            if let parent { try LocalFileIO.makeDirectories(parent) }
            try LocalFileIO.move(temporaryPath, to: finalPath)
            if let parent { LocalFileIO.syncDirectory(parent) }
        } catch {
            _ = try? LocalFileIO.remove(temporaryPath)
            throw error
        }
    }

    func abort() {
        guard let fd else { return }
        self.fd = nil
        LocalFileIO.close(fd)
        _ = try? LocalFileIO.remove(temporaryPath)
    }

    deinit { abort() }
}
