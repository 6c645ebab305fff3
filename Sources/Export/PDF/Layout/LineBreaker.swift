/// Greedy line breaking by measured advances: break at spaces, and before or after any CJK ideograph,
/// kana or Hangul syllable (those scripts write without spaces), except before closing punctuation and
/// small kana or after opening brackets. A word wider than the line is cut between characters
/// (grapheme clusters, so an accent never leaves its letter). `\n` forces a break.
/// Widths are additive because the renderer does no kerning, so each piece is measured once.
public struct LineBreaker {
    /// The advance of a piece of text in points.
    public let measure: (String) -> Double

    public init(measure: @escaping (String) -> Double) {
        self.measure = measure
    }

    /// `text` split into lines no wider than `width` (a single character wider than the line still
    /// gets a line of its own). An empty text is one empty line.
    public func lines(_ text: String, width: Double) -> [String] {
        var out: [String] = []
        let space = measure(" ")
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0.0
            for word in paragraph.split(separator: " ") {
                for (index, piece) in Self.pieces(word).enumerated() {
                    // The first piece of a word follows a space; later pieces join without one.
                    let gap = index == 0 ? space : 0
                    let separator = index == 0 ? " " : ""
                    let pieceWidth = measure(piece)
                    if line.isEmpty, pieceWidth <= width {
                        line = piece
                        lineWidth = pieceWidth
                    } else if !line.isEmpty, lineWidth + gap + pieceWidth <= width {
                        line += separator + piece
                        lineWidth += gap + pieceWidth
                    } else {
                        if !line.isEmpty { out.append(line) }
                        line = ""
                        lineWidth = 0
                        if pieceWidth <= width {
                            line = piece
                            lineWidth = pieceWidth
                        } else {
                            // Too long for any line: fill lines character by character.
                            for character in piece {
                                let w = measure(String(character))
                                if !line.isEmpty, lineWidth + w > width {
                                    out.append(line)
                                    line = ""
                                    lineWidth = 0
                                }
                                line.append(character)
                                lineWidth += w
                            }
                        }
                    }
                }
            }
            out.append(line)
        }
        return out
    }

    /// A space-free word cut at its CJK break opportunities (the whole word when it has none).
    static func pieces(_ word: Substring) -> [String] {
        var pieces: [String] = []
        var current = ""
        var previous: Character?
        for character in word {
            if let previous, breakAllowed(between: previous, and: character), !current.isEmpty {
                pieces.append(current)
                current = ""
            }
            current.append(character)
            previous = character
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// A break opportunity between two adjacent characters of a word: next to a CJK character, unless
    /// `after` must not start a line or `before` must not end one.
    static func breakAllowed(between before: Character, and after: Character) -> Bool {
        guard isCJK(before) || isCJK(after) else { return false }
        if let first = after.unicodeScalars.first, noLineStart.contains(first) { return false }
        if let last = before.unicodeScalars.last, noLineEnd.contains(last) { return false }
        return true
    }

    /// Ideographs, kana, Hangul, CJK symbols and punctuation, fullwidth forms.
    static func isCJK(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x2E80...0x9FFF,  // radicals, CJK symbols and punctuation, kana, Bopomofo, Hangul Jamo, Ext A, unified
            0xA960...0xA97F, 0xAC00...0xD7FF,  // Hangul
            0xF900...0xFAFF,  // compatibility ideographs
            0xFE30...0xFE4F,  // CJK compatibility forms
            0xFF00...0xFFEF,  // halfwidth and fullwidth forms
            0x20000...0x3FFFF:  // supplementary ideographic planes
            return true
        default:
            return false
        }
    }

    /// Closing punctuation, iteration marks and small kana: never at the start of a line.
    static let noLineStart = Set("、。，．・：；？！ー〜々ゝゞヽヾ）］｝〕〉》」』】〙〗ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ!),.:;?]}%".unicodeScalars)
    /// Opening brackets: never at the end of a line.
    static let noLineEnd = Set("（［｛〔〈《「『【〘〖([{".unicodeScalars)
}
