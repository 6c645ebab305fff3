/// The on-disk form of one local object: a header line carrying the media type, then the body. One file
/// rather than a sidecar, so a single `rename` publishes type and body together.
///
/// `TSOBJ1 <content-type>\n<body bytes>`
enum LocalObjectFile {
    private static let magic = Array("TSOBJ1 ".utf8)

    static func header(contentType: String) -> [UInt8] {
        magic + Array(contentType.utf8) + [UInt8(ascii: "\n")]
    }

    /// Splits a file into its media type and body; throws for a file we did not write.
    static func parse(_ bytes: [UInt8], key: String) throws(ObjectStoreError) -> StoredObject {
        guard bytes.starts(with: magic), let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            throw .failed("stored file for \"\(key)\" has no object header")
        }
        let contentType = String(decoding: bytes[magic.count..<newline], as: UTF8.self)
        let body = Array(bytes[(newline + 1)...])
        return StoredObject(body: body, info: ObjectInfo(size: body.count, contentType: contentType))
    }
}
