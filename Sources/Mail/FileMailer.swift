import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes each message to `directory` as `<UTC time>-<random>.eml` instead of sending it: what
/// `travelsense dev` uses, and what tests read back.
///
/// A file is written under a hidden temporary name, flushed, then renamed into place, so a reader
/// listing `*.eml` never sees half a message. Files are 0600 and a directory this mailer creates is
/// 0700: messages carry password-reset links. An existing directory keeps its mode.
public struct FileMailer: Mailer {
    /// Where the `.eml` files go.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func send(_ message: MailMessage) throws(MailError) {
        _ = try write(message)
    }

    /// Renders and writes `message`; returns the path of the new `.eml` file.
    @discardableResult
    public func write(_ message: MailMessage) throws(MailError) -> String {
        let rendered = try message.rendered()
        try Self.makeDirectory(directory)
        let now = MailDate.now()
        let random: String
        do {
            random = Hex.encode(try SecureRandom.bytes(6))
        } catch {
            throw .fileSystem("no random bytes for a file name: \(error)")
        }
        let name = "\(MailDate.fileStamp(secondsSince1970: now.seconds, milliseconds: now.milliseconds))-\(random).eml"
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        let temporary = (directory.hasSuffix("/") ? directory : directory + "/") + ".\(name).partial"
        do {
            try Self.writeFile(temporary, rendered.bytes)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = Self.systemError("rename to \(path)")
            unlink(temporary)
            throw .fileSystem(reason)
        }
        return path
    }

    /// Creates `path` and any missing parents with mode 0700.
    private static func makeDirectory(_ path: String) throws(MailError) {
        guard !path.isEmpty else { throw .invalidConfiguration("FileMailer directory is empty") }
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw .fileSystem("\(path) is not a directory") }
            return
        }
        let parent = path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
            .joined(separator: "/")
        if !parent.isEmpty {
            try makeDirectory(path.hasPrefix("/") ? "/" + parent : parent)
        }
        // EEXIST: another thread or process created it between our stat and mkdir, which is fine.
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw .fileSystem(systemError("mkdir \(path)")) }
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8]) throws(MailError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .fileSystem(systemError("create \(path)")) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return 0 }
                return systemWrite(fd, base + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .fileSystem(systemError("write \(path)"))
            }
            offset += written
        }
        // Flushed before the rename, so a crash never leaves a complete name over incomplete content.
        guard fsync(fd) == 0 else { throw .fileSystem(systemError("fsync \(path)")) }
    }

    private static func systemError(_ what: String) -> String {
        "\(what): \(String(cString: strerror(errno)))"
    }
}

/// write(2), named apart from `FileMailer.write(_:)`, which hides it inside the type.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(fd, buffer, count)
    #else
        Darwin.write(fd, buffer, count)
    #endif
}
