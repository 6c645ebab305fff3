/// Greedy line breaking by measured advances: break at spaces; a word wider than the line is cut
/// between characters (grapheme clusters, so an accent never leaves its letter). `\n` forces a break.
/// Widths are additive because the renderer does no kerning, so each word is measured once.
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
                let wordWidth = measure(String(word))
                if line.isEmpty, wordWidth <= width {
                    line = String(word)
                    lineWidth = wordWidth
                } else if !line.isEmpty, lineWidth + space + wordWidth <= width {
                    line += " " + word
                    lineWidth += space + wordWidth
                } else {
                    if !line.isEmpty { out.append(line) }
                    line = ""
                    lineWidth = 0
                    if wordWidth <= width {
                        line = String(word)
                        lineWidth = wordWidth
                    } else {
                        // Too long for any line: fill lines character by character.
                        for character in word {
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
            out.append(line)
        }
        return out
    }
}
