/// A strict pull parser for the XML that GPX and KML files are made of, written here so a static
/// binary does not carry libxml2 (FoundationXML) for two file formats.
///
/// It reads UTF-8 only and knows no DTD: a `<!DOCTYPE` is an error, so no entity is ever declared or
/// expanded (XXE and "billion laughs" cannot happen), and the only references are the five predefined
/// entities and character references. Everything XML 1.0 calls a well-formedness error that these
/// formats could contain is refused with its line number: bad UTF-8, characters outside `Char`,
/// unknown entities, mismatched or unclosed tags, duplicate attributes, a second root, text outside
/// the root, and nesting deeper than `ImportLimits.maximumXMLDepth`.
///
/// Call `next()` until it returns nil. Comments, processing instructions and the XML declaration are
/// checked and skipped. Memory is the input plus the stack of open element names.
struct XMLReader {
    let bytes: [UInt8]
    /// Where the document starts (after a UTF-8 byte order mark, if any).
    let start: Int
    var pos: Int
    var line = 1
    /// Open elements, innermost last, with the line each opened on.
    var open: [(name: XMLName, line: Int)] = []
    var sawRoot = false
    /// The end event of a self-closing `<a/>`, reported on the call after its start.
    var pendingEnd: XMLEvent?

    init(_ input: some Collection<UInt8>) {
        bytes = Array(input)
        start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        pos = start
    }

    /// The next event, or nil after the root element has closed and only comments, processing
    /// instructions and whitespace followed it.
    mutating func next() throws(ImportError) -> XMLEvent? {
        if let end = pendingEnd {
            pendingEnd = nil
            return end
        }
        if pos == 0, bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            throw ImportError(line: 1, "the file is UTF-16; only UTF-8 can be imported")
        }
        while pos < bytes.count {
            if bytes[pos] != Byte.lessThan {
                if open.isEmpty {
                    try skipTextOutsideRoot()
                    continue
                }
                let line = self.line
                let end = bytes[pos...].firstIndex(of: Byte.lessThan) ?? bytes.count
                return XMLEvent(kind: .text(try characterData(upTo: end, .text)), line: line)
            }
            if let event = try markup() { return event }
        }
        if let top = open.last {
            throw ImportError(
                line: line, "the file ends before </\(top.name)> (<\(top.name)> opened on line \(top.line))")
        }
        guard sawRoot else { throw ImportError(line: nil, "the file has no root element") }
        return nil
    }

    /// Whatever starts with `<` at `pos`: an event for tags and CDATA, nil for what is skipped.
    private mutating func markup() throws(ImportError) -> XMLEvent? {
        let line = self.line
        if has("<?") {
            try processingInstruction()
            return nil
        }
        if has("<!--") {
            try comment()
            return nil
        }
        if has("<![CDATA[") {
            guard !open.isEmpty else { throw ImportError(line: line, "a CDATA section outside the root element") }
            return XMLEvent(kind: .cdata(try cdata()), line: line)
        }
        if hasDoctype() {
            throw ImportError(
                line: line, "a DOCTYPE is not accepted: imports never read DTDs or expand declared entities")
        }
        if has("<!") {
            throw ImportError(line: line, "unexpected \"<!\": only comments and CDATA sections start that way")
        }
        if has("</") { return try endTag() }
        return try startTag()
    }

    /// Whitespace before or after the root is allowed; anything else is not XML we can read.
    private mutating func skipTextOutsideRoot() throws(ImportError) {
        skipSpace()
        guard pos < bytes.count, bytes[pos] != Byte.lessThan else { return }
        throw ImportError(
            line: line, sawRoot ? "text after the root element" : "text before the root element (is this XML?)")
    }

    func has(_ literal: String) -> Bool {
        bytes[pos...].starts(with: literal.utf8)
    }

    /// `<!DOCTYPE` in any letter case, so a sloppy one gets the clear message too.
    private func hasDoctype() -> Bool {
        let word = Array("<!DOCTYPE".utf8)
        guard pos + word.count <= bytes.count else { return false }
        for k in 0..<word.count where bytes[pos + k] & 0xDF != word[k] & 0xDF { return false }
        return true
    }

    /// Skips `S`, counting lines; true when at least one byte was skipped.
    @discardableResult
    mutating func skipSpace() -> Bool {
        let before = pos
        while pos < bytes.count, XMLCharacters.isSpace(bytes[pos]) {
            if bytes[pos] == Byte.lineFeed || (bytes[pos] == Byte.carriageReturn && !followedByLineFeed(pos)) {
                line += 1
            }
            pos += 1
        }
        return pos > before
    }

    func followedByLineFeed(_ i: Int) -> Bool {
        i + 1 < bytes.count && bytes[i + 1] == Byte.lineFeed
    }

    /// The index of the first occurrence of `literal` at or after `from`.
    func find(_ literal: String, from: Int) -> Int? {
        let pattern = Array(literal.utf8)
        var i = from
        while i + pattern.count <= bytes.count {
            guard let k = bytes[i...].firstIndex(of: pattern[0]) else { return nil }
            if bytes[k...].starts(with: pattern) { return k }
            i = k + 1
        }
        return nil
    }
}

/// The ASCII bytes the reader dispatches on.
enum Byte {
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let ampersand = UInt8(ascii: "&")
    static let semicolon = UInt8(ascii: ";")
    static let slash = UInt8(ascii: "/")
    static let equals = UInt8(ascii: "=")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let closingBracket = UInt8(ascii: "]")
    static let hash = UInt8(ascii: "#")
    static let colon = UInt8(ascii: ":")
}
