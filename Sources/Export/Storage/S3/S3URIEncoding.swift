/// Percent-encoding as SigV4 defines it: every byte except RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) becomes `%XX` with upper-case hex; `/` is kept only in object key paths.
///
/// One encoder for what we send and what we sign, so the two cannot drift apart (a space as `+`, a
/// lower-case `%2f`, or a `~` encoded by one and not the other is a `SignatureDoesNotMatch`).
enum S3URIEncoding {
    /// Encodes a query name or value, or a path segment (`/` encoded too).
    static func encode(_ text: String) -> String { encode(text, keepingSlash: false) }

    /// Encodes an object key for the path: S3 keys keep their `/` separators.
    static func encodePath(_ key: String) -> String { encode(key, keepingSlash: true) }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func encode(_ text: String, keepingSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
        default: false
        }
    }
}
