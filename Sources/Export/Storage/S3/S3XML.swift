/// Just enough XML for S3's answers: the text of `<Tag>…</Tag>` elements, with the five predefined
/// entities decoded. A tolerant scan, not a parser: S3's answers are flat, machine-written documents,
/// and Foundation's `XMLParser` is a separate, awkward module on Linux.
enum S3XML {
    /// The text of the first `<tag>` element, or nil.
    static func firstValue(of tag: String, in body: [UInt8]) -> String? {
        values(of: tag, in: body, limit: 1).first
    }

    /// The text of every `<tag>` element, in document order.
    static func values(of tag: String, in body: [UInt8], limit: Int = .max) -> [String] {
        let open = Array("<\(tag)>".utf8)
        let close = Array("</\(tag)>".utf8)
        var found: [String] = []
        var index = 0
        while found.count < limit, let start = find(open, in: body, from: index) {
            let textStart = start + open.count
            guard let end = find(close, in: body, from: textStart) else { break }
            found.append(unescape(String(decoding: body[textStart..<end], as: UTF8.self)))
            index = end + close.count
        }
        return found
    }

    /// Escapes text for an element's content (quotes need no escaping there, and ETags are quoted).
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return
            text
            .replacingAll("&lt;", with: "<").replacingAll("&gt;", with: ">").replacingAll("&quot;", with: "\"")
            .replacingAll("&apos;", with: "'").replacingAll("&amp;", with: "&")
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
