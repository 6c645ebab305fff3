/// The markup that produces no element: comments, processing instructions, the XML declaration, and
/// CDATA sections.
extension XMLReader {
    /// `<!-- … -->`; `--` inside is a well-formedness error (XML 1.0 §2.5).
    mutating func comment() throws(ImportError) {
        let line = self.line
        pos += 4
        guard let dashes = find("--", from: pos) else {
            throw ImportError(line: line, "a comment is never closed with \"-->\"")
        }
        _ = try characterData(upTo: dashes, .raw)
        guard dashes + 2 < bytes.count, bytes[dashes + 2] == Byte.greaterThan else {
            throw ImportError(line: self.line, "\"--\" is not allowed inside a comment")
        }
        pos = dashes + 3
    }

    /// `<![CDATA[ … ]]>`, its content verbatim.
    mutating func cdata() throws(ImportError) -> String {
        let line = self.line
        pos += 9
        guard let close = find("]]>", from: pos) else {
            throw ImportError(line: line, "a CDATA section is never closed with \"]]>\"")
        }
        let text = try characterData(upTo: close, .raw)
        pos = close + 3
        return text
    }

    /// `<?target …?>`, skipped; `<?xml …?>` only as the very first thing, and declaring UTF-8 if it
    /// declares an encoding at all.
    mutating func processingInstruction() throws(ImportError) {
        let line = self.line
        let atStart = pos == start
        pos += 2
        guard let target = try readName() else {
            throw ImportError(line: line, "expected a processing instruction name after \"<?\"")
        }
        guard let close = find("?>", from: pos) else {
            throw ImportError(line: line, "<?\(target) is never closed with \"?>\"")
        }
        if pos < close, !XMLCharacters.isSpace(bytes[pos]) {
            throw ImportError(line: line, "expected a space after <?\(target)")
        }
        let content = try characterData(upTo: close, .raw)
        pos = close + 2
        guard target.qualified.lowercased() == "xml" else { return }
        guard atStart else {
            throw ImportError(line: line, "the XML declaration <?xml …?> must be the very start of the file")
        }
        if let encoding = Self.pseudoAttribute("encoding", in: content),
            !["utf-8", "utf8", "us-ascii", "ascii"].contains(encoding.lowercased())
        {
            throw ImportError(
                line: line, "the file declares the encoding \"\(encoding)\"; only UTF-8 can be imported")
        }
    }

    /// `name="value"` or `name='value'` in an XML declaration.
    private static func pseudoAttribute(_ name: String, in declaration: String) -> String? {
        guard let found = declaration.firstRange(of: name) else { return nil }
        var rest = declaration[found.upperBound...].drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix(while: { $0 != quote }))
    }
}
