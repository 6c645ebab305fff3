/// Start tags, end tags, attributes and names: where nesting, duplicates and the single root are
/// enforced.
extension XMLReader {
    mutating func startTag() throws(ImportError) -> XMLEvent {
        let line = self.line
        pos += 1
        guard let name = try readName() else { throw ImportError(line: line, "expected an element name after \"<\"") }
        let tag = "<\(name)>"
        if open.isEmpty && sawRoot {
            throw ImportError(line: line, element: tag, "a second root element; an XML file has exactly one")
        }
        guard open.count < ImportLimits.maximumXMLDepth else {
            throw ImportError(
                line: line, element: tag, "elements are nested more than \(ImportLimits.maximumXMLDepth) deep")
        }
        var attributes: [XMLAttribute] = []
        var seen: Set<String> = []
        var selfClosing = false
        while true {
            let spaced = skipSpace()
            guard pos < bytes.count else {
                throw ImportError(line: self.line, element: tag, "the file ends inside the start tag")
            }
            if bytes[pos] == Byte.greaterThan {
                pos += 1
                break
            }
            if bytes[pos] == Byte.slash {
                guard pos + 1 < bytes.count, bytes[pos + 1] == Byte.greaterThan else {
                    throw ImportError(line: self.line, element: tag, "expected \"/>\"")
                }
                pos += 2
                selfClosing = true
                break
            }
            guard spaced, let attribute = try readName() else {
                throw ImportError(line: self.line, element: tag, "expected an attribute, \">\" or \"/>\"")
            }
            guard seen.insert(attribute.qualified).inserted else {
                throw ImportError(line: self.line, element: tag, "the attribute \(attribute) appears twice")
            }
            attributes.append(XMLAttribute(name: attribute, value: try attributeValue(attribute, tag: tag)))
        }
        sawRoot = true
        if selfClosing {
            pendingEnd = XMLEvent(kind: .end(name), line: line)
        } else {
            open.append((name, line))
        }
        return XMLEvent(kind: .start(name, attributes: attributes), line: line)
    }

    mutating func endTag() throws(ImportError) -> XMLEvent {
        let line = self.line
        pos += 2
        guard let name = try readName() else { throw ImportError(line: line, "expected an element name after \"</\"") }
        skipSpace()
        guard pos < bytes.count, bytes[pos] == Byte.greaterThan else {
            throw ImportError(line: self.line, "expected \">\" to end </\(name)>")
        }
        pos += 1
        guard let top = open.last else { throw ImportError(line: line, "</\(name)> has no matching start tag") }
        guard top.name.qualified == name.qualified else {
            throw ImportError(line: line, "</\(name)> closes <\(top.name)> (opened on line \(top.line))")
        }
        open.removeLast()
        return XMLEvent(kind: .end(name), line: line)
    }

    /// `= "value"` or `= 'value'` after an attribute name.
    private mutating func attributeValue(_ attribute: XMLName, tag: String) throws(ImportError) -> String {
        skipSpace()
        guard pos < bytes.count, bytes[pos] == Byte.equals else {
            throw ImportError(line: line, element: tag, "the attribute \(attribute) needs a value (\(attribute)=\"…\")")
        }
        pos += 1
        skipSpace()
        guard pos < bytes.count, bytes[pos] == Byte.quote || bytes[pos] == Byte.apostrophe else {
            throw ImportError(line: line, element: tag, "the value of the attribute \(attribute) must be quoted")
        }
        let quote = bytes[pos]
        pos += 1
        guard let close = bytes[pos...].firstIndex(of: quote) else {
            throw ImportError(line: line, element: tag, "the value of the attribute \(attribute) is never closed")
        }
        let value = try characterData(upTo: close, .attribute)
        pos = close + 1
        return value
    }

    /// A `Name` (XML 1.0 §2.3) at `pos`, or nil when none starts there. With namespaces a name has at
    /// most one colon, neither first nor last.
    mutating func readName() throws(ImportError) -> XMLName? {
        let start = pos
        while pos < bytes.count {
            guard let (c, n) = XMLCharacters.decode(bytes, at: pos) else {
                throw ImportError(line: line, "the file is not valid UTF-8")
            }
            guard pos == start ? XMLCharacters.isNameStart(c) : XMLCharacters.isNameChar(c) else { break }
            pos += n
        }
        guard pos > start else { return nil }
        let name = bytes[start..<pos]
        let colons = name.lazy.filter { $0 == Byte.colon }.count
        guard colons == 0 || (colons == 1 && name.first != Byte.colon && name.last != Byte.colon) else {
            throw ImportError(line: line, "\"\(String(decoding: name, as: UTF8.self))\" is not a valid name")
        }
        return XMLName(String(decoding: name, as: UTF8.self))
    }
}
