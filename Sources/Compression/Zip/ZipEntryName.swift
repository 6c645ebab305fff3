/// Entry-name rules: a name must extract to a file inside the target directory on Unix, macOS and
/// Windows, whatever the unzip tool (no zip-slip), so anything a tool might treat as a path escape is
/// refused rather than rewritten.
enum ZipEntryName {
    /// The name field is 16-bit.
    static let maxBytes = Int(UInt16.max)

    /// The UTF-8 bytes of `name`, or the rule it breaks.
    static func validate(_ name: String) throws(ZipError) -> [UInt8] {
        let bytes = Array(name.utf8)
        func refuse(_ reason: String) -> ZipError { .invalidName(name, reason: reason) }
        guard !bytes.isEmpty else { throw refuse("empty") }
        guard bytes.count <= maxBytes else { throw refuse("longer than \(maxBytes) bytes") }
        guard !bytes.contains(0) else { throw refuse("contains NUL") }
        // Windows tools read a backslash as a separator: "a\..\..\x" would escape.
        guard !bytes.contains(UInt8(ascii: "\\")) else { throw refuse("contains a backslash") }
        guard bytes[0] != UInt8(ascii: "/") else { throw refuse("absolute path") }
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        // "C:x" is drive-relative on Windows.
        if let first = components.first, first.contains(":") {
            throw refuse("drive letter or colon in first component")
        }
        for component in components {
            // Empty covers "a//b" and a trailing slash (which would make a directory entry).
            guard !component.isEmpty else { throw refuse("empty path component") }
            guard component != ".", component != ".." else { throw refuse("'.' or '..' component") }
        }
        return bytes
    }
}
