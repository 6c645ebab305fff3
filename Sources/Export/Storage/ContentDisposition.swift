/// The `Content-Disposition: attachment` value that makes a browser save a download under `filename`
/// (RFC 6266): an ASCII `filename` for old clients and a UTF-8 `filename*` (RFC 8187) for the rest.
enum ContentDisposition {
    static func attachment(filename: String) -> String {
        let fallback = String(
            filename.unicodeScalars.map { scalar -> Character in
                // Quotes, backslashes, controls and non-ASCII cannot appear in the quoted ASCII form.
                let v = scalar.value
                return v < 0x20 || v >= 0x7F || scalar == "\"" || scalar == "\\" ? "_" : Character(scalar)
            })
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(S3URIEncoding.encode(filename))"
    }

    /// Throws `invalidArgument` for a name no browser should be given: empty, over 255 bytes, with a
    /// path separator or a control character.
    static func validate(filename: String) throws(ObjectStoreError) {
        guard !filename.isEmpty, filename.utf8.count <= 255 else {
            throw .invalidArgument("download filename must be 1…255 bytes")
        }
        guard
            !filename.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "/" || $0 == "\\" || $0.value == 0x7F })
        else { throw .invalidArgument("download filename contains a path separator or control character") }
    }
}
