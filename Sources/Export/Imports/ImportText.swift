/// How text from a file becomes an item's name, notes or link: trimmed, cut to Trips' limits, and
/// free of the control characters Trips refuses, so a parsed file is always a storable one.
enum ImportText {
    /// One line: controls removed, runs of whitespace (line breaks included) become one space. Nil
    /// when nothing is left.
    static func name(_ raw: String?) -> String? {
        guard let clean = withoutControls(raw) else { return nil }
        let words = clean.split(whereSeparator: { $0.isWhitespace })
        guard !words.isEmpty else { return nil }
        return cut(words.joined(separator: " "), to: ImportLimits.maximumNameLength)
    }

    /// Several lines: line breaks normalised to LF, other controls but tab removed, outer whitespace
    /// trimmed. Nil when nothing is left.
    static func notes(_ raw: String?) -> String? {
        guard let clean = withoutControls(raw) else { return nil }
        let text = trimmed(clean)
        return text.isEmpty ? nil : cut(text, to: ImportLimits.maximumNotesLength)
    }

    /// Line breaks as LF, and no control characters but LF and tab (what Trips stores).
    private static func withoutControls(_ raw: String?) -> String? {
        guard let raw else { return nil }
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in raw.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\r": out.append("\n")
            case "\n": if !previousWasCR { out.append(scalar) }
            case "\t": out.append(scalar)
            default:
                if scalar.properties.generalCategory == .control { continue }
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// An absolute http(s) URL with no whitespace or controls, within the length limit; anything else
    /// is dropped rather than refused (a link is a nicety, the place is what matters).
    static func url(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let s = trimmed(raw)
        let lower = s.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), s.utf8.count <= ImportLimits.maximumURLLength,
            s.utf8.count > 8, s.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F })
        else { return nil }
        return s
    }

    private static func cut(_ s: String, to limit: Int) -> String {
        s.count <= limit ? s : trimmed(String(s.prefix(limit)))
    }

    static func trimmed(_ s: String) -> String {
        var t = Substring(s)
        while let c = t.first, c.isWhitespace { t.removeFirst() }
        while let c = t.last, c.isWhitespace { t.removeLast() }
        return String(t)
    }
}
