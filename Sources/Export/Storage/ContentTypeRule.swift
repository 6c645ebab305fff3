/// The check every store applies to a stored media type: it is echoed in response headers later, so it
/// must be a plausible field value (1…255 bytes of visible ASCII and spaces).
enum ContentTypeRule {
    static func validate(_ contentType: String) throws(ObjectStoreError) {
        guard !contentType.isEmpty, contentType.utf8.count <= 255,
            contentType.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
        else { throw .invalidArgument("content type must be 1…255 bytes of printable ASCII") }
    }
}
