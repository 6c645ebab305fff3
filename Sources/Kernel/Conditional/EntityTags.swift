import HTTP

extension Request {
    /// The entity tags of `If-None-Match` (weak tags compare by their opaque part, RFC 9110 §13.1.2);
    /// nil without the header.
    public var ifNoneMatch: [String]? {
        headers[.ifNoneMatch].map { Self.entityTags($0).map { $0.hasPrefix("W/") ? String($0.dropFirst(2)) : $0 } }
    }

    /// The comma-separated tags of an `If-Match` or `If-None-Match` value, whitespace trimmed.
    public static func entityTags(_ header: String) -> [String] {
        header.split(separator: ",").map { part in
            var s = part[...]
            while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
            while let l = s.last, l == " " || l == "\t" { s.removeLast() }
            return String(s)
        }.filter { !$0.isEmpty }
    }
}
