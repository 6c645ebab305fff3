import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Generated passwords kept next to the data they protect, so a reused directory keeps working.
enum Secrets {
    /// Letters and digits only: safe in URLs, command lines and config files without quoting.
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// The password in `path`, created (32 random characters, mode 0600) when the file does not exist.
    static func loadOrCreate(at path: String) throws -> String {
        if let existing = try load(at: path) { return existing }
        // SystemRandomNumberGenerator reads the kernel CSPRNG (getrandom, the pool behind /dev/urandom);
        // randomElement draws without modulo bias.
        var generator = SystemRandomNumberGenerator()
        let password = String((0..<32).compactMap { _ in alphabet.randomElement(using: &generator) })
        // Write a private temporary and link it into place: if another process created the file
        // meanwhile, link fails and we use theirs, so both end up with the same secret.
        let temporary = path + ".tmp.\(getpid())"
        try Paths.writeAtomically(password + "\n", to: temporary)
        defer { unlink(temporary) }
        if link(temporary, path) != 0 {
            guard errno == EEXIST, let existing = try load(at: path) else {
                throw DevServicesError.system(call: "link \(path)", errno: errno)
            }
            return existing
        }
        return password
    }

    /// The password in `path`, or nil when there is no such file.
    static func load(at path: String) throws -> String? {
        guard Paths.exists(path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DevServicesError.system(call: "read \(path)", errno: errno)
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // An empty file would silently become "no password"; make the operator look at it instead.
        guard !text.isEmpty else { throw DevServicesError.system(call: "read \(path) (empty)", errno: EINVAL) }
        return text
    }
}

/// Secrets `travelsense dev` keeps in its data directory (signing and encryption keys), created on
/// first use and reused afterwards, so tokens and encrypted fields survive a restart.
public enum DevSecrets {
    /// The 32-character secret in `path`, created (mode 0600) when missing.
    public static func loadOrCreate(at path: String) throws -> String {
        try Secrets.loadOrCreate(at: path)
    }
}
