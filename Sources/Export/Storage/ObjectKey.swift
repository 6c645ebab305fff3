/// The rules an object key must follow before any store sees it.
///
/// Stricter than S3 (which takes any UTF-8 up to 1024 bytes) because the same keys become paths under
/// `LocalObjectStore`'s directory and appear in download URLs: no empty, `.` or `..` segments (no
/// escaping the directory, no `a//b` that S3 and a file system would disagree about), no leading or
/// trailing `/`, no backslash, no control characters (C0, DEL, C1).
public enum ObjectKey {
    /// S3's limit, in UTF-8 bytes.
    public static let maxLength = 1024

    /// Throws `invalidKey` naming the first rule `key` breaks.
    public static func validate(_ key: String) throws(ObjectStoreError) {
        let bytes = key.utf8
        guard !bytes.isEmpty else { throw .invalidKey("empty") }
        guard bytes.count <= maxLength else { throw .invalidKey("longer than \(maxLength) bytes") }
        guard bytes.first != UInt8(ascii: "/") else { throw .invalidKey("starts with /") }
        guard bytes.last != UInt8(ascii: "/") else { throw .invalidKey("ends with /") }
        for scalar in key.unicodeScalars {
            let value = scalar.value
            if value < 0x20 || (0x7F...0x9F).contains(value) { throw .invalidKey("contains a control character") }
            if scalar == "\\" { throw .invalidKey("contains a backslash") }
        }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { throw .invalidKey("contains an empty segment (//)") }
            if segment == "." || segment == ".." { throw .invalidKey("contains a . or .. segment") }
        }
    }
}
