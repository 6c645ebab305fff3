/// Character data: every byte of the document that is not markup passes through here, so this is
/// where UTF-8, the `Char` production, line counting, line-break normalisation and references are
/// handled, once.
extension XMLReader {
    enum CharacterDataMode {
        /// Element content: references decoded, `]]>` refused.
        case text
        /// An attribute value: references decoded, `<` refused, literal whitespace becomes a space
        /// (XML 1.0 §3.3.3; with no DTD every attribute is CDATA).
        case attribute
        /// Comments, processing instructions and CDATA sections: checked and taken verbatim.
        case raw
    }

    /// The text from `pos` to `end` (exclusive), leaving `pos` at `end`. Line breaks (CRLF, CR, LF)
    /// become LF as XML 1.0 §2.11 asks.
    mutating func characterData(upTo end: Int, _ mode: CharacterDataMode) throws(ImportError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(end - pos)
        let references = mode != .raw
        let breakByte = mode == .attribute ? Byte.space : Byte.lineFeed
        while pos < end {
            let b = bytes[pos]
            switch b {
            case Byte.carriageReturn, Byte.lineFeed:
                if !(b == Byte.carriageReturn && followedByLineFeed(pos)) {
                    line += 1
                    out.append(breakByte)
                }
                pos += 1
            case Byte.tab:
                out.append(mode == .attribute ? Byte.space : Byte.tab)
                pos += 1
            case Byte.ampersand where references:
                try reference(into: &out, before: end)
            case Byte.lessThan where mode == .attribute:
                throw ImportError(line: line, "\"<\" is not allowed in an attribute value (write &lt;)")
            case Byte.closingBracket where mode == .text && has("]]>"):
                throw ImportError(line: line, "\"]]>\" is not allowed in text (write ]]&gt;)")
            case 0..<0x20:
                throw ImportError(
                    line: line, "the control character \(XMLCharacters.codePoint(UInt32(b))) is not allowed in XML")
            case 0x20..<0x80:
                out.append(b)
                pos += 1
            default:
                guard let (c, n) = XMLCharacters.decode(bytes, at: pos) else {
                    throw ImportError(line: line, "the file is not valid UTF-8")
                }
                guard XMLCharacters.isChar(c) else {
                    throw ImportError(line: line, "the character \(XMLCharacters.codePoint(c)) is not allowed in XML")
                }
                out += bytes[pos..<(pos + n)]
                pos += n
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#NN;` `&#xNN;` at `pos`. Nothing else: with no DTD
    /// there is nowhere another entity could be declared.
    private mutating func reference(into out: inout [UInt8], before end: Int) throws(ImportError) {
        let window = bytes[(pos + 1)..<min(end, pos + 33)]
        guard let semicolon = window.firstIndex(of: Byte.semicolon), semicolon > pos + 1 else {
            throw ImportError(line: line, "a \"&\" that does not start a reference (write & as &amp;)")
        }
        let name = bytes[(pos + 1)..<semicolon]
        let shown = "&" + String(decoding: name, as: UTF8.self) + ";"
        switch String(decoding: name, as: UTF8.self) {
        case "lt": out.append(Byte.lessThan)
        case "gt": out.append(Byte.greaterThan)
        case "amp": out.append(Byte.ampersand)
        case "quot": out.append(Byte.quote)
        case "apos": out.append(Byte.apostrophe)
        default:
            guard name.first == Byte.hash else {
                throw ImportError(
                    line: line,
                    "unknown entity \(shown): only &lt; &gt; &amp; &quot; &apos; and character references are allowed")
            }
            guard let c = Self.characterReference(name.dropFirst()), XMLCharacters.isChar(c),
                let scalar = Unicode.Scalar(c)
            else { throw ImportError(line: line, "\(shown) is not a valid character reference") }
            out += Array(String(Character(scalar)).utf8)
        }
        pos = semicolon + 1
    }

    /// The value of `NN` (decimal) or `xNN` (hex), at most 8 digits so it cannot overflow.
    private static func characterReference(_ digits: ArraySlice<UInt8>) -> UInt32? {
        var d = digits
        var radix: UInt32 = 10
        if d.first == UInt8(ascii: "x") {
            radix = 16
            d = d.dropFirst()
        }
        guard !d.isEmpty, d.count <= 8 else { return nil }
        var value: UInt32 = 0
        for b in d {
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46 where radix == 16: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66 where radix == 16: digit = UInt32(b - 0x61 + 10)
            default: return nil
            }
            value = value * radix + digit
        }
        return value
    }
}
