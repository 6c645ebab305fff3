/// Text and attribute values for the markup formats (GPX, KML, the share page's HTML): the five
/// special characters escaped (`&#39;` for the apostrophe, valid in both XML and HTML), and characters
/// XML 1.0 forbids or HTML renders invisibly dropped (C0 and C1 controls other than tab, LF and CR;
/// U+FFFE, U+FFFF), since a strict XML parser refuses the whole document for one of them.
enum MarkupText {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escaped, with line breaks as `<br>` (notes are written in lines).
    static func multiline(_ s: String) -> String {
        escape(s).replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "<br>")
    }
}
